"""Writing spreadsheets: the registry of an area (xlsx, csv) and the per-row import report.

Workbooks are written with openpyxl's write-only mode, a row at a time, every cell through
:func:`nongsan.imports.formulas.xlsx_cell` (CSV cells through ``escape_cell``), so nothing a
household or an officer typed ever runs as a formula in the reader's spreadsheet program.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from nongsan.imports.formulas import escape_cell, xlsx_cell
from nongsan.producers.models import Household

XLSX = "xlsx"
CSV = "csv"
FORMATS = (XLSX, CSV)
CONTENT_TYPES = {
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    CSV: "text/csv; charset=utf-8",
}
_EXPORT_CHUNK = 2000


def _household_columns() -> list[str]:
    return [
        _("Mã hộ"),
        _("Họ tên chủ hộ"),
        _("Số điện thoại"),
        _("Số CCCD (che)"),
        _("Thôn / xóm / ấp"),
        _("Mã xã"),
        _("Xã / phường"),
        _("Tỉnh / thành phố"),
        _("Địa chỉ như đã ghi"),
        _("Sản phẩm chính"),
        _("Diện tích (ha)"),
        _("Ngân hàng (BIN)"),
        _("Số tài khoản (che)"),
        _("Đăng ký lúc"),
    ]


def _household_rows(queryset: QuerySet[Household]) -> Iterator[list[Any]]:
    households = queryset.select_related("commune", "province").order_by("pk")
    for household in households.iterator(chunk_size=_EXPORT_CHUNK):
        yield [
            household.pk,
            household.head_name,
            household.phone,
            household.citizen_id_masked,
            household.village,
            household.commune.code,
            household.commune.name,
            household.province.name,
            household.address_as_written,
            household.main_produce,
            household.farm_area_hectares,
            household.bank_bin,
            household.bank_account_masked,
            household.created_at.strftime("%d/%m/%Y"),
        ]


def write_table(
    header: Sequence[str], rows: Iterable[Sequence[Any]], format: str, stream: IO[bytes]
) -> None:
    """Write a header and rows to ``stream`` as xlsx or csv, every cell escaped."""
    if format == XLSX:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append([xlsx_cell(sheet, cell) for cell in header])
        for row in rows:
            sheet.append([xlsx_cell(sheet, cell) for cell in row])
        workbook.save(stream)
        return
    if format != CSV:
        raise ValueError(_("Định dạng không hỗ trợ: %(format)s.") % {"format": format})
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([escape_cell(cell) for cell in header])
    for row in rows:
        writer.writerow(["" if cell is None else escape_cell(cell) for cell in row])
    text.detach()


def household_export(queryset: QuerySet[Household], format: str) -> tuple[bytes, int]:
    """The households of ``queryset`` as an xlsx or csv file (bytes), escaped against formulas,
    and how many households it holds.

    Callers pass a queryset that already starts from what the person may see
    (``visible_households``); citizen ID and bank account numbers are exported masked only.
    """
    stream = io.BytesIO()
    written = 0

    def counted() -> Iterator[list[Any]]:
        nonlocal written
        for row in _household_rows(queryset):
            written += 1
            yield row

    write_table(_household_columns(), counted(), format, stream)
    return stream.getvalue(), written


def report_header() -> list[str]:
    return [
        _("Dòng"),
        _("Kết quả"),
        _("Lỗi"),
        _("Họ tên chủ hộ"),
        _("Số điện thoại"),
        _("Số CCCD (che)"),
        _("Mã xã"),
        _("Xã / phường"),
        _("Ô đã đổi mã tiếng Việt"),
    ]


def report_row(
    row_number: int,
    status_label: str,
    errors: Sequence[str],
    data: dict[str, Any],
    conversions: Sequence[dict[str, str]],
) -> list[Any]:
    return [
        row_number,
        status_label,
        "\n".join(errors),
        data.get("head_name", ""),
        data.get("phone", ""),
        data.get("citizen_id_masked", ""),
        data.get("commune_code", ""),
        data.get("commune_name", ""),
        "\n".join(
            f"{item['column']}: {item['original']} → {item['converted']} ({item['encoding']})"
            for item in conversions
        ),
    ]
