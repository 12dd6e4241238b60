"""Reads of the programme: indicator figures of a unit or of its parts, targets, progress,
series over time, the funnel; and the two seams the reports and exports apps use
(:func:`unit_figures`, :func:`dashboard_document`).

Every figure comes from the roll-up (``Fact``): one grouped query per table, whatever the
number of households or orders behind it.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from nongsan.geo.models import (
    LEGACY_LAST_DAY,
    AdministrativeUnit,
    UnitLevel,
    UnitSuccession,
)
from nongsan.onboarding.models import Channel
from nongsan.programme.measures import LEVEL_MEASURES
from nongsan.programme.models import (
    CrosswalkWeight,
    Display,
    Fact,
    Geography,
    Indicator,
    RollupRun,
    Source,
    Target,
)
from nongsan.programme.periods import (
    Period,
    PeriodKind,
    add_months,
    month_start,
    period_for_range,
)

NEAR_TARGET = 0.7
FAR_OVER_TARGET = 1.3


@dataclass(frozen=True)
class Span:
    """What to read: a calendar period (its own roll-up rows), or any run of whole months."""

    start: datetime.date
    end: datetime.date

    @property
    def period(self) -> Period | None:
        return period_for_range(self.start, self.end)

    @property
    def last_month(self) -> datetime.date:
        return month_start(self.end)


def span_of(period: Period) -> Span:
    return Span(period.start, period.end)


@dataclass
class Figure:
    """One indicator's figure for one unit (or for one channel / one source of it)."""

    indicator: Indicator
    value: float | None
    source: str = Source.PLATFORM
    channel: Channel | None = None
    target: float | None = None
    estimated: bool = False

    @property
    def code(self) -> str:
        code = self.indicator.code
        if self.channel is not None:
            code = f"{code}.{self.channel.code}"
        if self.source == Source.PARTNER:
            code = f"{code}.partner"
        return code

    @property
    def name(self) -> str:
        name = _(self.indicator.name)
        if self.channel is not None:
            name = f"{name} · {self.channel.name}"
        if self.source == Source.PARTNER:
            name = _("%(name)s (đối tác báo cáo)") % {"name": name}
        return name

    @property
    def progress(self) -> float | None:
        if self.value is None or not self.target:
            return None
        return self.value / self.target

    @property
    def band(self) -> str:
        """``done`` / ``near`` / ``behind`` / ``none``: the colour of the progress."""
        progress = self.progress
        if progress is None:
            return "none"
        if self.indicator.higher_is_better:
            if progress >= 1:
                return "done"
            return "near" if progress >= NEAR_TARGET else "behind"
        if progress <= 1:
            return "done"
        return "near" if progress <= FAR_OVER_TARGET else "behind"

    def as_dict(self) -> dict[str, Any]:
        value = self.value
        if value is not None and self.indicator.display != Display.PERCENT and not self.estimated:
            value = round(value)
        return {
            "code": self.code,
            "name": self.name,
            "value": value,
            "target": self.target,
            "progress": self.progress,
            "source": self.source,
            "estimated": self.estimated,
        }


# A cell key: (measure, channel id, source) → [value, estimated]
Cells = dict[tuple[str, int | None, str], list[Any]]


def indicator_list() -> QuerySet[Indicator]:
    return Indicator.objects.filter(is_active=True).order_by("position", "code")


def _unit_filter(unit: AdministrativeUnit | None) -> Q:
    if unit is None:
        return Q()
    if unit.level == UnitLevel.PROVINCE:
        return Q(province=unit)
    return Q(commune=unit)


def geography_of(unit: AdministrativeUnit | None, geography: str | None = None) -> str:
    if geography:
        return geography
    if unit is not None and unit.valid_until is not None and unit.valid_until <= LEGACY_LAST_DAY:
        return Geography.LEGACY
    return Geography.CURRENT


def _facts(*, geography: str, span: Span) -> tuple[QuerySet[Fact], Q]:
    """The rows to read and the condition of those that count (levels at the last month)."""
    period = span.period
    facts = Fact.objects.filter(geography=geography)
    if period is not None:
        return facts.filter(period_kind=period.kind, period_start=period.start), Q()
    facts = facts.filter(
        period_kind=PeriodKind.MONTH,
        period_start__gte=month_start(span.start),
        period_start__lte=span.last_month,
    )
    counted = ~Q(measure__in=sorted(LEVEL_MEASURES)) | Q(period_start=span.last_month)
    return facts, counted


def cells_by_group(
    *,
    geography: str,
    span: Span,
    unit: AdministrativeUnit | None,
    group: str | None,
) -> dict[int | None, Cells]:
    """Measure totals of ``unit`` (None: the nation), split by ``group`` ("province",
    "commune" or None): one grouped query over the roll-up."""
    is_commune_level = group == "commune" or (unit is not None and unit.level == UnitLevel.COMMUNE)
    if geography == Geography.LEGACY:
        return _legacy_cells(span=span, unit=unit, group=group, commune_level=is_commune_level)
    facts, counted = _facts(geography=geography, span=span)
    facts = facts.filter(_unit_filter(unit)).filter(
        level="commune" if is_commune_level else "province"
    )
    estimated_field = "estimated" if is_commune_level else "estimated_province"
    columns = ["measure", "channel_id", "source"]
    if group is not None:
        columns.insert(0, f"{group}_id")
    rows = (
        facts.values(*columns)
        .annotate(
            total=Sum("value", filter=counted) if counted else Sum("value"),
            estimates=Count("pk", filter=Q(**{estimated_field: True}) & counted),
        )
        .order_by()
    )
    result: dict[int | None, Cells] = defaultdict(dict)
    for row in rows:
        key = row.get(f"{group}_id") if group else None
        if row["total"] is None:
            continue
        result[key][row["measure"], row["channel_id"], row["source"]] = [
            float(row["total"]),
            bool(row["estimates"]),
        ]
    return result


def _legacy_cells(
    *, span: Span, unit: AdministrativeUnit | None, group: str | None, commune_level: bool
) -> dict[int | None, Cells]:
    """The same totals in the legacy geography, in one query: today's commune rows shared
    back through the crosswalk weights, plus the figures filed against legacy units (stored
    as filed). Carried-forward copies of those are left out, so nothing counts twice."""
    fact = connection.ops.quote_name(Fact._meta.db_table)
    weight = connection.ops.quote_name(CrosswalkWeight._meta.db_table)
    period = span.period
    parameters: list[Any] = []
    if period is not None:
        period_sql = "f.period_kind = %s AND f.period_start = %s"
        period_parameters: list[Any] = [period.kind, period.start]
        counted, counted_parameters = "1 = 1", []
    else:
        period_sql = "f.period_kind = %s AND f.period_start >= %s AND f.period_start <= %s"
        period_parameters = [PeriodKind.MONTH, month_start(span.start), span.last_month]
        levels = sorted(LEVEL_MEASURES)
        counted = (
            "(f.measure NOT IN (" + ", ".join(["%s"] * len(levels)) + ") OR f.period_start = %s)"
        )
        counted_parameters = [*levels, span.last_month]
    fact_estimate = "f.estimated" if commune_level else "f.estimated_province"
    weight_estimate = "w.backward_estimated" if commune_level else "w.backward_estimated_province"
    shared_group = f"w.legacy_{group}_id" if group else "0"
    filed_group = f"f.{group}_id" if group else "0"
    shared_filter = filed_filter = ""
    unit_parameters: list[Any] = []
    if unit is not None:
        shared_filter = f" AND w.legacy_{unit.level}_id = %s"
        filed_filter = f" AND f.{unit.level}_id = %s"
        unit_parameters = [unit.pk]
    sql = (
        "SELECT grp, measure, channel_id, source, SUM(amount), SUM(estimates) FROM ("  # noqa: S608 - names from the models, values as parameters
        f" SELECT {shared_group} AS grp, f.measure, f.channel_id, f.source,"
        f" CASE WHEN {counted} THEN f.value * w.backward_share ELSE 0 END AS amount,"
        f" CASE WHEN {counted} AND ({fact_estimate} OR {weight_estimate}) THEN 1 ELSE 0 END"
        " AS estimates"
        f" FROM {fact} f JOIN {weight} w ON w.current_commune_id = f.commune_id"
        " WHERE f.geography = %s AND f.is_carried = %s AND f.level = 'commune'"
        f" AND {period_sql}{shared_filter}"
        " UNION ALL"
        f" SELECT {filed_group} AS grp, f.measure, f.channel_id, f.source,"
        f" CASE WHEN {counted} THEN f.value ELSE 0 END,"
        f" CASE WHEN {counted} AND {fact_estimate} THEN 1 ELSE 0 END"
        f" FROM {fact} f WHERE f.geography = %s AND {period_sql}{filed_filter}"
        ") cells GROUP BY grp, measure, channel_id, source"
    )
    parameters = [
        *counted_parameters,
        *counted_parameters,
        Geography.CURRENT,
        False,
        *period_parameters,
        *unit_parameters,
        *counted_parameters,
        *counted_parameters,
        Geography.LEGACY,
        *period_parameters,
        *unit_parameters,
    ]
    result: dict[int | None, Cells] = defaultdict(dict)
    with connection.cursor() as cursor:
        # Table and column names come from the models; every value is a parameter.
        cursor.execute(sql, parameters)
        for grp, measure, channel_id, source, total, estimates in cursor.fetchall():
            key = grp if group else None
            result[key][measure, channel_id, source] = [float(total or 0), bool(estimates)]
    return result


def _ratio(indicator: Indicator, cells: Cells, channel_id: int | None, source: str) -> Any:
    numerator = cells.get((indicator.measure, channel_id, source))
    if not indicator.is_ratio:
        if numerator is None:
            return (0.0 if source == Source.PLATFORM else None), False
        return numerator[0] * indicator.scale, numerator[1]
    denominator = cells.get((indicator.denominator, channel_id, source))
    if denominator is None or not denominator[0]:
        return None, False
    top = numerator[0] if numerator else 0.0
    estimated = bool((numerator and numerator[1]) or denominator[1])
    return top * indicator.scale / denominator[0], estimated


def figures_from_cells(
    cells: Cells, indicators: Iterable[Indicator], channels: list[Channel]
) -> list[Figure]:
    """Indicator figures from measure totals: platform first, each per channel where it
    applies, then whatever partners reported (labelled so)."""
    figures: list[Figure] = []
    partner_channels = {key[1] for key in cells if key[2] == Source.PARTNER}
    for indicator in indicators:
        for source in (Source.PLATFORM, Source.PARTNER):
            if indicator.is_per_channel:
                targets: list[Channel | None] = list(channels)
            else:
                targets = [None]
            if source == Source.PARTNER:
                targets = [c for c in channels if c.pk in partner_channels]
            for channel in targets:
                value, estimated = _ratio(indicator, cells, channel.pk if channel else None, source)
                if source == Source.PARTNER and value is None:
                    continue
                figures.append(
                    Figure(
                        indicator=indicator,
                        value=value,
                        source=source,
                        channel=channel,
                        estimated=estimated,
                    )
                )
    return figures


def _targets_where(unit: AdministrativeUnit | None, level: str) -> Q:
    """Which target rows can count for ``unit`` (None: the nation) at ``level``: those of its
    own province only. A target keeps today's province whether it was filed against a current
    or a legacy unit, so a current unit needs no successor look-up; a legacy unit is read
    through the legacy units of its own legacy province."""
    if unit is None:
        return Q(unit__level=level)
    if unit.is_legacy:
        if unit.level == level:
            return Q(unit=unit)
        return Q(unit__level=level, unit__province=unit)
    province_id = unit.pk if unit.level == UnitLevel.PROVINCE else unit.province_id
    return Q(unit__level=level, province_id=province_id)


TargetCells = dict[tuple[int, int | None], tuple[float, bool]]


def _targets_read(
    *, period: Period | None, indicators: list[Indicator], geography: str, where: Q
) -> dict[int, TargetCells]:
    """Targets matching ``where`` for a calendar period: ``{unit: {(indicator, channel):
    (value, estimated)}}``. In today's geography, targets filed against legacy units are
    carried forward (a legacy province wholly into its successor; a legacy commune through
    the crosswalk's forward shares, estimated for a split commune): one more query each, and
    only when such targets exist (periods before the reform)."""
    if period is None:
        return {}
    rows = (
        Target.objects.filter(
            period_kind=period.kind, period_start=period.start, indicator__in=indicators
        )
        .filter(where)
        .values_list(
            "indicator_id", "channel_id", "unit_id", "unit__level", "unit__valid_until", "value"
        )
    )
    result: dict[int, TargetCells] = defaultdict(dict)
    legacy_rows = []
    for indicator_id, channel_id, unit_id, level, valid_until, value in rows:
        is_legacy = valid_until is not None and valid_until <= LEGACY_LAST_DAY
        if (geography == Geography.LEGACY) == is_legacy:
            old = result[unit_id].get((indicator_id, channel_id), (0.0, False))
            result[unit_id][indicator_id, channel_id] = (old[0] + value, old[1])
        elif is_legacy:
            legacy_rows.append((indicator_id, channel_id, unit_id, level, value))
    if legacy_rows and geography == Geography.CURRENT:
        forward: dict[int, list[tuple[int, float, bool]]] = defaultdict(list)
        legacy_provinces = sorted({r[2] for r in legacy_rows if r[3] == UnitLevel.PROVINCE})
        legacy_communes = sorted({r[2] for r in legacy_rows if r[3] != UnitLevel.PROVINCE})
        if legacy_provinces:
            for legacy, current in UnitSuccession.objects.filter(
                predecessor_id__in=legacy_provinces, successor__level=UnitLevel.PROVINCE
            ).values_list("predecessor_id", "successor_id"):
                forward[legacy].append((current, 1.0, False))
        if legacy_communes:
            for legacy, current, share, estimated in CrosswalkWeight.objects.filter(
                legacy_commune_id__in=legacy_communes
            ).values_list(
                "legacy_commune_id", "current_commune_id", "forward_share", "forward_estimated"
            ):
                forward[legacy].append((current, share, estimated))
        for indicator_id, channel_id, legacy_id, _level, value in legacy_rows:
            for current, share, estimated in forward.get(legacy_id, []):
                old = result[current].get((indicator_id, channel_id), (0.0, False))
                result[current][indicator_id, channel_id] = (
                    old[0] + value * share,
                    old[1] or estimated,
                )
    return result


def targets_by_unit(
    *,
    period: Period | None,
    indicators: list[Indicator],
    geography: str,
    level: str,
    unit_ids: Iterable[int] | None = None,
    within: AdministrativeUnit | None = None,
) -> dict[int, TargetCells]:
    """Targets of units of ``level`` (those of ``within``'s province only, when given) for a
    calendar period, carried into today's units as :func:`_targets_read` says."""
    result = _targets_read(
        period=period,
        indicators=indicators,
        geography=geography,
        where=_targets_where(within, level),
    )
    if unit_ids is not None:
        wanted = set(unit_ids)
        return {unit: value for unit, value in result.items() if unit in wanted}
    return result


def _summed(by_unit: Iterable[TargetCells]) -> TargetCells:
    totals: TargetCells = {}
    for targets in by_unit:
        for key, (value, estimated) in targets.items():
            old = totals.get(key, (0.0, False))
            totals[key] = (old[0] + value, old[1] or estimated)
    return totals


def _attach_targets(
    figures: list[Figure], targets: dict[tuple[int, int | None], tuple[float, bool]]
) -> None:
    for figure in figures:
        if figure.source != Source.PLATFORM:
            continue
        target = targets.get((figure.indicator.pk, figure.channel.pk if figure.channel else None))
        if target is not None:
            figure.target = target[0]


def _channels() -> list[Channel]:
    return list(Channel.objects.filter(is_active=True).order_by("position", "code"))


def unit_figure_list(
    *,
    unit: AdministrativeUnit | None,
    span: Span,
    geography: str = Geography.CURRENT,
    indicators: list[Indicator] | None = None,
    channels: list[Channel] | None = None,
) -> list[Figure]:
    """Every indicator's figure for ``unit`` (None: the nation) over ``span``, with targets
    when ``span`` is a calendar period."""
    indicators = indicators if indicators is not None else list(indicator_list())
    channels = channels if channels is not None else _channels()
    cells = cells_by_group(geography=geography, span=span, unit=unit, group=None).get(None, {})
    figures = figures_from_cells(cells, indicators, channels)
    period = span.period
    if unit is None:
        by_province = targets_by_unit(
            period=period, indicators=indicators, geography=geography, level=UnitLevel.PROVINCE
        )
        _attach_targets(figures, _summed(by_province.values()))
    else:
        own = targets_by_unit(
            period=period,
            indicators=indicators,
            geography=geography,
            level=unit.level,
            unit_ids=[unit.pk],
            within=unit,
        )
        _attach_targets(figures, own.get(unit.pk, {}))
    return figures


def unit_figures(
    *,
    unit: AdministrativeUnit | None,
    start: datetime.date,
    end: datetime.date,
    geography: str = "current",
) -> list[dict[str, Any]]:
    """The figures of a province, a commune or (``unit=None``) the nation for a report.

    Seam for the reports app (it snapshots the list into a provincial report). Figures are
    kept by whole months: ``start``–``end`` is read as the months they fall in; a flow
    (orders, sessions) is summed over those months, a level (households registered, active
    sellers) is its value at the last one. When ``start``–``end`` is exactly a month, a quarter
    or a year, the targets set for that period come along.

    Each dict: ``code`` (the indicator's code, ``.<channel>`` for a per-channel figure,
    ``.partner`` for a partner-reported one), ``name`` (translated to the active language),
    ``value`` (int for counts and money, float for percentages; None when a rate has no
    denominator), ``target`` (number or None), ``progress`` (value / target, or None),
    ``source`` ("platform" or "partner"), ``estimated`` (True when part of the figure was
    apportioned across a split commune of the 2025 reform).

    ``geography`` is "current" (today's units; legacy filings carried forward) or "legacy"
    (the units before 1 July 2025; ``unit`` must then be a legacy unit or None).
    """
    if end < start:
        raise ValueError("end before start")
    if geography not in Geography.values:
        raise ValueError(f"unknown geography {geography!r}")
    figures = unit_figure_list(unit=unit, span=Span(start, end), geography=geography)
    return [figure.as_dict() for figure in figures]


@dataclass
class UnitRow:
    """A row of a dashboard table: one province or commune and its figures."""

    unit: AdministrativeUnit
    figures: list[Figure] = field(default_factory=list)

    def figure(self, code: str) -> Figure | None:
        return next((figure for figure in self.figures if figure.code == code), None)


def unit_rows(
    *,
    parent: AdministrativeUnit | None,
    span: Span,
    geography: str = Geography.CURRENT,
    indicators: list[Indicator] | None = None,
    channels: list[Channel] | None = None,
) -> list[UnitRow]:
    """The provinces of the nation (``parent=None``) or the communes of a province, each
    with every indicator's figure and target: three queries whatever their number."""
    indicators = indicators if indicators is not None else list(indicator_list())
    channels = channels if channels is not None else _channels()
    units = AdministrativeUnit.objects.only("pk", "level", "code", "name", "province_id")
    units = units.legacy() if geography == Geography.LEGACY else units.current()
    if parent is None:
        level, group = UnitLevel.PROVINCE, "province"
        units = units.filter(level=UnitLevel.PROVINCE)
    else:
        level, group = UnitLevel.COMMUNE, "commune"
        units = units.filter(level=UnitLevel.COMMUNE, province=parent)
    cells = cells_by_group(geography=geography, span=span, unit=parent, group=group)
    targets = targets_by_unit(
        period=span.period,
        indicators=indicators,
        geography=geography,
        level=level,
        within=parent,
    )
    rows = []
    for unit in units.order_by("code"):
        figures = figures_from_cells(cells.get(unit.pk, {}), indicators, channels)
        _attach_targets(figures, targets.get(unit.pk, {}))
        rows.append(UnitRow(unit=unit, figures=figures))
    return rows


def _cells_with_children(
    *, geography: str, span: Span, parent: AdministrativeUnit | None
) -> tuple[Cells, dict[int | None, Cells]]:
    """The measure totals of ``parent`` (None: the nation) and of each of its provinces or
    communes, in one grouped query over the roll-up (two for a legacy province, whose own
    totals are read through the crosswalk differently from its communes')."""
    if parent is None:
        children = cells_by_group(geography=geography, span=span, unit=None, group="province")
        own: Cells = {}
        for cells in children.values():
            for key, (value, estimated) in cells.items():
                old = own.get(key, [0.0, False])
                own[key] = [old[0] + value, old[1] or estimated]
        return own, children
    if geography == Geography.LEGACY:
        own = cells_by_group(geography=geography, span=span, unit=parent, group=None).get(None, {})
        return own, cells_by_group(geography=geography, span=span, unit=parent, group="commune")
    facts, counted = _facts(geography=geography, span=span)
    estimated = Q(level="commune", estimated=True) | Q(level="province", estimated_province=True)
    rows = (
        facts.filter(province=parent, level__in=["province", "commune"])
        .values("level", "commune_id", "measure", "channel_id", "source")
        .annotate(
            total=Sum("value", filter=counted) if counted else Sum("value"),
            estimates=Count("pk", filter=estimated & counted),
        )
        .order_by()
    )
    own = {}
    by_commune: dict[int | None, Cells] = defaultdict(dict)
    for row in rows:
        if row["total"] is None:
            continue
        cells = own if row["level"] == "province" else by_commune[row["commune_id"]]
        cells[row["measure"], row["channel_id"], row["source"]] = [
            float(row["total"]),
            bool(row["estimates"]),
        ]
    return own, by_commune


def _child_units(
    parent: AdministrativeUnit | None, geography: str
) -> tuple[QuerySet[AdministrativeUnit], str]:
    units = AdministrativeUnit.objects.only("pk", "level", "code", "name", "province_id")
    units = units.legacy() if geography == Geography.LEGACY else units.current()
    if parent is None:
        return units.filter(level=UnitLevel.PROVINCE), UnitLevel.PROVINCE
    return units.filter(level=UnitLevel.COMMUNE, province=parent), UnitLevel.COMMUNE


def dashboard_figures(
    *,
    parent: AdministrativeUnit | None,
    span: Span,
    geography: str = Geography.CURRENT,
    indicators: list[Indicator],
    row_indicators: list[Indicator],
    channels: list[Channel],
) -> tuple[list[Figure], list[UnitRow]]:
    """What the national (``parent=None``) or a provincial dashboard shows: the unit's own
    figures for ``indicators`` and a row per province or commune for ``row_indicators``.

    One grouped query over the roll-up for the unit and all its children, one for the
    targets of its own province (the nation: of every province), and the list of units;
    with :func:`freshness`, the page's figures cost the same queries whatever the number of
    provinces or communes."""
    own_cells, cells = _cells_with_children(geography=geography, span=span, parent=parent)
    units, level = _child_units(parent, geography)
    period = span.period
    if parent is None:
        where = _targets_where(None, UnitLevel.PROVINCE)
    else:
        where = _targets_where(parent, UnitLevel.PROVINCE) | _targets_where(parent, level)
    targets = _targets_read(period=period, indicators=indicators, geography=geography, where=where)
    figures = figures_from_cells(own_cells, indicators, channels)
    rows = []
    for unit in units.order_by("code"):
        row_figures = figures_from_cells(cells.get(unit.pk, {}), row_indicators, channels)
        _attach_targets(row_figures, targets.get(unit.pk, {}))
        rows.append(UnitRow(unit=unit, figures=row_figures))
    if parent is None:
        _attach_targets(figures, _summed(targets.values()))
    else:
        _attach_targets(figures, targets.get(parent.pk, {}))
    return figures, rows


def rows_by_progress(rows: list[UnitRow], code: str) -> list[UnitRow]:
    """Sorted by progress toward the target of ``code`` (lowest first, those without a
    target last), then by value."""

    def key(row: UnitRow) -> tuple[int, float, float]:
        figure = row.figure(code)
        if figure is None:
            return (2, 0.0, 0.0)
        progress = figure.progress
        if progress is None:
            return (1, 0.0, -(figure.value or 0.0))
        signed = progress if figure.indicator.higher_is_better else -progress
        return (0, signed, -(figure.value or 0.0))

    return sorted(rows, key=key)


def series(
    *,
    unit: AdministrativeUnit | None,
    indicator: Indicator,
    months: list[datetime.date],
    geography: str = Geography.CURRENT,
) -> list[float | None]:
    """The indicator month by month for ``unit``: one grouped query (one a month in the
    legacy geography)."""
    if geography == Geography.LEGACY:
        values: list[float | None] = []
        for month in months:
            span = Span(month, add_months(month, 1) - datetime.timedelta(days=1))
            cells = cells_by_group(geography=geography, span=span, unit=unit, group=None)
            value, _estimated = _ratio(indicator, cells.get(None, {}), None, Source.PLATFORM)
            values.append(value)
        return values
    measures = [indicator.measure] + ([indicator.denominator] if indicator.is_ratio else [])
    rows = (
        Fact.objects.filter(
            geography=geography,
            period_kind=PeriodKind.MONTH,
            period_start__in=months,
            measure__in=measures,
            source=Source.PLATFORM,
            level="commune" if unit is not None and unit.level == UnitLevel.COMMUNE else "province",
        )
        .filter(_unit_filter(unit))
        .values("period_start", "measure")
        .annotate(total=Sum("value"))
        .order_by()
    )
    totals = {(row["period_start"], row["measure"]): row["total"] for row in rows}
    values = []
    for month in months:
        top = totals.get((month, indicator.measure), 0.0)
        if indicator.is_ratio:
            bottom = totals.get((month, indicator.denominator))
            values.append(top * indicator.scale / bottom if bottom else None)
        else:
            values.append(top * indicator.scale)
    return values


def funnel_steps(figures: list[Figure]) -> list[Figure]:
    """Registered → trained → listed → first sale → active, from the unit's figures."""
    return [
        figure
        for figure in figures
        if figure.indicator.is_funnel_step
        and figure.source == Source.PLATFORM
        and figure.channel is None
    ]


def freshness() -> RollupRun | None:
    """The last finished rebuild: how fresh the dashboards' numbers are."""
    return RollupRun.objects.filter(status=RollupRun.Status.DONE).order_by("-finished_at").first()


def _format(figure: Figure) -> str | int | float | None:
    if figure.value is None:
        return None
    if figure.indicator.display == Display.PERCENT:
        return round(figure.value, 1)
    return round(figure.value)


def dashboard_document(
    *,
    user: Any,
    unit: AdministrativeUnit | None,
    start: datetime.date,
    end: datetime.date,
) -> dict[str, Any]:
    """The figures a dashboard shows, as plain data, for the exports app to render.

    Seam for the exports app (xlsx / PDF). ``unit`` None is the national dashboard, a
    province its provincial dashboard (its communes), a commune its own figures. Raises
    ``PermissionDenied`` when ``user`` may not see that dashboard. Shape::

        {"title": str, "subtitle": str, "generated_at": ISO 8601 str,
         "sections": [{"heading": str, "text": str, "columns": [str],
                       "rows": [[str | int | float | None, ...]]}]}

    Sections: the unit's own figures (indicator, value, target, progress %, source,
    estimated), then one row per province or commune with the headline indicators.
    """
    from django.core.exceptions import PermissionDenied

    from nongsan.programme.permissions import can_view_unit

    if not can_view_unit(user, unit):
        raise PermissionDenied(_("Bạn không được xem bảng số liệu này."))
    span = Span(start, end)
    geography = geography_of(unit)
    figures = unit_figure_list(unit=unit, span=span, geography=geography)
    run = freshness()
    period = span.period
    period_text = (
        period.label
        if period is not None
        else _("Từ %(start)s đến %(end)s")
        % {"start": f"{start:%d/%m/%Y}", "end": f"{end:%d/%m/%Y}"}
    )
    fresh_text = (
        _("Số liệu tổng hợp lúc %(when)s.")
        % {"when": f"{timezone.localtime(run.finished_at):%H:%M %d/%m/%Y}"}
        if run is not None and run.finished_at
        else _("Chưa tổng hợp số liệu lần nào.")
    )
    yes, no = _("có"), _("không")
    sections: list[dict[str, Any]] = [
        {
            "heading": _("Chỉ tiêu"),
            "text": fresh_text,
            "columns": [
                _("Chỉ tiêu"),
                _("Kết quả"),
                _("Chỉ tiêu giao"),
                _("Tiến độ (%)"),
                _("Nguồn"),
                _("Ước tính"),
            ],
            "rows": [
                [
                    figure.name,
                    _format(figure),
                    figure.target,
                    round(figure.progress * 100, 1) if figure.progress is not None else None,
                    str(Source(figure.source).label),
                    yes if figure.estimated else no,
                ]
                for figure in figures
            ],
        }
    ]
    if unit is None or unit.level == UnitLevel.PROVINCE:
        headline = [i for i in indicator_list() if i.is_funnel_step or i.code == "orders"]
        rows = unit_rows(parent=unit, span=span, geography=geography, indicators=headline)
        sections.append(
            {
                "heading": _("Theo tỉnh / thành phố") if unit is None else _("Theo xã / phường"),
                "text": "",
                "columns": [_("Mã"), _("Đơn vị")] + [_(i.name) for i in headline],
                "rows": [
                    [row.unit.code, row.unit.name]
                    + [
                        _format(figure)
                        for figure in row.figures
                        if figure.source == Source.PLATFORM
                    ]
                    for row in rows
                ],
            }
        )
    return {
        "title": _("Kết quả chương trình: %(unit)s")
        % {"unit": unit.name if unit is not None else _("Toàn quốc")},
        "subtitle": period_text,
        "generated_at": timezone.now().isoformat(),
        "sections": sections,
    }


def unit_from_code(code: str, geography: str = Geography.CURRENT) -> AdministrativeUnit | None:
    """A province (2 digits) or commune (5 digits) of the geography by its code; "" is the
    nation. Codes were reused across the reform, so the geography decides which unit."""
    from django.core.exceptions import ValidationError

    code = (code or "").strip()
    if geography not in Geography.values:
        raise ValidationError({"geography": [_("Địa giới phải là current hoặc legacy.")]})
    if not code:
        return None
    if not code.isdigit() or len(code) not in (2, 5):
        raise ValidationError({"unit": [_("Mã đơn vị gồm 2 chữ số (tỉnh) hoặc 5 chữ số (xã).")]})
    units = AdministrativeUnit.objects.select_related("province")
    units = units.legacy() if geography == Geography.LEGACY else units.current()
    level = UnitLevel.PROVINCE if len(code) == 2 else UnitLevel.COMMUNE  # noqa: PLR2004
    unit = units.filter(level=level, code=code).first()
    if unit is None:
        raise ValidationError({"unit": [_("Không có đơn vị với mã này trong địa giới đã chọn.")]})
    return unit
