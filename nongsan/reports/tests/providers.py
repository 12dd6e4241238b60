"""A figures provider the tests set by hand, to see what a report freezes and shows."""

from __future__ import annotations

import datetime
from typing import Any

VALUES: dict[str, int | float] = {}
CALLS: list[dict[str, Any]] = []


def reset() -> None:
    VALUES.clear()
    VALUES.update({"households_registered": 1200, "gross_sales_vnd": 45_500_000})
    CALLS.clear()


def fixed_figures(
    *, unit: Any, start: datetime.date, end: datetime.date, geography: str = "current"
) -> list[dict[str, Any]]:
    CALLS.append({"unit": unit.pk, "start": start, "end": end, "geography": geography})
    return [
        {
            "code": "households_registered",
            "name": "Hộ đã đăng ký",
            "value": VALUES["households_registered"],
            "target": 2000,
            "progress": VALUES["households_registered"] / 2000,
            "source": "platform",
            "estimated": False,
        },
        {
            "code": "gross_sales_vnd",
            "name": "Giá trị hàng đã giao (đồng)",
            "value": VALUES["gross_sales_vnd"],
            "target": None,
            "progress": None,
            "source": "partner",
            "estimated": True,
        },
    ]


def broken_figures(**kwargs: Any) -> Any:
    return [{"code": "x", "value": "nhiều"}]
