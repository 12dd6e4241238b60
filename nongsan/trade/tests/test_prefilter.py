"""The database scores candidates (all factors but reliability) in the order Python would.

``matching.sql_score`` repeats ``matching._parts`` in CASE arithmetic; these hand-built cases
check on the database under test (SQLite, PostgreSQL) that the rows it hands Python, and
their order, are those of the Python score for a neutral seller."""

from __future__ import annotations

import random
from typing import Any

import pytest

from nongsan.catalog.tests.factories import lychee, pineapple
from nongsan.producers.tests.factories import current_commune, province_of
from nongsan.trade import matching
from nongsan.trade.distances import provinces_by_distance
from nongsan.trade.matching import Demand, _ordered, score, scored_prefilter
from nongsan.trade.models import SupplyCandidate

pytestmark = pytest.mark.django_db

FROM, UNTIL = 800_000, 800_013  # a 14-day delivery window
PROVINCES = ("01", "24", "31", "79")


@pytest.fixture
def kinds(admin_units: Any) -> dict[str, int]:
    return {"primary": lychee().pk, "alternative": pineapple().pk}


def demand(kinds: dict[str, int], **fields: Any) -> Demand:
    values: dict[str, Any] = {
        "primary_types": frozenset([kinds["primary"]]),
        "alternative_types": frozenset([kinds["alternative"]]),
        "from_ordinal": FROM,
        "until_ordinal": UNTIL,
        "quantity_max_kg": 20_000,
        "price_max_vnd_per_kg": None,
        "certification_mask": 0,
        "province_code": "01",
    }
    values.update(fields)
    return Demand(**values)


def candidate(source_id: int, kinds: dict[str, int], **fields: Any) -> SupplyCandidate:
    code = fields.pop("province_code", "01")
    commune = current_commune(code)
    values: dict[str, Any] = {
        "kind": "harvest",
        "produce_type_id": kinds["primary"],
        "from_ordinal": FROM,
        "until_ordinal": UNTIL,
        "quantity_kg": 20_000,
        "price_vnd_per_kg": None,
        "certification_mask": 0,
    }
    values.update(fields)
    return SupplyCandidate.objects.create(
        source_id=source_id,
        province=province_of(commune),
        commune=commune,
        province_code=code,
        **values,
    )


def python_order(wanted: Demand) -> list[tuple[str, int]]:
    """Every overlapping candidate of the wanted types scored in Python, best first."""
    types = wanted.primary_types | wanted.alternative_types
    rows = SupplyCandidate.objects.filter(
        produce_type_id__in=types,
        until_ordinal__gte=wanted.from_ordinal,
        from_ordinal__lte=wanted.until_ordinal,
    ).values_list(*matching.CANDIDATE_COLUMNS)
    ranked = _ordered([score(wanted, row, None) for row in rows])
    return [(item.kind, item.source_id) for item in ranked]


def sql_order(wanted: Demand, *, top: int = 1000) -> list[tuple[str, int]]:
    rows = scored_prefilter(wanted, provinces_by_distance(wanted.province_code), top=top)
    return [(row[0], row[1]) for row in rows]


def ids(order: list[tuple[str, int]]) -> list[int]:
    return [source_id for _kind, source_id in order]


def test_each_factor_moves_the_sql_order_as_it_moves_the_python_score(kinds):
    candidate(1, kinds)  # asked produce, all of it, every day, here, no certificate asked
    candidate(2, kinds, produce_type_id=kinds["alternative"])
    candidate(3, kinds, quantity_kg=16_000)
    candidate(4, kinds, from_ordinal=FROM + 5)  # 9 of 14 days
    candidate(5, kinds, province_code="24")  # Bắc Ninh, near
    candidate(6, kinds, province_code="79")  # Hồ Chí Minh City, far
    candidate(7, kinds, quantity_kg=16_000, province_code="24")
    candidate(8, kinds, from_ordinal=FROM - 30, until_ordinal=FROM - 1)  # no overlap
    wanted = demand(kinds)
    assert sql_order(wanted) == python_order(wanted)
    assert ids(sql_order(wanted))[0] == 1
    assert ids(sql_order(wanted))[-1] == 6
    assert 8 not in ids(sql_order(wanted))


def test_certificates_and_the_price_ceiling_score_in_sql_as_in_python(kinds):
    candidate(1, kinds, certification_mask=0)
    candidate(2, kinds, certification_mask=1)  # VietGAP of VietGAP + GlobalGAP asked
    candidate(3, kinds, certification_mask=3)
    candidate(4, kinds, certification_mask=3 | 8, price_vnd_per_kg=30_000)
    candidate(5, kinds, certification_mask=3, price_vnd_per_kg=36_000)  # 1.2 × the ceiling
    candidate(6, kinds, certification_mask=3, price_vnd_per_kg=45_000)  # 1.5 × (floor 0.5)
    candidate(7, kinds, certification_mask=3, price_vnd_per_kg=90_000)  # 3 × (floor 0.5)
    wanted = demand(kinds, certification_mask=3, price_max_vnd_per_kg=30_000)
    assert sql_order(wanted) == python_order(wanted)
    assert ids(sql_order(wanted))[:2] == [3, 4]  # tie on score: more kg, then kind, then id
    assert ids(sql_order(wanted))[-2:] == [6, 7]


def test_ties_break_on_quantity_kind_and_source_as_in_python(kinds):
    candidate(1, kinds, kind="listing", quantity_kg=25_000)
    candidate(2, kinds, kind="harvest", quantity_kg=25_000)
    candidate(3, kinds, kind="harvest", quantity_kg=30_000)
    candidate(4, kinds, kind="offer", quantity_kg=20_000)
    wanted = demand(kinds)
    assert sql_order(wanted) == python_order(wanted)
    assert ids(sql_order(wanted)) == [3, 2, 1, 4]


def test_a_seeded_mix_scores_in_the_same_order_and_values(kinds):
    rng = random.Random(8)
    for source_id in range(1, 161):
        candidate(
            source_id,
            kinds,
            kind=rng.choice(["harvest", "listing", "offer"]),
            produce_type_id=rng.choice(list(kinds.values())),
            province_code=rng.choice(PROVINCES),
            from_ordinal=(first := FROM + rng.randrange(-10, 10)),
            until_ordinal=first + rng.randrange(0, 25),
            quantity_kg=rng.choice([500, 5_000, 12_345, 20_000, 40_000]),
            price_vnd_per_kg=rng.choice([None, 20_000, 31_000, 44_999, 45_001, 60_000]),
            certification_mask=rng.choice([0, 1, 2, 3, 4, 9, 15]),
        )
    for wanted in (
        demand(kinds),
        demand(kinds, certification_mask=7, price_max_vnd_per_kg=30_000, province_code="79"),
        demand(kinds, quantity_max_kg=0, alternative_types=frozenset(), province_code="24"),
    ):
        expected = python_order(wanted)
        assert sql_order(wanted) == expected
        rows = scored_prefilter(wanted, provinces_by_distance(wanted.province_code), top=1000)
        for row in rows:
            assert row[11] == pytest.approx(score(wanted, row[:11], None).score, abs=1e-9)


def test_only_the_best_rows_reach_python_even_from_a_farther_chunk(kinds, monkeypatch):
    monkeypatch.setattr(matching, "PROVINCES_PER_QUERY", 1)
    for source_id in range(1, 6):  # here, but a tenth of the quantity
        candidate(source_id, kinds, quantity_kg=2_000)
    for source_id in range(6, 9):  # far, all of the quantity: better despite the distance
        candidate(source_id, kinds, province_code="79")
    wanted = demand(kinds)
    assert sql_order(wanted, top=4) == python_order(wanted)[:4]
    assert ids(sql_order(wanted, top=4))[:3] == [6, 7, 8]


def test_a_chunk_that_cannot_beat_the_best_rows_is_not_read(
    kinds, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(matching, "PROVINCES_PER_QUERY", 1)
    for source_id in range(1, 4):
        candidate(source_id, kinds)  # here, perfect on every factor
    candidate(4, kinds, province_code="79")
    wanted = demand(kinds)
    matching._province_ids(["01"])  # noqa: SLF001 - warm nothing: one query for the ids
    with django_assert_max_num_queries(2):  # province ids, then Hà Nội only
        assert ids(sql_order(wanted, top=3)) == [1, 2, 3]
