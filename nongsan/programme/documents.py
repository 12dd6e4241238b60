"""The dashboards as documents the exports app renders to xlsx and PDF (kind ``dashboard``).

Parameters: ``unit`` — a current province or commune code, or empty for the nation — and
``period`` — ``2026``, ``2026-Q2`` or ``2026-05``, as on the dashboard's own form.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nongsan.geo.models import AdministrativeUnit, UnitLevel
from nongsan.programme.periods import Period, period_parse
from nongsan.programme.permissions import can_view_unit
from nongsan.programme.selectors import dashboard_document

KIND = "dashboard"


def _parsed(params: dict[str, Any]) -> tuple[AdministrativeUnit | None, Period]:
    """The unit and period the parameters name, or a Vietnamese ValidationError."""
    unknown = set(params) - {"unit", "period"}
    if unknown:
        names = ", ".join(sorted(unknown))[:100]
        raise ValidationError(_("Tham số không dùng được: %(names)s.") % {"names": names})
    period = period_parse(str(params.get("period") or ""))
    code = str(params.get("unit") or "").strip()
    if not code:
        return None, period
    unit = (
        AdministrativeUnit.objects.current()
        .filter(code=code, level__in=[UnitLevel.PROVINCE, UnitLevel.COMMUNE])
        .select_related("province")
        .first()
    )
    if unit is None:
        raise ValidationError(_("Không có tỉnh hay xã nào mang mã %(code)s.") % {"code": code[:20]})
    return unit, period


def dashboard_permission(user: Any, params: dict[str, Any]) -> bool:
    unit, _period = _parsed(params)
    return can_view_unit(user, unit)


def dashboard_export(*, user: Any, params: dict[str, Any]) -> dict[str, Any]:
    unit, period = _parsed(params)
    return dashboard_document(user=user, unit=unit, start=period.start, end=period.end)


def register_dashboard_document() -> None:
    from nongsan.exports.registry import register

    register(KIND, dashboard_export, dashboard_permission)
