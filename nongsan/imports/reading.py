"""Streaming readers for the spreadsheets officers upload (.xlsx and .csv).

Rows are read one at a time: a .csv as a stream, an .xlsx through calamine (values only:
formulas are never evaluated, a cell starting with ``=`` is read as the text it holds), which
holds the sheet's cells compactly in Rust and hands them over a row at a time, so a
100,000-row file needs about 100 MB and a second to read (decision 0015). The header row may
sit below banner rows (a title, the issuing office): it is the first row where at least two
cells name a known column.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

MAX_ROWS = 200_000
MAX_BYTES = 50 * 1024 * 1024
HEADER_SEARCH_ROWS = 30
MIN_HEADER_MATCHES = 2
XLSX = "xlsx"
CSV = "csv"
_CSV_ENCODINGS = ("utf-8-sig", "cp1258")
_CSV_SNIFF_BYTES = 64 * 1024


class SpreadsheetError(Exception):
    """The file cannot be read as a spreadsheet; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class Sheet:
    """The header found in a file and where its rows start."""

    kind: str
    headers: list[str]
    header_row: int
    encoding: str = ""
    delimiter: str = ""


def cell_text(value: Any) -> str:
    """A cell as text, as it was typed: numbers without a trailing ``.0``, dates dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def file_kind(path: Path, name: str = "") -> str:
    """``xlsx`` or ``csv`` from the content, refusing a renamed PDF or a broken workbook."""
    size = path.stat().st_size
    if size == 0:
        raise SpreadsheetError(_("Tệp trống: không có dữ liệu nào để nhập."))
    if size > MAX_BYTES:
        raise SpreadsheetError(
            _("Tệp quá lớn: tối đa %(megabytes)d MB.") % {"megabytes": MAX_BYTES // (1024 * 1024)}
        )
    suffix = Path(name or path.name).suffix.lower()
    with path.open("rb") as handle:
        start = handle.read(8)
    if start.startswith(b"%PDF"):
        raise SpreadsheetError(
            _("Đây là tệp PDF, không phải bảng tính: hãy tải lên tệp .xlsx hoặc .csv.")
        )
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetError(
            _("Tệp Excel 97-2003 (.xls) chưa đọc được: hãy mở trong Excel và lưu lại dạng .xlsx.")
        )
    if suffix in (".xlsx", ".xlsm"):
        if not zipfile.is_zipfile(path):
            raise SpreadsheetError(_("Tệp .xlsx bị hỏng hoặc không phải tệp Excel thật."))
        return XLSX
    if suffix in (".csv", ".txt", ".tsv"):
        if start.startswith(b"PK\x03\x04"):
            raise SpreadsheetError(_("Tệp mang đuôi .csv nhưng là tệp nén (có thể là .xlsx)."))
        return CSV
    raise SpreadsheetError(_("Chỉ nhận tệp .xlsx hoặc .csv."))


def _csv_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) when every byte decodes so; otherwise Windows-1258."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        try:
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1258"
    return "utf-8-sig"


def _csv_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {delimiter: sample.count(delimiter) for delimiter in ",;\t"}
        return max(counts, key=lambda delimiter: counts[delimiter])


def _xlsx_rows(path: Path) -> tuple[Iterator[list[str]], str, str, Callable[[], None]]:
    """The first sheet's rows through calamine (see decision 0015): cached values only, so a
    formula is never evaluated and a text cell starting with ``=`` stays text.

    calamine yields rows from the first row of the sheet but columns from the first used
    column, so each row is padded on the left to keep Excel's column positions.
    """
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        sheet = workbook.get_sheet_by_index(0) if names else None
    except Exception as error:  # noqa: BLE001 - calamine raises several kinds for bad files
        raise SpreadsheetError(
            _("Không đọc được tệp .xlsx: tệp bị hỏng hoặc sai định dạng.")
        ) from error
    if sheet is None:
        workbook.close()
        raise SpreadsheetError(_("Tệp không có trang tính nào."))
    start = sheet.start
    if start is None:  # an empty sheet
        workbook.close()
        return iter(()), "", "", lambda: None
    left = [""] * start[1]
    cells = (left + [cell_text(value) for value in row] for row in sheet.iter_rows())
    return cells, "", "", workbook.close


def _raw_rows(path: Path, kind: str) -> tuple[Iterator[list[str]], str, str, Callable[[], None]]:
    """Every row of the first sheet as text cells, the encoding, the delimiter and a closer."""
    if kind == XLSX:
        return _xlsx_rows(path)
    encoding = _csv_encoding(path)
    handle: IO[str] = path.open(encoding=encoding, newline="")
    delimiter = _csv_delimiter(handle.read(_CSV_SNIFF_BYTES))
    handle.seek(0)
    reader = csv.reader(handle, delimiter=delimiter)
    rows = ([unicodedata.normalize("NFC", cell.strip()) for cell in row] for row in reader)
    return rows, encoding, delimiter, handle.close


def _find_header(
    rows: Iterator[list[str]], is_known_column: Callable[[str], bool]
) -> tuple[int, list[str]]:
    for number, cells in enumerate(rows, start=1):
        if number > HEADER_SEARCH_ROWS:
            break
        if sum(1 for cell in cells if cell and is_known_column(cell)) >= MIN_HEADER_MATCHES:
            return number, cells
    raise SpreadsheetError(
        _(
            "Không tìm thấy dòng tiêu đề trong %(rows)d dòng đầu: cần ít nhất hai cột có tên "
            "quen thuộc (ví dụ «Họ và tên chủ hộ», «Số điện thoại», «Địa chỉ»)."
        )
        % {"rows": HEADER_SEARCH_ROWS}
    )


def _unique_headers(cells: list[str]) -> list[str]:
    """Headers as keys: blanks named by their column letter-free position, repeats numbered."""
    headers: list[str] = []
    for position, cell in enumerate(cells, start=1):
        header = cell or _("Cột %(number)d") % {"number": position}
        while header in headers:
            header = f"{header} ({position})"
        headers.append(header)
    return headers


def read_rows(
    path: Path,
    *,
    name: str = "",
    is_known_column: Callable[[str], bool],
    max_rows: int = MAX_ROWS,
) -> tuple[Sheet, Iterator[tuple[int, dict[str, str]]]]:
    """The sheet's header and a stream of (row number, header → cell text) for the data rows.

    Blank rows are skipped; a file with more than ``max_rows`` data rows raises
    :class:`SpreadsheetError` when the stream reaches that row.
    """
    kind = file_kind(path, name)
    try:
        rows, encoding, delimiter, close = _raw_rows(path, kind)
    except (UnicodeDecodeError, csv.Error) as error:
        raise SpreadsheetError(
            _("Không đọc được tệp .csv: %(error)s") % {"error": error}
        ) from error
    try:
        header_row, cells = _find_header(rows, is_known_column)
    except (SpreadsheetError, csv.Error, UnicodeDecodeError) as error:
        close()
        if isinstance(error, SpreadsheetError):
            raise
        raise SpreadsheetError(
            _("Không đọc được tệp .csv: %(error)s") % {"error": error}
        ) from error
    headers = _unique_headers(cells)
    sheet = Sheet(
        kind=kind, headers=headers, header_row=header_row, encoding=encoding, delimiter=delimiter
    )

    def stream() -> Iterator[tuple[int, dict[str, str]]]:
        count = 0
        try:
            for number, cells in enumerate(rows, start=header_row + 1):
                if not any(cells):
                    continue
                count += 1
                if count > max_rows:
                    raise SpreadsheetError(
                        _("Tệp có quá nhiều dòng: tối đa %(limit)s dòng dữ liệu.")
                        % {"limit": f"{max_rows:,}".replace(",", ".")}
                    )
                yield (
                    number,
                    {
                        header: cells[position] if position < len(cells) else ""
                        for position, header in enumerate(headers)
                    },
                )
        except (csv.Error, UnicodeDecodeError) as error:
            raise SpreadsheetError(
                _("Không đọc được tệp .csv: %(error)s") % {"error": error}
            ) from error
        finally:
            close()

    return sheet, stream()
