"""Template helpers of exports: Vietnamese number cells in the PDF, and the export buttons
any page can include for a registered kind of document."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django import template

from nongsan.common.formatting import format_quantity

register = template.Library()


@register.filter
def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@register.filter
def export_cell(value: Any) -> str:
    """A cell as shown in the PDF: numbers the Vietnamese way (``1.250,5``), empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return format_quantity(value)
    if isinstance(value, float):
        return format_quantity(Decimal(str(round(value, 2))))
    return str(value)


@register.inclusion_tag("exports/_buttons.html", takes_context=True)
def export_buttons(context: Any, kind: str, **params: Any) -> dict[str, Any]:
    """``{% export_buttons "report" report=report.pk %}``: the two buttons and the status
    area where the job's progress and download link appear."""
    return {
        "kind": kind,
        "params_json": json.dumps(params, ensure_ascii=False, sort_keys=True),
        "csrf_token": context.get("csrf_token"),
        "area_id": f"export-{kind}",
    }
