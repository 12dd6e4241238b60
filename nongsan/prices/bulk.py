"""Price reports from a spreadsheet (.xlsx or .csv, read by nongsan.imports.reading).

Columns, in any order, headers with or without diacritics: ``ngày`` (dd/mm/yyyy),
``sản phẩm`` (a produce type's code, name or synonym), ``tỉnh`` (current province code or
name), ``loại giá`` (tại vườn / bán buôn / bán lẻ, or farm_gate / wholesale / retail),
``giá`` (đồng/kg), optionally ``chợ``. Every row is checked first; one bad row and nothing is
written, and every problem is returned with its row number.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nongsan.accounts.models import User
from nongsan.catalog.models import ProduceType
from nongsan.catalog.services import parse_price_vnd
from nongsan.common.text import fold
from nongsan.geo.models import AdministrativeUnit
from nongsan.harvests.sources import produce_slug
from nongsan.imports.reading import SpreadsheetError, read_rows
from nongsan.prices.models import PriceKind, ReportSource
from nongsan.prices.permissions import can_report_price
from nongsan.prices.services import price_report_create

MAX_ROWS = 5_000
COLUMNS = {
    "ngay": "day",
    "date": "day",
    "san pham": "produce",
    "produce": "produce",
    "tinh": "province",
    "province": "province",
    "loai gia": "kind",
    "kind": "kind",
    "gia": "price",
    "price": "price",
    "cho": "market",
    "market": "market",
}
REQUIRED = ("day", "produce", "province", "kind", "price")
KIND_WORDS = {
    "tai vuon": PriceKind.FARM_GATE,
    "gia tai vuon": PriceKind.FARM_GATE,
    "farm_gate": PriceKind.FARM_GATE,
    "farm-gate": PriceKind.FARM_GATE,
    "ban buon": PriceKind.WHOLESALE,
    "gia ban buon": PriceKind.WHOLESALE,
    "wholesale": PriceKind.WHOLESALE,
    "ban le": PriceKind.RETAIL,
    "gia ban le": PriceKind.RETAIL,
    "retail": PriceKind.RETAIL,
}


@dataclass
class PriceImportResult:
    created: int = 0
    flagged: int = 0
    errors: list[str] = field(default_factory=list)


def _column(header: str) -> str | None:
    return COLUMNS.get(fold(header))


def _bare(name: str) -> str:
    folded = fold(name)
    for prefix in ("thanh pho ", "tinh "):
        folded = folded.removeprefix(prefix)
    return folded


def price_reports_import(
    *, user: User, path: Path, name: str = "", today: datetime.date
) -> PriceImportResult:
    """Check every row, then create all reports in one transaction (or none)."""
    result = PriceImportResult()
    try:
        sheet, rows = read_rows(
            path, name=name, is_known_column=lambda header: _column(header) is not None
        )
        found = {_column(header) for header in sheet.headers}
        missing = [column for column in REQUIRED if column not in found]
        if missing:
            result.errors.append(
                _("Thiếu cột: %(columns)s.")
                % {"columns": ", ".join(str(_REQUIRED_LABELS[column]) for column in missing)}
            )
            return result
        parsed: list[tuple[ProduceType, AdministrativeUnit, str, int, datetime.date, str]] = []
        types = {produce.slug: produce for produce in ProduceType.objects.filter(is_active=True)}
        provinces = AdministrativeUnit.objects.current().filter(level="province")
        by_code = {unit.code: unit for unit in provinces}
        by_name = {_bare(unit.name): unit for unit in provinces}
        for number, row in rows:
            if len(parsed) >= MAX_ROWS:
                raise SpreadsheetError(
                    _("Tệp có quá nhiều dòng: tối đa %(limit)s dòng.") % {"limit": "5.000"}
                )
            values = {_column(header): text for header, text in row.items() if _column(header)}
            problems: list[str] = []
            try:
                day = datetime.datetime.strptime(values.get("day", ""), "%d/%m/%Y").date()  # noqa: DTZ007 - a calendar day
            except ValueError:
                problems.append(_("ngày phải viết dd/mm/yyyy"))
                day = today
            produce_text = values.get("produce", "")
            produce = types.get(produce_text) or types.get(produce_slug(produce_text))
            if produce is None:
                problems.append(_("không nhận ra sản phẩm “%(text)s”") % {"text": produce_text})
            province_text = values.get("province", "")
            province = by_code.get(province_text.zfill(2)) or by_name.get(_bare(province_text))
            if province is None:
                problems.append(_("không nhận ra tỉnh “%(text)s”") % {"text": province_text})
            kind = KIND_WORDS.get(fold(values.get("kind", "")))
            if kind is None:
                problems.append(_("loại giá phải là tại vườn, bán buôn hoặc bán lẻ"))
            try:
                price = parse_price_vnd(values.get("price", ""))
            except ValidationError as error:
                problems.extend(error.messages)
                price = 0
            if day > today:
                problems.append(_("không báo giá cho ngày chưa tới"))
            if province is not None and not can_report_price(user, province=province, commune=None):
                problems.append(_("bạn không được báo giá ở tỉnh này"))
            if problems or produce is None or province is None or kind is None:
                result.errors.append(
                    _("Dòng %(number)s: %(problems)s.")
                    % {"number": number, "problems": "; ".join(problems)}
                )
                continue
            parsed.append((produce, province, str(kind), price, day, values.get("market", "")))
    except SpreadsheetError as error:
        result.errors.append(str(error))
        return result
    if result.errors:
        return result
    with transaction.atomic():
        for produce, province, kind_value, price, day, market in parsed:
            report = price_report_create(
                user=user,
                produce_type=produce,
                province=province,
                market_name=market,
                kind=kind_value,
                price_vnd=price,
                reported_on=day,
                today=today,
                source=ReportSource.IMPORTED,
            )
            result.created += 1
            result.flagged += report.status == "flagged"
    return result


_REQUIRED_LABELS = {
    "day": gettext_lazy("ngày"),
    "produce": gettext_lazy("sản phẩm"),
    "province": gettext_lazy("tỉnh"),
    "kind": gettext_lazy("loại giá"),
    "price": gettext_lazy("giá"),
}
