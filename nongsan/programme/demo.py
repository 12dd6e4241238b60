"""Demo programme data for ``manage.py seed_demo``: the roll-up built from the demo
households, listings and orders; targets for this year and quarter for each province that
has households (around what they reached, so progress varies) and for the communes of the
busiest province; Postmart figures for last month. Targets once; the roll-up every run."""

from __future__ import annotations

import random

from django.db.models import Count
from django.utils import timezone

from nongsan.onboarding.models import Channel
from nongsan.producers.models import Household
from nongsan.programme.models import Indicator, PartnerFigure, Target
from nongsan.programme.periods import PeriodKind, add_months, month_start, period_of
from nongsan.programme.rollup import rollup_rebuild
from nongsan.programme.selectors import span_of, unit_rows

DEMO_INDICATORS = ("households_registered", "households_trained", "households_first_sale", "orders")


def _targets_for(
    rng: random.Random, rows: list, indicators: list[Indicator], period
) -> list[Target]:
    targets = []
    for row in rows:
        for indicator in indicators:
            figure = row.figure(indicator.code)
            reached = figure.value if figure is not None and figure.value else 0
            if not reached:
                continue
            unit = row.unit
            targets.append(
                Target(
                    indicator=indicator,
                    unit=unit,
                    province_id=unit.pk if unit.level == "province" else unit.province_id,
                    commune_id=None if unit.level == "province" else unit.pk,
                    period_kind=period.kind,
                    period_start=period.start,
                    value=max(1, round(reached * rng.uniform(0.8, 2.0))),
                    note="Dữ liệu mẫu",
                )
            )
    return targets


def seed_programme(rng: random.Random) -> tuple[int, int]:
    """Build the roll-up; seed targets and partner figures once. Returns (rows, targets)."""
    run = rollup_rebuild()
    if Target.objects.exists():
        return run.rows, 0
    indicators = list(Indicator.objects.filter(code__in=DEMO_INDICATORS))
    today = timezone.localdate()
    created = 0
    for kind in (PeriodKind.YEAR, PeriodKind.QUARTER):
        period = period_of(kind, today)
        rows = unit_rows(parent=None, span=span_of(period), indicators=indicators)
        created += len(Target.objects.bulk_create(_targets_for(rng, rows, indicators, period)))
        busiest = (
            Household.objects.values("province_id")
            .annotate(count=Count("pk"))
            .order_by("-count")
            .first()
        )
        if busiest is not None:
            province = next(
                (row.unit for row in rows if row.unit.pk == busiest["province_id"]), None
            )
            communes = unit_rows(parent=province, span=span_of(period), indicators=indicators)
            created += len(
                Target.objects.bulk_create(_targets_for(rng, communes, indicators, period))
            )
    postmart = Channel.objects.filter(code="postmart").first()
    account = Indicator.objects.filter(code="households_with_account").first()
    if postmart is not None and account is not None:
        last_month = add_months(month_start(today), -1)
        rows = unit_rows(
            parent=None, span=span_of(period_of(PeriodKind.MONTH, last_month)), indicators=[account]
        )
        PartnerFigure.objects.bulk_create(
            PartnerFigure(
                indicator=account,
                channel=postmart,
                unit=row.unit,
                province_id=row.unit.pk,
                month=last_month,
                value=rng.randint(50, 5000),
                note="Dữ liệu mẫu",
            )
            for row in rows[:10]
        )
        run = rollup_rebuild()
    return run.rows, created
