"""Ranking on hand-built candidates: each factor moves the order the way it should."""

from __future__ import annotations

from typing import Any

import pytest

from nongsan.trade.matching import ALTERNATIVE_PRODUCE, Demand, bundle, rank, score
from nongsan.trade.reliability import Reliability

LYCHEE, LONGAN = 1, 2
FROM, UNTIL = 1000, 1013  # a 14-day delivery window
HANOI, BAC_NINH, HCMC = "01", "24", "79"


def demand(**fields):
    values: dict[str, Any] = {
        "primary_types": frozenset([LYCHEE]),
        "alternative_types": frozenset([LONGAN]),
        "from_ordinal": FROM,
        "until_ordinal": UNTIL,
        "quantity_max_kg": 20_000,
        "price_max_vnd_per_kg": None,
        "certification_mask": 0,
        "province_code": HANOI,
    }
    values.update(fields)
    return Demand(**values)


def row(source_id, **fields):
    values = {
        "kind": "harvest",
        "household_id": source_id,
        "cooperative_id": None,
        "produce_type_id": LYCHEE,
        "province_code": HANOI,
        "from_ordinal": FROM,
        "until_ordinal": UNTIL,
        "quantity_kg": 20_000,
        "price_vnd_per_kg": None,
        "certification_mask": 0,
    }
    values.update(fields)
    return (
        values["kind"],
        source_id,
        values["household_id"],
        values["cooperative_id"],
        values["produce_type_id"],
        values["province_code"],
        values["from_ordinal"],
        values["until_ordinal"],
        values["quantity_kg"],
        values["price_vnd_per_kg"],
        values["certification_mask"],
    )


def order_of(wanted, rows, reliability=None):
    reliability = reliability or {}
    scored = [score(wanted, item, reliability.get(item[1])) for item in rows]
    scored.sort(key=lambda found: -found.score)
    return [found.source_id for found in scored]


def test_the_asked_produce_comes_before_an_alternative():
    assert order_of(demand(), [row(1, produce_type_id=LONGAN), row(2)]) == [2, 1]
    assert score(demand(), row(1, produce_type_id=LONGAN), None).factors["produce"] == (
        ALTERNATIVE_PRODUCE
    )


def test_more_of_the_quantity_ranks_higher():
    assert order_of(demand(), [row(1, quantity_kg=5_000), row(2, quantity_kg=16_000)]) == [2, 1]
    assert score(demand(), row(1, quantity_kg=16_000), None).factors["quantity"] == 0.8


def test_a_wider_window_overlap_ranks_higher():
    late = row(1, from_ordinal=UNTIL - 2, until_ordinal=UNTIL + 20)
    early = row(2, from_ordinal=FROM - 5, until_ordinal=FROM + 8)
    assert order_of(demand(), [late, early]) == [2, 1]
    assert score(demand(), early, None).overlap_days == 9


def test_nearer_ranks_higher():
    rows = [row(1, province_code=HCMC), row(2, province_code=BAC_NINH), row(3)]
    assert order_of(demand(), rows) == [3, 2, 1]


def test_required_certificates_held_rank_higher():
    wanted = demand(certification_mask=1 | 2)  # VietGAP and GlobalGAP
    rows = [row(1), row(2, certification_mask=1), row(3, certification_mask=3)]
    assert order_of(wanted, rows) == [3, 2, 1]
    # Without a requirement, certificates do not move the order.
    assert (
        score(demand(), row(1), None).score
        == score(demand(), row(2, certification_mask=1), None).score
    )


def test_a_reliable_seller_ranks_above_an_unreliable_one_and_no_history_is_neutral():
    good = Reliability(decided_orders=10, confirmation_rate=1.0, delivery_rate=1.0)
    bad = Reliability(decided_orders=10, confirmation_rate=0.3, delivery_rate=0.5)
    new = Reliability()
    assert order_of(demand(), [row(1), row(2), row(3)], {1: bad, 2: good, 3: new}) == [2, 3, 1]


def test_a_price_above_the_ceiling_is_penalised():
    wanted = demand(price_max_vnd_per_kg=30_000)
    assert order_of(wanted, [row(1, price_vnd_per_kg=39_000), row(2, price_vnd_per_kg=29_000)]) == [
        2,
        1,
    ]


@pytest.mark.django_db
def test_rank_breaks_ties_by_quantity_then_source():
    ranked = rank(demand(), [row(5), row(4)])
    assert [item.source_id for item in ranked] == [4, 5]


def test_small_growers_are_bundled_until_the_minimum_is_reached():
    wanted = demand(quantity_max_kg=20_000)
    rows = [row(index, quantity_kg=4_000) for index in range(1, 7)]
    scored = sorted((score(wanted, item, None) for item in rows), key=lambda found: found.source_id)
    together = bundle(wanted, scored, minimum_kg=10_000)
    assert together is not None
    assert together.sellers == 3
    assert together.total_kg == 12_000
    assert "3" in together.reason_vi
    assert "sellers together" in together.reason_en


def test_one_seller_is_counted_once_in_a_bundle_and_a_big_one_needs_no_bundle():
    wanted = demand()
    same_seller = [row(1, quantity_kg=6_000), row(2, household_id=1, quantity_kg=6_000)]
    scored = [score(wanted, item, None) for item in same_seller]
    assert bundle(wanted, scored, minimum_kg=10_000) is None
    big = [score(wanted, row(3, quantity_kg=15_000), None)]
    assert bundle(wanted, big, minimum_kg=10_000) is None


def test_ranking_with_reliability_fetched_for_contenders_only_keeps_the_exact_top(monkeypatch):
    """A seller's history can lift them into the top even when fetched only for contenders."""
    from nongsan.trade import matching

    rows = [row(index, quantity_kg=20_000 - index * 700) for index in range(1, 11)]
    rows += [row(index, province_code=HCMC, quantity_kg=2_000) for index in range(11, 25)]
    history = {
        index: Reliability(decided_orders=10, confirmation_rate=0.0, delivery_rate=0.0)
        for index in range(1, 4)
    }
    history[6] = Reliability(decided_orders=10, confirmation_rate=1.0, delivery_rate=1.0)
    asked: list[set] = []

    def fake(sellers):
        sellers = set(sellers)
        asked.append(sellers)
        return {key: history.get(key[1], Reliability()) for key in sellers}

    monkeypatch.setattr(matching, "seller_reliability", fake)
    full = [item.source_id for item in rank(demand(), rows)][:5]
    bounded = [item.source_id for item in rank(demand(), rows, exact_top=5)][:5]
    assert bounded == full
    assert full[0] == 6
    assert len(asked[-1]) < len(rows)


@pytest.mark.django_db
def test_reviews_feed_the_reliability_of_the_seller_they_rate(admin_units):
    from nongsan.orders.reviews import review_write
    from nongsan.orders.selectors import seller_key
    from nongsan.orders.tests.factories import on_sale
    from nongsan.orders.tests.test_reviews import delivered
    from nongsan.trade.reliability import seller_ratings, seller_reliability

    praised, scolded, unrated = on_sale(), on_sale(), on_sale()
    for row, stars in ((praised, 5), (praised, 4), (scolded, 1)):
        order = delivered(row)
        review_write(order=order, by=order.buyer, stars=stars)
    keys = [seller_key(row.household) for row in (praised, scolded, unrated)]
    assert seller_ratings(keys) == {keys[0]: 4.5, keys[1]: 1.0}
    reliability = seller_reliability(keys)
    assert reliability[keys[0]].rating == 4.5
    assert reliability[keys[2]].rating is None
    assert reliability[keys[0]].score > reliability[keys[2]].score > reliability[keys[1]].score
