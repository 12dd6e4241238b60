"""Writes of the harvests app: calendar corrections, plantings, harvest announcements and
their status, forecast snapshots. Each validates everything before it writes, runs in one
transaction and leaves an audit entry."""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nongsan.accounts.models import User
from nongsan.accounts.services import can_act_for_household, on_behalf_of_household
from nongsan.audit.services import audit_record, changes_between, snapshot
from nongsan.catalog.models import ProduceType
from nongsan.harvests import selectors
from nongsan.harvests.models import (
    AnnouncementStatus,
    CalendarEntry,
    ForecastSnapshot,
    HarvestAnnouncement,
    LossReason,
    Planting,
    PlantingStatus,
)
from nongsan.harvests.permissions import can_announce_for, editable_calendar_entries
from nongsan.harvests.rollup import weekly_supply_refresh
from nongsan.producers.models import Household

CALENDAR_FIELDS = (
    "season_name",
    "plant_from_month",
    "plant_from_day",
    "plant_until_month",
    "plant_until_day",
    "harvest_from_month",
    "harvest_from_day",
    "harvest_until_month",
    "harvest_until_day",
    "maturity_days_min",
    "maturity_days_max",
    "yield_tonnes_per_ha",
)
MAX_TONNES = Decimal("1000000")
# Where each status may go next; harvested and lost are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    AnnouncementStatus.ANNOUNCED: frozenset(
        {
            AnnouncementStatus.CONFIRMED,
            AnnouncementStatus.REVISED,
            AnnouncementStatus.HARVESTED,
            AnnouncementStatus.LOST,
        }
    ),
    AnnouncementStatus.CONFIRMED: frozenset(
        {AnnouncementStatus.REVISED, AnnouncementStatus.HARVESTED, AnnouncementStatus.LOST}
    ),
    AnnouncementStatus.REVISED: frozenset(
        {
            AnnouncementStatus.CONFIRMED,
            AnnouncementStatus.REVISED,
            AnnouncementStatus.HARVESTED,
            AnnouncementStatus.LOST,
        }
    ),
    AnnouncementStatus.HARVESTED: frozenset(),
    AnnouncementStatus.LOST: frozenset(),
}
ANNOUNCEMENT_FIELDS = ("status", "harvest_from", "harvest_until", "tonnes", "loss_reason", "note")


def calendar_entry_update(*, user: User, entry: CalendarEntry, **values: Any) -> CalendarEntry:
    """Correct a calendar entry (ministry anywhere, a province officer in their province)."""
    if not editable_calendar_entries(user).filter(pk=entry.pk).exists():
        raise PermissionDenied(_("Bạn không được sửa mục lịch mùa vụ này."))
    unknown = set(values) - set(CALENDAR_FIELDS)
    if unknown:
        raise ValueError(f"not calendar fields: {sorted(unknown)}")
    before = snapshot(entry, CALENDAR_FIELDS)
    for name, value in values.items():
        setattr(entry, name, value)
    errors: dict[str, list[str]] = {}
    try:
        entry.full_clean(exclude=["produce_type", "province", "edited_by", "reference"])
    except ValidationError as error:
        errors.update(error.message_dict)
    for prefix in ("plant", "harvest"):
        for bound in ("from", "until"):
            month = getattr(entry, f"{prefix}_{bound}_month")
            day = getattr(entry, f"{prefix}_{bound}_day")
            if day is not None and month is None:
                errors.setdefault(f"{prefix}_{bound}_day", []).append(
                    _("Có ngày thì phải có tháng.")
                )
    low, high = entry.maturity_days_min, entry.maturity_days_max
    if low is not None and high is not None and low > high:
        errors.setdefault("maturity_days_max", []).append(
            _("Số ngày nhiều nhất phải không nhỏ hơn số ngày ít nhất.")
        )
    if errors:
        entry.refresh_from_db()
        raise ValidationError(errors)
    with transaction.atomic():
        entry.edited_by = user
        entry.edited_at = timezone.now()
        entry.save()
        audit_record(
            action="harvests.calendar_entry_update",
            target=entry,
            changes=changes_between(before, entry, CALENDAR_FIELDS),
            province=entry.province,
        )
    return entry


@contextlib.contextmanager
def _acting_for(user: User, household: Household) -> Iterator[None]:
    """Check ``user`` may act for the household; an assistant's writes say for whom."""
    if not can_announce_for(user, household):
        raise PermissionDenied(_("Bạn không được báo thu hoạch cho hộ này."))
    if household.user_id != user.pk and can_act_for_household(user, household):
        with on_behalf_of_household(assistant=user, household=household):
            yield
    else:
        yield


def parse_tonnes(value: Any, field: str) -> Decimal:
    try:
        tonnes = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: [_("Sản lượng phải là một số tấn, ví dụ 2,5.")]}) from None
    if not tonnes.is_finite() or tonnes <= 0 or tonnes > MAX_TONNES:
        raise ValidationError({field: [_("Sản lượng phải lớn hơn 0 và không quá 1.000.000 tấn.")]})
    if tonnes != tonnes.quantize(Decimal("0.001")):
        raise ValidationError({field: [_("Sản lượng ghi tối đa ba chữ số thập phân (kg).")]})
    return tonnes


def _check_window(harvest_from: datetime.date | None, harvest_until: datetime.date | None) -> None:
    if harvest_from is None or harvest_until is None:
        raise ValidationError({"harvest_from": [_("Hãy nhập ngày bắt đầu và ngày kết thúc.")]})
    if harvest_until < harvest_from:
        raise ValidationError({"harvest_until": [_("Ngày kết thúc phải sau ngày bắt đầu.")]})
    if (harvest_until - harvest_from).days > 366:
        raise ValidationError({"harvest_until": [_("Một đợt thu hoạch không dài quá một năm.")]})


def _announcement(
    *,
    user: User,
    household: Household,
    produce_type: ProduceType,
    harvest_from: datetime.date,
    harvest_until: datetime.date,
    tonnes: Decimal,
    planting: Planting | None,
    note: str,
    now: datetime.datetime,
) -> HarvestAnnouncement:
    announcement = HarvestAnnouncement.objects.create(
        household=household,
        province_id=household.province_id,
        commune_id=household.commune_id,
        produce_type=produce_type,
        planting=planting,
        harvest_from=harvest_from,
        harvest_until=harvest_until,
        harvest_from_ordinal=harvest_from.toordinal(),
        harvest_until_ordinal=harvest_until.toordinal(),
        tonnes=tonnes,
        note=note,
        created_by=user,
        created_at=now,
        updated_at=now,
    )
    weekly_supply_refresh(
        produce_type_id=produce_type.pk,
        province_id=announcement.province_id,
        first=harvest_from,
        last=harvest_until,
    )
    audit_record(
        action="harvests.announcement_create",
        target=announcement,
        changes={
            "produce_type": [None, produce_type.slug],
            "harvest_from": [None, harvest_from.isoformat()],
            "harvest_until": [None, harvest_until.isoformat()],
            "tonnes": [None, str(tonnes)],
        },
    )
    return announcement


def harvest_announce(
    *,
    user: User,
    household: Household,
    produce_type: ProduceType,
    harvest_from: datetime.date | None,
    harvest_until: datetime.date | None,
    tonnes: Any,
    note: str = "",
    now: datetime.datetime | None = None,
) -> HarvestAnnouncement:
    """Announce a harvest directly: a date range and tonnes."""
    now = now or timezone.now()
    _check_window(harvest_from, harvest_until)
    assert harvest_from is not None  # noqa: S101 - checked above
    assert harvest_until is not None  # noqa: S101 - checked above
    amount = parse_tonnes(tonnes, "tonnes")
    with _acting_for(user, household), transaction.atomic():
        return _announcement(
            user=user,
            household=household,
            produce_type=produce_type,
            harvest_from=harvest_from,
            harvest_until=harvest_until,
            tonnes=amount,
            planting=None,
            note=note[:300],
            now=now,
        )


def planting_record(
    *,
    user: User,
    household: Household,
    produce_type: ProduceType,
    planted_on: datetime.date,
    area_ha: Any = None,
    tree_count: int | None = None,
    expected_tonnes: Any = None,
    now: datetime.datetime | None = None,
) -> Planting:
    """Record a planting; the calendar of the household's province gives the expected harvest
    window (planting date + days to maturity, else the next harvest window of the season)
    and tonnes (yield × area). What the calendar cannot give must be typed in."""
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    area: Decimal | None = None
    if area_ha not in (None, ""):
        try:
            area = Decimal(str(area_ha).strip().replace(",", "."))
        except (InvalidOperation, ValueError):
            errors["area_ha"] = [_("Diện tích phải là một số héc-ta, ví dụ 0,5.")]
        else:
            if not area.is_finite() or area <= 0 or area > Decimal(100000):
                errors["area_ha"] = [_("Diện tích phải lớn hơn 0 và không quá 100.000 ha.")]
    if tree_count is not None and tree_count <= 0:
        errors["tree_count"] = [_("Số cây phải lớn hơn 0.")]
    if area is None and tree_count is None and "area_ha" not in errors:
        errors["area_ha"] = [_("Hãy nhập diện tích (ha) hoặc số cây.")]
    if errors:
        raise ValidationError(errors)
    entry = selectors.calendar_entry_for(produce_type=produce_type, province=household.province)
    window = selectors.expected_window(entry, planted_on) if entry else None
    if window is None:
        raise ValidationError(
            {
                "planted_on": [
                    _(
                        "Lịch mùa vụ chưa có thời gian thu hoạch của loại này ở tỉnh của hộ:"
                        " hãy báo thu hoạch trực tiếp với ngày và sản lượng."
                    )
                ]
            }
        )
    if expected_tonnes not in (None, ""):
        tonnes = parse_tonnes(expected_tonnes, "expected_tonnes")
    elif area is not None and entry is not None and entry.yield_tonnes_per_ha:
        tonnes = (area * entry.yield_tonnes_per_ha).quantize(Decimal("0.001"))
    else:
        raise ValidationError(
            {
                "expected_tonnes": [
                    _(
                        "Lịch mùa vụ không có năng suất để tính theo diện tích:"
                        " hãy nhập sản lượng dự kiến (tấn)."
                    )
                ]
            }
        )
    with _acting_for(user, household), transaction.atomic():
        planting = Planting.objects.create(
            household=household,
            province_id=household.province_id,
            commune_id=household.commune_id,
            produce_type=produce_type,
            calendar_entry=entry,
            area_ha=area,
            tree_count=tree_count,
            planted_on=planted_on,
            created_by=user,
            created_at=now,
        )
        audit_record(
            action="harvests.planting_record",
            target=planting,
            changes={
                "produce_type": [None, produce_type.slug],
                "planted_on": [None, planted_on.isoformat()],
                "area_ha": [None, str(area) if area is not None else None],
                "tree_count": [None, tree_count],
            },
        )
        _announcement(
            user=user,
            household=household,
            produce_type=produce_type,
            harvest_from=window[0],
            harvest_until=window[1],
            tonnes=tonnes,
            planting=planting,
            note="",
            now=now,
        )
    return planting


def announcement_transition(
    *,
    user: User,
    announcement: HarvestAnnouncement,
    status: str,
    harvest_from: datetime.date | None = None,
    harvest_until: datetime.date | None = None,
    tonnes: Any = None,
    loss_reason: str = "",
    note: str | None = None,
    now: datetime.datetime | None = None,
) -> HarvestAnnouncement:
    """Move an announcement on: confirm, revise (new dates or tonnes), harvested, lost (with
    a reason). Harvested and lost are final."""
    now = now or timezone.now()
    if status not in AnnouncementStatus.values:
        raise ValidationError({"status": [_("Trạng thái không hợp lệ.")]})
    if status not in TRANSITIONS[announcement.status]:
        raise ValidationError(
            {
                "status": [
                    _("Không thể chuyển từ “%(old)s” sang “%(new)s”.")
                    % {
                        "old": announcement.get_status_display(),
                        "new": AnnouncementStatus(status).label,
                    }
                ]
            }
        )
    before = snapshot(announcement, ANNOUNCEMENT_FIELDS)
    old_window = (announcement.harvest_from, announcement.harvest_until)
    if status == AnnouncementStatus.REVISED:
        if harvest_from is None and harvest_until is None and tonnes in (None, ""):
            raise ValidationError(
                {"tonnes": [_("Điều chỉnh cần ngày thu hoạch mới hoặc sản lượng mới.")]}
            )
        new_from = harvest_from or announcement.harvest_from
        new_until = harvest_until or announcement.harvest_until
        _check_window(new_from, new_until)
        announcement.harvest_from, announcement.harvest_until = new_from, new_until
        announcement.harvest_from_ordinal = new_from.toordinal()
        announcement.harvest_until_ordinal = new_until.toordinal()
        if tonnes not in (None, ""):
            announcement.tonnes = parse_tonnes(tonnes, "tonnes")
    if status == AnnouncementStatus.LOST:
        if loss_reason not in LossReason.values:
            raise ValidationError({"loss_reason": [_("Hãy chọn lý do mất mùa.")]})
        announcement.loss_reason = loss_reason
    if status == AnnouncementStatus.HARVESTED and tonnes not in (None, ""):
        announcement.tonnes = parse_tonnes(tonnes, "tonnes")
    if note is not None:
        announcement.note = note[:300]
    announcement.status = status
    announcement.updated_at = now
    household = announcement.household
    with _acting_for(user, household), transaction.atomic():
        announcement.save()
        weekly_supply_refresh(
            produce_type_id=announcement.produce_type_id,
            province_id=announcement.province_id,
            first=min(old_window[0], announcement.harvest_from),
            last=max(old_window[1], announcement.harvest_until),
        )
        if announcement.planting_id is not None and status in (
            AnnouncementStatus.HARVESTED,
            AnnouncementStatus.LOST,
        ):
            Planting.objects.filter(pk=announcement.planting_id).update(
                status=PlantingStatus.HARVESTED
                if status == AnnouncementStatus.HARVESTED
                else PlantingStatus.LOST
            )
        audit_record(
            action="harvests.announcement_transition",
            target=announcement,
            changes=changes_between(before, announcement, ANNOUNCEMENT_FIELDS),
        )
    return announcement


def forecast_snapshot_weekly(*, now: datetime.datetime | None = None) -> int:
    """Take the week's forecast snapshot unless one was taken since Monday (Vietnam time):
    the daily task calls this, so one snapshot a week is kept however often it runs, and a
    week the worker missed is taken the next day. Returns the rows written (0: already)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    monday = today - datetime.timedelta(days=today.weekday())
    week_began = datetime.datetime.combine(
        monday, datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    # The newest row by id is the newest snapshot: one index step, not a scan by time.
    latest = ForecastSnapshot.objects.order_by("-pk").values_list("computed_at", flat=True)
    taken = latest.first()
    if taken is not None and taken >= week_began:
        return 0
    return forecast_snapshot_take(today=today, now=now)


def forecast_snapshot_take(
    *, today: datetime.date, weeks: int = 12, now: datetime.datetime | None = None
) -> int:
    """Store the forecast as it stands (every produce × province × week) for later
    comparison with what was listed; returns the number of rows written."""
    now = now or timezone.now()
    rows = selectors.supply_forecast(today=today, weeks=weeks)
    snapshots = [
        ForecastSnapshot(
            produce_type_id=row.produce_type_id,
            province_id=row.province_id,
            week_start=row.week_start,
            iso_year=row.week_start.isocalendar()[0],
            iso_week=row.week_start.isocalendar()[1],
            expected_tonnes=row.expected_tonnes,
            listed_tonnes=row.listed_tonnes,
            households=row.households,
            computed_at=now,
        )
        for row in rows
        if row.expected_tonnes > 0
    ]
    with transaction.atomic():
        ForecastSnapshot.objects.bulk_create(snapshots)
        audit_record(
            action="harvests.forecast_snapshot_take",
            changes={"rows": [None, len(snapshots)], "first_week": [None, today.isoformat()]},
        )
    return len(snapshots)
