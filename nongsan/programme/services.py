"""Writes of the programme: targets and partner-reported figures.

Each validates everything before writing, refuses with a Vietnamese message, and is audited.
"""

from __future__ import annotations

import datetime
import math
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nongsan.audit.services import audit_record
from nongsan.geo.models import LEGACY_LAST_DAY, REFORM_DATE, AdministrativeUnit, UnitLevel
from nongsan.onboarding.models import Channel
from nongsan.programme.models import Indicator, PartnerFigure, Target
from nongsan.programme.periods import Period
from nongsan.programme.permissions import (
    current_place,
    may_report_partner_figure,
    may_set_target,
)

# Beyond any honest figure of a country of 100 million (in đồng, a year's trade fits).
MAX_VALUE = 10**15


def _is_legacy(unit: AdministrativeUnit) -> bool:
    return unit.valid_until is not None and unit.valid_until <= LEGACY_LAST_DAY


def _check_value(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError({"value": [_("Giá trị phải là một số.")]}) from None
    if math.isnan(number) or math.isinf(number):
        raise ValidationError({"value": [_("Giá trị phải là một số.")]})
    if number < 0:
        raise ValidationError({"value": [_("Giá trị không được âm.")]})
    if number > MAX_VALUE:
        raise ValidationError({"value": [_("Giá trị quá lớn.")]})
    return number


def _check_unit_and_period(
    unit: AdministrativeUnit, *, start: datetime.date, end: datetime.date
) -> None:
    if unit.level not in (UnitLevel.PROVINCE, UnitLevel.COMMUNE):
        raise ValidationError({"unit": [_("Chỉ giao chỉ tiêu cho tỉnh hoặc xã.")]})
    if _is_legacy(unit) and start >= REFORM_DATE:
        raise ValidationError(
            {"unit": [_("Đơn vị này không còn sau 01/7/2025; chọn đơn vị hiện hành.")]}
        )
    if not _is_legacy(unit) and end < REFORM_DATE:
        raise ValidationError(
            {"unit": [_("Kỳ trước 01/7/2025 phải ghi theo đơn vị hành chính cũ.")]}
        )


def _channel_for(indicator: Indicator, channel: Channel | None) -> Channel | None:
    if indicator.is_per_channel and channel is None:
        raise ValidationError({"channel": [_("Chỉ tiêu này tính theo kênh: hãy chọn kênh.")]})
    if not indicator.is_per_channel and channel is not None:
        raise ValidationError({"channel": [_("Chỉ tiêu này không tính theo kênh.")]})
    return channel


@transaction.atomic
def target_set(
    *,
    user: Any,
    indicator: Indicator,
    unit: AdministrativeUnit,
    period: Period,
    value: Any,
    channel: Channel | None = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Target:
    """Set (or change) the target of ``indicator`` for ``unit`` in ``period``."""
    if not may_set_target(user, unit):
        raise PermissionDenied(
            _("Bộ giao chỉ tiêu cho tỉnh; tỉnh giao chỉ tiêu cho xã của tỉnh mình.")
        )
    number = _check_value(value)
    _check_unit_and_period(unit, start=period.start, end=period.end)
    channel = _channel_for(indicator, channel)
    if len(note) > 300:  # noqa: PLR2004
        raise ValidationError({"note": [_("Ghi chú tối đa 300 ký tự.")]})
    province_id, commune_id = current_place(unit)
    if province_id is None:
        raise ValidationError({"unit": [_("Không tìm thấy tỉnh hiện hành của đơn vị này.")]})
    target, created = Target.objects.select_for_update().get_or_create(
        indicator=indicator,
        channel=channel,
        unit=unit,
        period_kind=period.kind,
        period_start=period.start,
        defaults={
            "province_id": province_id,
            "commune_id": commune_id,
            "value": number,
            "note": note,
            "set_by": user,
            "set_at": now or timezone.now(),
        },
    )
    before = None if created else target.value
    if not created:
        target.value = number
        target.note = note
        target.set_by = user
        target.set_at = now or timezone.now()
        target.save(update_fields=["value", "note", "set_by", "set_at"])
    audit_record(
        action="programme.target_set",
        target=target,
        changes={
            "indicator": indicator.code,
            "unit": unit.code,
            "period": period.key,
            "value": [before, number],
        },
        province=province_id,
        commune=commune_id,
    )
    return target


@transaction.atomic
def target_delete(*, user: Any, target: Target) -> None:
    unit: Any = target.unit
    if not may_set_target(user, unit):
        raise PermissionDenied(_("Bạn không được xoá chỉ tiêu này."))
    audit_record(
        action="programme.target_delete",
        target=target,
        changes={"indicator": target.indicator.code, "value": [target.value, None]},
        province=target.province_id,
        commune=target.commune_id,
    )
    target.delete()


@transaction.atomic
def partner_figure_record(
    *,
    user: Any,
    indicator: Indicator,
    channel: Channel,
    unit: AdministrativeUnit,
    month: datetime.date,
    value: Any,
    note: str = "",
    now: datetime.datetime | None = None,
) -> PartnerFigure:
    """Record (or correct) what a partner marketplace reports for a unit and a month."""
    if not may_report_partner_figure(user, unit):
        raise PermissionDenied(_("Bạn không được ghi số liệu đối tác cho đơn vị này."))
    number = _check_value(value)
    if channel.is_this_platform:
        raise ValidationError(
            {"channel": [_("Số liệu của nền tảng này được tự đo, không nhập tay.")]}
        )
    if indicator.is_ratio:
        raise ValidationError({"indicator": [_("Chỉ nhập số đếm; tỉ lệ được tính từ các số đếm.")]})
    month = month.replace(day=1)
    today = timezone.localdate(now)  # Vietnam's day: a month begins at 00:00 there
    if month > today:
        raise ValidationError({"month": [_("Không nhập số liệu cho tháng chưa tới.")]})
    last_day = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    _check_unit_and_period(unit, start=month, end=last_day - datetime.timedelta(days=1))
    province_id, commune_id = current_place(unit)
    if province_id is None:
        raise ValidationError({"unit": [_("Không tìm thấy tỉnh hiện hành của đơn vị này.")]})
    figure, created = PartnerFigure.objects.select_for_update().get_or_create(
        indicator=indicator,
        channel=channel,
        unit=unit,
        month=month,
        defaults={
            "province_id": province_id,
            "commune_id": commune_id,
            "value": number,
            "note": note[:300],
            "reported_by": user,
            "reported_at": now or timezone.now(),
        },
    )
    before = None if created else figure.value
    if not created:
        figure.value = number
        figure.note = note[:300]
        figure.reported_by = user
        figure.reported_at = now or timezone.now()
        figure.save(update_fields=["value", "note", "reported_by", "reported_at"])
    audit_record(
        action="programme.partner_figure_record",
        target=figure,
        changes={
            "indicator": indicator.code,
            "channel": channel.code,
            "unit": unit.code,
            "month": f"{month:%Y-%m}",
            "value": [before, number],
        },
        province=province_id,
        commune=commune_id,
    )
    return figure
