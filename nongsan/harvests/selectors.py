"""Reads of the harvests app: the calendar for a place, what is in season, the weekly supply
forecast (grouped queries, never a loop over rows) and the error of a past forecast."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Least, TruncDate

from nongsan.catalog.models import Listing, ListingStatus, ProduceType, SellingUnit
from nongsan.geo.models import AdministrativeUnit
from nongsan.harvests import demand
from nongsan.harvests.models import (
    OPEN_STATUSES,
    CalendarEntry,
    Campaign,
    ForecastSnapshot,
    HarvestAnnouncement,
    WeeklySupply,
    iso_week_start,
)
from nongsan.harvests.sources import REGIONS, region_province_codes
from nongsan.orders.models import OrderItem, OrderStatus

TONNE = Decimal("0.001")
# Units whose stock can be read as a weight; a listing sold by the piece or box says nothing
# about tonnes, so it does not count as covering the forecast.
KILOGRAMS_PER_UNIT = {SellingUnit.KG: Decimal(1)}


def regions_of(province: AdministrativeUnit) -> list[str]:
    """The regions a current province lies in (through the crosswalk)."""
    return [slug for slug in REGIONS if province.code in region_province_codes(slug)]


def place_condition(province: AdministrativeUnit | None) -> Q:
    """Entries that apply to a province: its own, its regions', the national ones."""
    if province is None:
        return Q()
    return (
        Q(province=province)
        | Q(province__isnull=True, region__in=regions_of(province))
        | Q(province__isnull=True, region="")
    )


def calendar_entry_list(
    *,
    province: AdministrativeUnit | None = None,
    produce_type: ProduceType | None = None,
) -> QuerySet[CalendarEntry]:
    entries = CalendarEntry.objects.select_related("produce_type", "province").filter(
        place_condition(province)
    )
    if produce_type is not None:
        entries = entries.filter(produce_type=produce_type)
    return entries.order_by("produce_type__name_vi", "harvest_from_month", "pk")


def calendar_entry_for(
    *, produce_type: ProduceType, province: AdministrativeUnit | None
) -> CalendarEntry | None:
    """The entry a planting is judged by: the province's own before its region's before the
    nation's, and among those one with a harvest window and a yield first."""
    entries = list(calendar_entry_list(province=province, produce_type=produce_type))
    if not entries:
        return None

    def rank(entry: CalendarEntry) -> tuple[int, int, int, int]:
        place = 0 if entry.province_id else (1 if entry.region else 2)
        has_window = entry.maturity_days_min is not None or bool(entry.harvest_months)
        return (place, 0 if has_window else 1, 0 if entry.yield_tonnes_per_ha else 1, entry.pk)

    return min(entries, key=rank)


def _day(year: int, month: int, day: int | None, *, is_end: bool) -> datetime.date:
    last = calendar.monthrange(year, month)[1]
    if day is None:
        day = last if is_end else 1
    return datetime.date(year, month, min(day, last))


def harvest_window_in(
    entry: CalendarEntry, year: int
) -> tuple[datetime.date, datetime.date] | None:
    """The entry's harvest window that starts in ``year`` (None when it has none in solar
    months). A missing bound takes the other bound's month."""
    if entry.is_lunar:
        return None
    from_month = entry.harvest_from_month or entry.harvest_until_month
    until_month = entry.harvest_until_month or entry.harvest_from_month
    if from_month is None or until_month is None:
        return None
    from_day = entry.harvest_from_day if entry.harvest_from_month else None
    until_day = entry.harvest_until_day if entry.harvest_until_month else None
    start = _day(year, from_month, from_day, is_end=False)
    end_year = year + 1 if until_month < from_month else year
    end = _day(end_year, until_month, until_day, is_end=True)
    if end < start:  # same month, days reversed: read as crossing the year
        end = _day(year + 1, until_month, until_day, is_end=True)
    return start, end


def expected_window(
    entry: CalendarEntry, planted_on: datetime.date
) -> tuple[datetime.date, datetime.date] | None:
    """When a planting of ``planted_on`` should be harvested: planting date + days to
    maturity when the entry has them (a week when only one figure), else the first harvest
    window of the season that starts after the planting."""
    if entry.maturity_days_min is not None:
        low = entry.maturity_days_min
        high = entry.maturity_days_max or low
        start = planted_on + datetime.timedelta(days=low)
        end = planted_on + datetime.timedelta(days=max(high, low + 6))
        return start, end
    for year in (planted_on.year, planted_on.year + 1):
        window = harvest_window_in(entry, year)
        if window is not None and window[0] > planted_on:
            return window
    return None


@dataclass(frozen=True)
class GridRow:
    produce_type: ProduceType
    entries: list[CalendarEntry]
    months: list[bool]  # index 0 = January


def calendar_grid(*, province: AdministrativeUnit | None) -> list[GridRow]:
    """One row per produce type: which solar months any of its applicable seasons harvest."""
    rows: dict[int, GridRow] = {}
    for entry in calendar_entry_list(province=province):
        row = rows.get(entry.produce_type_id)
        if row is None:
            row = rows[entry.produce_type_id] = GridRow(entry.produce_type, [], [False] * 12)
        row.entries.append(entry)
        for month in entry.harvest_months:
            row.months[month - 1] = True
    return sorted(rows.values(), key=lambda row: row.produce_type.name_vi)


def in_season(
    *, province: AdministrativeUnit | None, today: datetime.date, weeks_ahead: int = 0
) -> list[tuple[CalendarEntry, datetime.date, datetime.date]]:
    """Entries harvesting today (``weeks_ahead`` = 0) or starting within the next weeks."""
    horizon = today + datetime.timedelta(weeks=weeks_ahead)
    found = []
    for entry in calendar_entry_list(province=province):
        for year in (today.year - 1, today.year, today.year + 1):
            window = harvest_window_in(entry, year)
            if window is None:
                continue
            start, end = window
            if weeks_ahead == 0 and start <= today <= end:
                found.append((entry, start, end))
                break
            if weeks_ahead and today < start <= horizon:
                found.append((entry, start, end))
                break
    return sorted(found, key=lambda item: (item[1], item[0].produce_type.name_vi))


class ForecastRow(NamedTuple):
    """One produce × province × week of the forecast (a tuple: a national forecast makes a
    hundred thousand of them)."""

    produce_type_id: int
    province_id: int
    week_start: datetime.date
    expected_tonnes: Decimal
    listed_tonnes: Decimal
    households: int
    # Tonnes already spoken for: open orders due that week, traders' buy requests.
    ordered_tonnes: Decimal = Decimal("0.000")
    requested_tonnes: Decimal = Decimal("0.000")


ZERO_TONNES = Decimal("0.000")


def _by_pair(
    weekly: dict[tuple[int, int, int], Decimal],
) -> dict[tuple[int, int], dict[int, Decimal]]:
    """Weekly tonnes regrouped per produce × province, rounded to the kilogram."""
    pairs: dict[tuple[int, int], dict[int, Decimal]] = {}
    for (produce_id, province_id, index), tonnes in weekly.items():
        pairs.setdefault((produce_id, province_id), {})[index] = tonnes.quantize(TONNE)
    return pairs


def week_starts(today: datetime.date, weeks: int) -> list[datetime.date]:
    first = iso_week_start(today)
    return [first + datetime.timedelta(weeks=index) for index in range(weeks)]


def _spread(week: datetime.date) -> Any:
    """An announcement's tonnes falling in the week: tonnes × days in the week / its days."""
    first, last = week.toordinal(), week.toordinal() + 6
    overlap = (
        Least(F("harvest_until_ordinal"), Value(last))
        - Greatest(F("harvest_from_ordinal"), Value(first))
        + Value(1)
    )
    length = F("harvest_until_ordinal") - F("harvest_from_ordinal") + Value(1)
    return Case(
        When(
            harvest_from_ordinal__lte=last,
            harvest_until_ordinal__gte=first,
            then=Cast(F("tonnes"), FloatField()) * Cast(overlap, FloatField()) / length,
        ),
        default=Value(0.0),
        output_field=FloatField(),
    )


def supply_forecast(
    *,
    today: datetime.date,
    weeks: int = 12,
    produce_type: ProduceType | None = None,
    province: AdministrativeUnit | None = None,
    commune: AdministrativeUnit | None = None,
    statuses: tuple[str, ...] = OPEN_STATUSES,
    use_rollup: bool = True,
) -> list[ForecastRow]:
    """Tonnes expected per produce × province × ISO week from open announcements (plantings
    carry theirs), and tonnes already on sale in active listings in that week — grouped
    queries, whatever the number of announcements. A province's or the nation's forecast of
    open announcements reads the weekly roll-up (``use_rollup=False`` computes it from the
    announcements, as a commune's does). Other ``statuses`` (harvested) give what past weeks
    yielded."""
    starts = week_starts(today, weeks)
    first, last = starts[0], starts[-1] + datetime.timedelta(days=6)
    filters = Q(status__in=statuses)
    if produce_type is not None:
        filters &= Q(produce_type=produce_type)
    if province is not None:
        filters &= Q(province=province)
    if commune is not None:
        filters &= Q(commune=commune)
    if use_rollup and statuses == OPEN_STATUSES and commune is None:
        weekly = _rolled_up(starts, produce_type=produce_type, province=province)
    else:
        announcements = HarvestAnnouncement.objects.filter(
            filters,
            harvest_from_ordinal__lte=last.toordinal(),
            harvest_until_ordinal__gte=first.toordinal(),
        )
        weekly = weekly_totals(announcements, starts)
    listed = _by_pair(
        _listed_tonnes(
            starts, produce_type=produce_type, province=province, commune=commune, today=today
        )
    )
    ordered = _by_pair(
        demand.open_order_tonnes(
            starts, produce_type=produce_type, province=province, commune=commune
        )
    )
    requested = _by_pair(
        demand.buy_request_tonnes(
            starts, produce_type=produce_type, province=province, commune=commune
        )
    )
    nothing: dict[int, Decimal] = {}
    empty = (ZERO_TONNES, 0)
    rows = []
    # A place with listings, orders or buy requests and no announcement has a forecast too:
    # nothing expected, something on sale or asked for.
    for key in sorted(set(weekly) | set(listed) | set(ordered) | set(requested)):
        produce_id, province_id = key
        supply = weekly.get(key, {})
        pair_listed = listed.get(key, nothing)
        pair_ordered = ordered.get(key, nothing)
        pair_requested = requested.get(key, nothing)
        for index, week in enumerate(starts):
            tonnes, households = supply.get(index, empty)
            rows.append(
                ForecastRow(
                    produce_id,
                    province_id,
                    week,
                    tonnes,
                    pair_listed.get(index, ZERO_TONNES),
                    households,
                    pair_ordered.get(index, ZERO_TONNES),
                    pair_requested.get(index, ZERO_TONNES),
                )
            )
    return rows


# {week index: (tonnes, households)}
WeekTotals = dict[int, tuple[Decimal, int]]
# (produce type id, province id) → {week index: (tonnes, households)}
WeeklyTotals = dict[tuple[int, int], WeekTotals]


def weekly_totals(
    announcements: QuerySet[HarvestAnnouncement], starts: list[datetime.date]
) -> WeeklyTotals:
    """Tonnes and households of ``announcements`` per produce × province × week: one grouped
    query, each week's tonnes spread over the window's days in the database."""
    aggregates: dict[str, Any] = {}
    for index, week in enumerate(starts):
        aggregates[f"w{index}"] = Sum(_spread(week))
        aggregates[f"h{index}"] = Count(
            "household",
            distinct=True,
            filter=Q(
                harvest_from_ordinal__lte=week.toordinal() + 6,
                harvest_until_ordinal__gte=week.toordinal(),
            ),
        )
    grouped = announcements.values("produce_type_id", "province_id").annotate(**aggregates)
    totals: WeeklyTotals = {}
    for group in grouped.order_by():
        weeks = totals.setdefault((group["produce_type_id"], group["province_id"]), {})
        for index in range(len(starts)):
            if group[f"h{index}"]:
                tonnes = Decimal(str(group[f"w{index}"] or 0)).quantize(TONNE)
                weeks[index] = (tonnes, group[f"h{index}"])
    return totals


def _rolled_up(
    starts: list[datetime.date],
    *,
    produce_type: ProduceType | None,
    province: AdministrativeUnit | None,
) -> WeeklyTotals:
    """The same totals read from the roll-up the services keep (``harvests.rollup``)."""
    rows = WeeklySupply.objects.filter(week_start__in=starts)
    if produce_type is not None:
        rows = rows.filter(produce_type=produce_type)
    if province is not None:
        rows = rows.filter(province=province)
    index_of = {week: index for index, week in enumerate(starts)}
    totals: WeeklyTotals = {}
    for produce_id, province_id, week, tonnes, households in rows.values_list(
        "produce_type_id", "province_id", "week_start", "tonnes", "households"
    ):
        totals.setdefault((produce_id, province_id), {})[index_of[week]] = (tonnes, households)
    return totals


class ForecastSeries(NamedTuple):
    """The weeks of the forecast for one produce in one province, or in the whole country
    (``province_id`` None): one value per week in each list."""

    produce_type_id: int
    province_id: int | None
    expected_tonnes: list[Decimal]
    listed_tonnes: list[Decimal]
    ordered_tonnes: list[Decimal]
    requested_tonnes: list[Decimal]
    households: list[int]


# (produce type id, province id or None for the country) → {week index: tonnes}
SeriesTonnes = dict[tuple[int, int | None], dict[int, Decimal]]


def _regrouped(weekly: dict[tuple[int, int, int], Decimal], *, national: bool) -> SeriesTonnes:
    """Weekly tonnes per produce × province, rounded to the kilogram per province, then
    added up per produce for the country (so the country is the sum of its provinces)."""
    series: SeriesTonnes = {}
    for (produce_id, province_id), weeks in _by_pair(weekly).items():
        found = series.setdefault((produce_id, None if national else province_id), {})
        for index, tonnes in weeks.items():
            found[index] = found.get(index, ZERO_TONNES) + tonnes
    return series


def _national_supply(starts: list[datetime.date]) -> dict[tuple[int, int | None], WeekTotals]:
    """Tonnes and households per produce × week for the whole country: one GROUP BY over the
    province roll-up (a household lies in one province, so households add up)."""
    index_of = {week: index for index, week in enumerate(starts)}
    totals: dict[tuple[int, int | None], WeekTotals] = {}
    grouped = (
        WeeklySupply.objects.filter(week_start__in=starts)
        .values("produce_type_id", "week_start")
        .annotate(total=Sum("tonnes"), people=Sum("households"))
        .order_by()
    )
    for row in grouped:
        found = totals.setdefault((row["produce_type_id"], None), {})
        found[index_of[row["week_start"]]] = (
            Decimal(row["total"]).quantize(TONNE),
            int(row["people"]),
        )
    return totals


def forecast_series(
    *,
    today: datetime.date,
    weeks: int = 12,
    produce_type: ProduceType | None = None,
    province: AdministrativeUnit | None = None,
    commune: AdministrativeUnit | None = None,
) -> list[ForecastSeries]:
    """The forecast as series of ``weeks`` weekly values. With no filter, the national view:
    one series per produce, its supply one GROUP BY over the roll-up. With a produce, one
    series per province of that produce; with a province (or a commune), one per produce
    there. Every place with announcements, listings, open orders or buy requests in the
    weeks appears, zeros where it has none of a kind."""
    starts = week_starts(today, weeks)
    national = produce_type is None and province is None and commune is None
    supply: dict[tuple[int, int | None], WeekTotals]
    if national:
        supply = _national_supply(starts)
    elif commune is not None:
        last = starts[-1] + datetime.timedelta(days=6)
        announcements = HarvestAnnouncement.objects.filter(
            status__in=OPEN_STATUSES,
            commune=commune,
            harvest_from_ordinal__lte=last.toordinal(),
            harvest_until_ordinal__gte=starts[0].toordinal(),
        )
        if produce_type is not None:
            announcements = announcements.filter(produce_type=produce_type)
        supply = {key: found for key, found in weekly_totals(announcements, starts).items()}
    else:
        rolled = _rolled_up(starts, produce_type=produce_type, province=province)
        supply = {key: found for key, found in rolled.items()}
    where: dict[str, Any] = {
        "produce_type": produce_type,
        "province": province,
        "commune": commune,
    }
    listed = _regrouped(_listed_tonnes(starts, today=today, **where), national=national)
    ordered = _regrouped(demand.open_order_tonnes(starts, **where), national=national)
    requested = _regrouped(demand.buy_request_tonnes(starts, **where), national=national)
    indexes = range(len(starts))

    def tonnes(found: SeriesTonnes, key: tuple[int, int | None]) -> list[Decimal]:
        weekly = found.get(key, {})
        return [weekly.get(index, ZERO_TONNES) for index in indexes]

    series = []
    keys = set(supply) | set(listed) | set(ordered) | set(requested)
    for key in sorted(keys, key=lambda key: (key[0], key[1] or 0)):
        weekly = supply.get(key, {})
        series.append(
            ForecastSeries(
                produce_type_id=key[0],
                province_id=key[1],
                expected_tonnes=[weekly.get(index, (ZERO_TONNES, 0))[0] for index in indexes],
                listed_tonnes=tonnes(listed, key),
                ordered_tonnes=tonnes(ordered, key),
                requested_tonnes=tonnes(requested, key),
                households=[weekly.get(index, (ZERO_TONNES, 0))[1] for index in indexes],
            )
        )
    return series


def _listed_tonnes(
    starts: list[datetime.date],
    *,
    produce_type: ProduceType | None,
    province: AdministrativeUnit | None,
    commune: AdministrativeUnit | None,
    today: datetime.date,
) -> dict[tuple[int, int, int], Decimal]:
    """Stock (in tonnes) of active listings on sale during each week. A listing open for
    several weeks covers each of them: it is what buyers can find that week.

    A listing's stock is what is still on offer: what open orders hold is already taken off
    it, and counted apart (``ForecastRow.ordered_tonnes``, from ``demand``).
    """
    listings = Listing.objects.filter(
        status=ListingStatus.ACTIVE, unit__in=list(KILOGRAMS_PER_UNIT), available_until__gte=today
    )
    if produce_type is not None:
        listings = listings.filter(produce_type=produce_type)
    if province is not None:
        listings = listings.filter(province=province)
    if commune is not None:
        listings = listings.filter(commune=commune)
    aggregates = {
        f"w{index}": Sum(
            "stock_quantity",
            filter=Q(
                available_from__lte=week + datetime.timedelta(days=6), available_until__gte=week
            ),
        )
        for index, week in enumerate(starts)
    }
    result: dict[tuple[int, int, int], Decimal] = {}
    for group in listings.values("produce_type_id", "province_id").annotate(**aggregates):
        for index in range(len(starts)):
            kilograms = group[f"w{index}"]
            if kilograms:
                result[(group["produce_type_id"], group["province_id"], index)] = (
                    Decimal(kilograms) / 1000
                )
    return result


@dataclass(frozen=True)
class ForecastError:
    week_start: datetime.date
    expected_tonnes: Decimal
    listed_tonnes: Decimal
    computed_at: datetime.datetime

    @property
    def error_tonnes(self) -> Decimal:
        """Listed minus expected: negative when less came to market than forecast."""
        return self.listed_tonnes - self.expected_tonnes

    @property
    def relative_error(self) -> Decimal | None:
        if not self.expected_tonnes:
            return None
        return (self.error_tonnes / self.expected_tonnes).quantize(Decimal("0.001"))


def forecast_error(
    *, produce_type: ProduceType, province: AdministrativeUnit, week_start: datetime.date
) -> ForecastError | None:
    """The last forecast stored before a past week, against the tonnes that were listed in
    it (every listing of the produce and province on sale that week, whatever its status
    now, since a listing sold out or expired was still on the market)."""
    week_start = iso_week_start(week_start)
    snapshot = (
        ForecastSnapshot.objects.filter(
            produce_type=produce_type, province=province, week_start=week_start
        )
        .filter(computed_at__date__lt=week_start)
        .order_by("-computed_at")
        .first()
    )
    if snapshot is None:
        return None
    kilograms = Listing.objects.filter(
        produce_type=produce_type,
        province=province,
        unit__in=list(KILOGRAMS_PER_UNIT),
        published_at__isnull=False,
        available_from__lte=week_start + datetime.timedelta(days=6),
        available_until__gte=week_start,
    ).aggregate(total=Sum("stock_quantity"))["total"]
    return ForecastError(
        week_start=week_start,
        expected_tonnes=snapshot.expected_tonnes,
        listed_tonnes=(Decimal(kilograms or 0) / 1000).quantize(TONNE),
        computed_at=snapshot.computed_at,
    )


def planting_list(queryset: QuerySet[Any]) -> QuerySet[Any]:
    return queryset.select_related("produce_type", "province", "commune", "household")


# Orders that did not sell anything: a campaign's count leaves them out.
UNSOLD_ORDER_STATUSES = (
    OrderStatus.CANCELLED,
    OrderStatus.REJECTED,
    OrderStatus.RETURNED,
    OrderStatus.REFUNDED,
)
SOLD_ORDER_STATUSES = tuple(
    status for status in OrderStatus.values if status not in UNSOLD_ORDER_STATUSES
)
# A campaign's days are Vietnam's calendar days; orders are stored in UTC.
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _campaign_sold_kilograms() -> Any:
    """Kilograms ordered for the outer campaign, as one correlated subquery: lines sold by
    weight of the campaign's produce from sellers of its province (an order line carries its
    seller's province), in orders placed on the campaign's days in Vietnam and not
    cancelled, rejected, returned or refunded. Lines sold by count (quả, bó, thùng) say
    nothing about tonnes and are left out, as in the forecast (``KILOGRAMS_PER_UNIT``)."""
    lines = (
        OrderItem.objects.filter(
            unit__in=list(KILOGRAMS_PER_UNIT),
            province=OuterRef("province"),
            listing__produce_type=OuterRef("produce_type"),
            order__status__in=SOLD_ORDER_STATUSES,
        )
        .annotate(day=TruncDate("order__placed_at", tzinfo=VIETNAM))
        .filter(day__gte=OuterRef("starts_on"), day__lte=OuterRef("ends_on"))
        .order_by()
        .values("province")  # one group: the lines all share the campaign's province
        .annotate(kilograms=Sum("quantity"))
        .values("kilograms")
    )
    return Coalesce(
        Subquery(lines),
        Value(Decimal(0)),
        output_field=DecimalField(max_digits=15, decimal_places=3),
    )


def tonnes_of(kilograms: Decimal | None) -> Decimal:
    """Kilograms as tonnes rounded to the kilogram, the portal's one conversion."""
    return (Decimal(kilograms or 0) / 1000).quantize(TONNE)


def campaign_list() -> QuerySet[Campaign]:
    """Rescue campaigns (public), newest first, each with ``sold_kilograms`` — what has been
    ordered in it so far — computed in the same query."""
    return (
        Campaign.objects.select_related("produce_type", "province")
        .annotate(sold_kilograms=_campaign_sold_kilograms())
        .order_by("-starts_on", "-pk")
    )


def campaign_sold_tonnes(campaign: Campaign) -> Decimal:
    """Tonnes sold in a campaign: its annotation when it was read by ``campaign_list``."""
    kilograms = getattr(campaign, "sold_kilograms", None)
    if kilograms is None:
        kilograms = (
            Campaign.objects.filter(pk=campaign.pk)
            .annotate(sold_kilograms=_campaign_sold_kilograms())
            .values_list("sold_kilograms", flat=True)
            .get()
        )
    return tonnes_of(kilograms)
