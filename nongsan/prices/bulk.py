"""Price reports from a spreadsheet (.xlsx or .csv, read by nongsan.imports.reading).

Columns, in any order, headers with or without diacritics: ``ngày`` (dd/mm/yyyy),
``sản phẩm`` (a produce type's code, name or synonym), ``tỉnh`` (current province code or
name), ``loại giá`` (tại vườn / bán buôn / bán lẻ, or farm_gate / wholesale / retail),
``giá`` (đồng/kg), optionally ``chợ`` and ``xã`` (a current commune's code or name in the
row's province; a commune officer's rows without one are their own commune's). Every row is
checked first; one bad row and nothing is written, and every problem is returned with its row
number. The rights are read once, the rows written in bulk and each series' day refreshed
once (``prices.services.price_reports_write``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nongsan.accounts.models import User
from nongsan.catalog.models import ProduceType
from nongsan.catalog.services import parse_price_vnd
from nongsan.common.text import fold
from nongsan.geo.models import AdministrativeUnit
from nongsan.harvests.sources import produce_slug
from nongsan.imports.reading import SpreadsheetError, read_rows
from nongsan.prices.models import PriceKind, ReportSource, ReportStatus
from nongsan.prices.permissions import price_reporting_check, reporting_commune
from nongsan.prices.services import NewPriceReport, price_reports_write

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
    "xa": "commune",
    "xa / phuong": "commune",
    "xa/phuong": "commune",
    "phuong": "commune",
    "commune": "commune",
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
    for prefix in ("thanh pho ", "tinh ", "xa ", "phuong ", "dac khu "):
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
        parsed: list[NewPriceReport] = []
        types = {produce.slug: produce for produce in ProduceType.objects.filter(is_active=True)}
        provinces = AdministrativeUnit.objects.current().filter(level="province")
        by_code = {unit.code: unit for unit in provinces}
        by_name = {_bare(unit.name): unit for unit in provinces}
        communes_by_code: dict[str, AdministrativeUnit] = {}
        communes_by_name: dict[tuple[int | None, str], AdministrativeUnit] = {}
        if "commune" in found:
            for unit in AdministrativeUnit.objects.current().filter(level="commune"):
                communes_by_code[unit.code] = unit
                communes_by_name[(unit.province_id, _bare(unit.name))] = unit
        may_report = price_reporting_check(user)
        own_commune = reporting_commune(user)
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
            commune_text = values.get("commune", "").strip()
            commune: AdministrativeUnit | None = None
            if commune_text and province is not None:
                commune = communes_by_code.get(commune_text.zfill(5)) or communes_by_name.get(
                    (province.pk, _bare(commune_text))
                )
                if commune is None or commune.province_id != province.pk:
                    problems.append(
                        _("không nhận ra xã / phường “%(text)s” trong tỉnh này")
                        % {"text": commune_text}
                    )
                    commune = None
            elif (
                not commune_text
                and own_commune is not None
                and province is not None
                and own_commune.province_id == province.pk
            ):
                commune = own_commune
            if province is not None and not may_report(province, commune):
                problems.append(_("bạn không được báo giá ở địa bàn này"))
            if problems or produce is None or province is None or kind is None:
                result.errors.append(
                    _("Dòng %(number)s: %(problems)s.")
                    % {"number": number, "problems": "; ".join(problems)}
                )
                continue
            parsed.append(
                NewPriceReport(
                    produce_type=produce,
                    province=province,
                    commune=commune,
                    market_name=values.get("market", ""),
                    kind=str(kind),
                    price_vnd=price,
                    reported_on=day,
                    source=ReportSource.IMPORTED,
                )
            )
    except SpreadsheetError as error:
        result.errors.append(str(error))
        return result
    if result.errors:
        return result
    created = price_reports_write(user=user, reports=parsed)
    result.created = len(created)
    result.flagged = sum(report.status == ReportStatus.FLAGGED for report in created)
    return result


_REQUIRED_LABELS = {
    "day": gettext_lazy("ngày"),
    "produce": gettext_lazy("sản phẩm"),
    "province": gettext_lazy("tỉnh"),
    "kind": gettext_lazy("loại giá"),
    "price": gettext_lazy("giá"),
}
