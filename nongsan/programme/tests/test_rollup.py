"""Indicator arithmetic on a hand-checked world (see each expected figure's comment)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from nongsan.orders.models import OrderStatus
from nongsan.producers.models import HouseholdStatus
from nongsan.programme import rollup, selectors
from nongsan.programme.models import Fact, RollupRun
from nongsan.programme.periods import period_parse
from nongsan.programme.selectors import Span, span_of, unit_figures
from nongsan.programme.tests import factories as make

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 15)
D = datetime.date


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> make.World:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    w = make.world()
    a, b = w.commune_a, w.commune_b
    h1 = make.household(a, D(2026, 1, 10))
    h2 = make.household(a, D(2026, 2, 5))
    make.household(a, D(2026, 3, 1))
    h4 = make.household(b, D(2026, 3, 20))
    make.household(a, D(2026, 1, 2), status=HouseholdStatus.MERGED, merged_into=h1)
    make.marketplace_consent(h1, D(2026, 1, 10))
    make.marketplace_consent(h2, D(2026, 2, 5), withdrawn_on=D(2026, 3, 15))
    make.training(a, D(2026, 2, 10), [h1, h2])
    make.training(a, D(2026, 3, 5), [h1])
    make.listing(h1, D(2026, 2, 15))
    make.listing(h1, D(2026, 3, 1))
    make.listing(h2, None)  # a draft: not listed
    make.listing(h4, D(2026, 4, 2))
    make.ocop_certificate(h1, D(2026, 1, 5))
    make.ocop_certificate(h4, D(2026, 1, 5))
    make.order(h1, D(2026, 2, 20), goods_vnd=100_000, shipping_vnd=20_000)
    make.order(
        h1, D(2026, 3, 10), status=OrderStatus.DELIVERED, goods_vnd=200_000, shipping_vnd=100_000
    )
    make.order(h1, D(2026, 3, 11), status=OrderStatus.PLACED, confirmed=False)
    make.order(h1, D(2026, 3, 12), status=OrderStatus.CANCELLED, confirmed=False)
    make.order(h1, D(2026, 3, 13), status=OrderStatus.CANCELLED, confirmed=True)
    make.order(h4, D(2026, 4, 5), goods_vnd=50_000)
    rollup.rollup_rebuild(today=TODAY)
    return w


def _values(unit, period: str) -> dict[str, object]:
    p = period_parse(period)
    return {row["code"]: row["value"] for row in unit_figures(unit=unit, start=p.start, end=p.end)}


def test_quarter_figures_of_the_province_are_the_hand_counted_ones(world):
    values = _values(world.province, "2026-Q1")
    assert values["households_registered"] == 4  # h1..h4; the merged record is not counted
    assert values["households_with_consent"] == 1  # h2 withdrew in March
    assert values["households_trained"] == 2  # h1 came twice, counted once
    assert values["households_listed"] == 1  # h4 listed in April, h2 only a draft
    assert values["households_first_sale"] == 1
    assert values["active_sellers"] == 1
    assert values["products_listed"] == 2
    assert values["ocop_listed_share"] == pytest.approx(50.0)  # 1 of 2 OCOP products
    assert values["orders"] == 5
    assert values["delivered_orders"] == 2
    assert values["gross_sales_vnd"] == 300_000
    assert values["shipping_share"] == pytest.approx(35.0)  # (20% + 50%) / 2
    assert values["unconfirmed_order_rate"] == pytest.approx(40.0)  # 2 of 5
    assert values["training_sessions"] == 2
    assert values["trainees"] == 3


def test_levels_carry_forward_and_flows_do_not(world):
    april = _values(world.province, "2026-04")
    assert april["households_registered"] == 4
    assert april["households_listed"] == 2
    assert april["active_sellers"] == 2  # h1's March sale is within 90 days of 30/04
    assert april["orders"] == 1
    assert april["training_sessions"] == 0
    year = _values(world.province, "2026")
    assert year["orders"] == 6
    assert year["households_first_sale"] == 2


def test_a_commune_counts_only_its_own(world):
    a = _values(world.commune_a, "2026-Q1")
    b = _values(world.commune_b, "2026-Q1")
    assert (a["households_registered"], b["households_registered"]) == (3, 1)
    assert (a["orders"], b["orders"]) == (5, 0)
    nation = _values(None, "2026-Q1")
    assert nation["households_registered"] == 4


def test_any_run_of_months_sums_flows_and_takes_levels_at_the_end(world):
    rows = unit_figures(unit=world.province, start=D(2026, 2, 1), end=D(2026, 4, 30))
    values = {row["code"]: row["value"] for row in rows}
    assert values["orders"] == 6  # Feb 1 + Mar 4 + Apr 1
    assert values["households_registered"] == 4
    assert all(row["target"] is None for row in rows)


def test_the_seam_returns_the_documented_shape(world):
    rows = unit_figures(unit=world.province, start=D(2026, 1, 1), end=D(2026, 3, 31))
    assert rows
    for row in rows:
        assert set(row) == {"code", "name", "value", "target", "progress", "source", "estimated"}
        assert row["source"] in {"platform", "partner"}
    assert "households_with_account.postmart" in {row["code"] for row in rows}


def test_the_rebuild_is_recorded_for_freshness(world):
    run = selectors.freshness()
    assert run is not None
    assert run.status == RollupRun.Status.DONE
    assert run.rows == Fact.objects.count()


def test_figures_stay_as_of_the_last_rebuild_until_the_next_one(world):
    """The scheduled rebuild is the contract: nothing changes the roll-up in between, so the
    "compiled at" time a page shows stays true for every figure on it."""
    before = _values(world.province, "2026-05")
    run = selectors.freshness()
    new = make.order(make.household(world.commune_b, D(2026, 1, 1)), D(2026, 5, 14))
    assert _values(world.province, "2026-05") == before
    assert selectors.freshness() == run
    assert not hasattr(rollup, "rollup_order_placed")
    assert not hasattr(rollup, "rollup_household_registered")
    rollup.rollup_rebuild(today=TODAY)
    assert _values(world.province, "2026-05")["orders"] == before["orders"] + 1  # type: ignore[operator]
    assert new.pk


def test_a_calendar_period_reads_its_own_rows(world, django_assert_max_num_queries):
    span = span_of(period_parse("2026-Q1"))
    with django_assert_max_num_queries(6):
        selectors.unit_figure_list(unit=world.province, span=span)
    assert Span(D(2026, 1, 1), D(2026, 3, 31)).period is not None


def test_province_rows_equal_the_sum_of_their_communes(world):
    for period in ("2026-01", "2026-Q1", "2026"):
        province = _values(world.province, period)
        a = _values(world.commune_a, period)
        b = _values(world.commune_b, period)
        for code in ("households_registered", "orders", "gross_sales_vnd", "active_sellers"):
            assert province[code] == a[code] + b[code]  # type: ignore[operator]
