"""The figures a report carries, from a pluggable provider (setting ``REPORT_FIGURES_PROVIDER``).

A provider is ``unit_figures(*, unit, start, end, geography="current") -> list[dict]``, each
dict with ``code``, ``name``, ``value``, ``target``, ``progress``, ``source``
("platform"/"partner") and ``estimated``. The programme app's indicators are meant to take
over; :func:`platform_unit_figures` is the honest default counted straight from the tables.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, Sum
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from nongsan.geo.models import AdministrativeUnit
from nongsan.reports.conf import figures_provider_path

FIGURE_KEYS = ("code", "name", "value", "target", "progress", "source", "estimated")
SOURCES = ("platform", "partner")
MAX_FIGURES = 200

Provider = Callable[..., list[dict[str, Any]]]


def _bounds(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """The period as aware instants from Vietnam midnight to Vietnam midnight."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo("Asia/Ho_Chi_Minh")
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=zone)
    high = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return low, high


def _figure(code: str, name: str, value: int) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "value": value,
        "target": None,
        "progress": None,
        "source": "platform",
        "estimated": False,
    }


def platform_unit_figures(
    *,
    unit: AdministrativeUnit,
    start: datetime.date,
    end: datetime.date,
    geography: str = "current",
) -> list[dict[str, Any]]:
    """Counted from this platform's own rows in the unit (a current province or commune):
    households registered by the end of the period and those that joined in it, households
    whose marketplace consent stands, orders placed, orders delivered and the value of the
    goods delivered in the period. No targets: those are the programme's."""
    from nongsan.orders.models import Order, OrderEvent, OrderStatus
    from nongsan.producers.models import Household, Purpose

    if geography != "current":
        raise ValueError("the platform's own figures are counted in the current geography only")
    low, high = _bounds(start, end)
    area = Q(province=unit) if unit.level == "province" else Q(commune=unit)
    households = Household.objects.active().filter(area, created_at__lt=high)
    delivered = OrderEvent.objects.filter(
        area, to_status=OrderStatus.DELIVERED, occurred_at__gte=low, occurred_at__lt=high
    ).values("order")
    sales = Order.objects.filter(pk__in=delivered).aggregate(value=Sum("goods_vnd"))["value"]
    return [
        _figure("households_registered", _("Hộ sản xuất đã đăng ký (lũy kế)"), households.count()),
        _figure(
            "households_new",
            _("Hộ đăng ký mới trong kỳ"),
            households.filter(created_at__gte=low).count(),
        ),
        _figure(
            "households_marketplace_consent",
            _("Hộ đồng ý bán trên sàn (hiện tại)"),
            households.with_consent(Purpose.MARKETPLACE).count(),
        ),
        _figure(
            "orders_placed",
            _("Đơn hàng đặt trong kỳ"),
            Order.objects.filter(area, placed_at__gte=low, placed_at__lt=high).count(),
        ),
        _figure(
            "orders_delivered",
            _("Đơn hàng giao thành công trong kỳ"),
            Order.objects.filter(pk__in=delivered).count(),
        ),
        _figure("gross_sales_vnd", _("Giá trị hàng đã giao trong kỳ (đồng)"), int(sales or 0)),
    ]


def _checked_number(value: Any, *, allow_none: bool) -> int | float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"not a number: {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise TypeError(f"not a finite number: {value!r}")
    return value


def checked_figures(rows: Any) -> list[dict[str, Any]]:
    """The provider's answer as JSON-safe rows with exactly the agreed keys; a provider that
    breaks the agreement is a configuration error, not a report with wrong numbers."""
    if not isinstance(rows, list) or len(rows) > MAX_FIGURES:
        raise ImproperlyConfigured("the figures provider must return a list of at most 200 dicts")
    figures = []
    for row in rows:
        try:
            if not isinstance(row, dict) or set(FIGURE_KEYS) - set(row):
                raise TypeError(f"a figure needs the keys {FIGURE_KEYS}: {row!r}")
            if row["source"] not in SOURCES:
                raise TypeError(f"unknown source {row['source']!r}")
            figures.append(
                {
                    "code": str(row["code"])[:80],
                    "name": str(row["name"])[:300],
                    # None: no figure this period (a rate with nothing to divide).
                    "value": _checked_number(row["value"], allow_none=True),
                    "target": _checked_number(row["target"], allow_none=True),
                    "progress": _checked_number(row["progress"], allow_none=True),
                    "source": row["source"],
                    "estimated": bool(row["estimated"]),
                }
            )
        except TypeError as error:
            raise ImproperlyConfigured(
                f"the figures provider broke its contract: {error}"
            ) from error
    return figures


def figures_provider() -> Provider:
    path = figures_provider_path()
    try:
        provider: Provider = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(
            f"REPORT_FIGURES_PROVIDER {path!r} cannot be imported"
        ) from error
    return provider


def unit_figures(
    *, unit: AdministrativeUnit, start: datetime.date, end: datetime.date
) -> list[dict[str, Any]]:
    """The configured provider's figures for the unit and period, checked."""
    rows = figures_provider()(unit=unit, start=start, end=end, geography="current")
    return checked_figures(rows)
