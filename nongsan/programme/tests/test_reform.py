"""Figures and targets across the 2025 reform: whole merges add up, a split commune is
apportioned by households (marked estimated), a rename carries over, totals are conserved,
the legacy geography shows the same figures, and nothing filed is rewritten."""

from __future__ import annotations

import datetime
from collections import defaultdict

import pytest
from django.utils import timezone

from nongsan.onboarding.tests.factories import channel, staff_user
from nongsan.programme import rollup, services
from nongsan.programme.models import CrosswalkWeight, Indicator, PartnerFigure
from nongsan.programme.periods import period_parse
from nongsan.programme.selectors import unit_figures
from nongsan.programme.tests import factories as make

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 15)
D = datetime.date


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> make.World:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    w = make.world()
    for day in (D(2026, 1, 1), D(2026, 1, 2), D(2026, 1, 3)):
        make.household(w.commune_a, day)
    make.household(w.commune_b, D(2026, 1, 4))
    return w


def _figure(unit, period: str, code: str, geography: str = "current") -> dict:
    p = period_parse(period)
    rows = unit_figures(unit=unit, start=p.start, end=p.end, geography=geography)
    return next(row for row in rows if row["code"] == code)


def _partner(unit, month: datetime.date, value: float) -> PartnerFigure:
    return services.partner_figure_record(
        user=staff_user(),
        indicator=Indicator.objects.get(code="households_with_account"),
        channel=channel("postmart"),
        unit=unit,
        month=month,
        value=value,
        now=timezone.now(),
    )


def test_weights_share_a_split_commune_by_households_and_conserve_totals(world):
    rollup.rollup_rebuild(today=TODAY)
    forward: dict[int, float] = defaultdict(float)
    backward: dict[int, float] = defaultdict(float)
    for weight in CrosswalkWeight.objects.all():
        forward[weight.legacy_commune_id] += weight.forward_share
        backward[weight.current_commune_id] += weight.backward_share
    assert all(total == pytest.approx(1.0) for total in forward.values())
    assert all(total == pytest.approx(1.0) for total in backward.values())
    split = world.legacy[2]
    shares = dict(
        CrosswalkWeight.objects.filter(legacy_commune=split).values_list(
            "current_commune_id", "forward_share"
        )
    )
    # Three households in A, one in B.
    assert shares == {world.commune_a.pk: 0.75, world.commune_b.pk: 0.25}
    assert CrosswalkWeight.objects.get(
        legacy_commune=split, current_commune=world.commune_a
    ).forward_estimated
    assert not CrosswalkWeight.objects.get(legacy_commune=world.legacy[0]).forward_estimated


def test_partner_figures_filed_on_legacy_communes_re_add_into_todays(world):
    may = D(2025, 5, 1)
    whole = _partner(world.legacy[0], may, 40)
    _partner(world.legacy[1], may, 60)  # whole merge: both into A
    _partner(world.legacy[2], may, 100)  # split: 75 to A, 25 to B
    _partner(world.legacy[3], may, 10)  # renamed into B
    rollup.rollup_rebuild(today=TODAY)
    code = "households_with_account.postmart.partner"
    a = _figure(world.commune_a, "2025-05", code)
    b = _figure(world.commune_b, "2025-05", code)
    assert a["value"] == pytest.approx(40 + 60 + 75)
    assert b["value"] == pytest.approx(25 + 10)
    assert a["estimated"]
    assert b["estimated"]
    assert a["source"] == "partner"
    province = _figure(world.province, "2025-05", code)
    assert province["value"] == pytest.approx(210)  # conserved
    assert not province["estimated"]  # the split stayed inside one province
    # As filed in the legacy geography, untouched.
    legacy = _figure(world.legacy[2], "2025-05", code, geography="legacy")
    assert legacy["value"] == pytest.approx(100)
    assert not legacy["estimated"]
    assert _figure(world.legacy_province, "2025-05", code, "legacy")["value"] == pytest.approx(210)
    whole.refresh_from_db()
    assert whole.value == 40  # nothing recorded is rewritten


def test_a_whole_merge_alone_is_exact(world):
    _partner(world.legacy[0], D(2025, 5, 1), 40)
    rollup.rollup_rebuild(today=TODAY)
    row = _figure(world.commune_a, "2025-05", "households_with_account.postmart.partner")
    assert row == {**row, "value": 40, "estimated": False}


def test_platform_figures_in_the_legacy_geography_conserve_totals(world):
    rollup.rollup_rebuild(today=TODAY)
    code = "households_registered"
    assert _figure(world.legacy_province, "2026-Q1", code, "legacy")["value"] == pytest.approx(4)
    # B (1 household) came from a quarter of Q3 and all of Q4: 0.25 / 1.25 and 1 / 1.25.
    q4 = _figure(world.legacy[3], "2026-Q1", code, "legacy")
    assert q4["value"] == pytest.approx(0.8)
    assert q4["estimated"]
    legacy_total = sum(_figure(unit, "2026-Q1", code, "legacy")["value"] for unit in world.legacy)
    assert legacy_total == pytest.approx(4)
    # An unchanged commune is exact in both geographies.
    make.household(world.other_commune, D(2026, 2, 1))
    rollup.rollup_rebuild(today=TODAY)
    other = _figure(world.other_legacy_commune, "2026-Q1", code, "legacy")
    assert other["value"] == pytest.approx(1)
    assert not other["estimated"]


def test_targets_filed_on_legacy_units_count_toward_todays(world):
    indicator = Indicator.objects.get(code="orders")
    user = staff_user()
    quarter = period_parse("2025-Q1")
    services.target_set(
        user=user, indicator=indicator, unit=world.legacy_province, period=quarter, value=1000
    )
    services.target_set(
        user=user, indicator=indicator, unit=world.legacy[2], period=quarter, value=80
    )
    rollup.rollup_rebuild(today=TODAY)
    assert _figure(world.province, "2025-Q1", "orders")["target"] == pytest.approx(1000)
    assert _figure(world.commune_a, "2025-Q1", "orders")["target"] == pytest.approx(60)
    assert _figure(world.commune_b, "2025-Q1", "orders")["target"] == pytest.approx(20)
    legacy = _figure(world.legacy_province, "2025-Q1", "orders", "legacy")
    assert legacy["target"] == pytest.approx(1000)
