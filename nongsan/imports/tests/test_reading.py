"""Reading files, finding the header, guessing the mapping, escaping formulas."""

from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from nongsan.imports.columns import guess_mapping, mapping_problems, parse_mapping_option
from nongsan.imports.formulas import escape_cell, unescape_cell
from nongsan.imports.reading import SpreadsheetError, read_rows
from nongsan.imports.services import open_sheet

HEADER = ["STT", "Họ và tên chủ hộ", "SĐT", "Địa chỉ", "Đồng ý"]


def write_xlsx(path: Path, rows: list[list[Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def windows_1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: toned letters as a letter plus a tone mark."""
    encoded = b""
    for char in text:
        try:
            encoded += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            tone = next(mark for mark in decomposed if mark in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", decomposed.replace(tone, ""))
            encoded += base.encode("cp1258") + tone.encode("cp1258")
    return encoded


def test_the_header_is_found_below_banner_rows(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "ds.xlsx",
        [
            ["UBND TỈNH BẮC NINH"],
            ["DANH SÁCH HỘ SẢN XUẤT NÔNG NGHIỆP NĂM 2025"],
            [],
            HEADER,
            [1, "Nguyễn Văn An", "0912345678", "Xã Hồng Giang", "x"],
        ],
    )
    sheet, rows = open_sheet(path)
    assert sheet.header_row == 4
    assert list(rows) == [
        (
            5,
            {"STT": "1", "Họ và tên chủ hộ": "Nguyễn Văn An", "SĐT": "0912345678",
             "Địa chỉ": "Xã Hồng Giang", "Đồng ý": "x"},
        )
    ]  # fmt: skip


def test_a_sheet_without_a_recognisable_header_is_refused(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ds.xlsx", [["a", "b"], ["c", "d"]])
    with pytest.raises(SpreadsheetError, match="dòng tiêu đề"):
        open_sheet(path)


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ";"), ("utf-8", "\t"), ("cp1258", ";")],
)
def test_csv_in_utf8_with_or_without_bom_or_windows_1258_and_any_delimiter(
    tmp_path: Path, encoding: str, delimiter: str
) -> None:
    path = tmp_path / "ds.csv"
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(["Họ tên", "Số điện thoại", "Xã/Phường", "Tỉnh"])
    writer.writerow(["Trần Thị Bình", "0987654321", "Hồng Giang", "Bắc Ninh"])
    path.write_bytes(
        windows_1258(text.getvalue()) if encoding == "cp1258" else text.getvalue().encode(encoding)
    )
    sheet, rows = open_sheet(path)
    (number, row), *_rest = list(rows)
    assert number == 2
    assert row["Họ tên"] == "Trần Thị Bình"
    assert sheet.delimiter == delimiter


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.xlsx", b"", "trống"),
        ("report.xlsx", b"%PDF-1.4 ...", "PDF"),
        ("broken.xlsx", b"this is not a zip", "hỏng"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls"),
        ("notes.docx", b"PK\x03\x04", ".xlsx hoặc .csv"),
        ("zip.csv", b"PK\x03\x04rest", "tệp nén"),
    ],
)
def test_files_that_are_not_spreadsheets_get_a_clear_error(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SpreadsheetError, match=message):
        open_sheet(path)


def test_too_many_rows_are_refused_while_streaming(tmp_path: Path) -> None:
    path = tmp_path / "ds.csv"
    path.write_text("Họ tên,SĐT\n" + "".join(f"A {i},0912{i:06d}\n" for i in range(20)))
    _sheet, rows = read_rows(path, is_known_column=lambda header: True, max_rows=10)
    with pytest.raises(SpreadsheetError, match="quá nhiều dòng"):
        list(rows)


def test_a_text_cell_starting_with_equals_is_read_as_text_never_run(tmp_path: Path) -> None:
    path = tmp_path / "ds.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append([1, '=HYPERLINK("http://x")', "+84912345678", "@SUM(A1)", "-1"])
    sheet["B2"].data_type = "s"  # a text cell, as a CSV-injection payload arrives
    sheet["D2"].data_type = "s"
    workbook.save(path)
    _sheet, rows = open_sheet(path)
    ((_number, row),) = list(rows)
    assert row["Họ và tên chủ hộ"] == '=HYPERLINK("http://x")'
    assert row["Địa chỉ"] == "@SUM(A1)"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            ["Họ và tên chủ hộ", "Số điện thoại", "Số CMND/CCCD"],
            ["head_name", "phone", "citizen_id"],
        ),
        (["HO TEN", "SDT", "CCCD"], ["head_name", "phone", "citizen_id"]),
        (["name", "phone", "citizen id"], ["head_name", "phone", "citizen_id"]),
        (
            ["Thôn/Xóm/Ấp", "Xã/Phường", "Huyện", "Tỉnh"],
            ["village", "commune", "district", "province"],
        ),
        (
            ["Sản phẩm chính", "Diện tích (ha)", "Ngân hàng", "Số tài khoản", "Đồng ý"],
            ["main_produce", "farm_area_hectares", "bank", "bank_account_number", "consent"],
        ),
        (
            ["Họ tên (*)", "Địa chỉ", "main produce", "area", "consent"],
            ["head_name", "address", "main_produce", "farm_area_hectares", "consent"],
        ),
    ],
)
def test_the_mapping_is_guessed_from_vietnamese_or_english_headers(
    headers: list[str], expected: list[str]
) -> None:
    assert list(guess_mapping(headers).values()) == expected


def test_an_unknown_header_is_left_out_of_the_guess() -> None:
    assert guess_mapping(["STT", "Ghi chú", "SĐT"]) == {"SĐT": "phone"}


def test_the_map_option_overrides_columns_and_refuses_unknown_names() -> None:
    headers = ["Cột A", "Cột B"]
    assert parse_mapping_option("Cột A=phone, cot b=name", headers) == {
        "Cột A": "phone",
        "Cột B": "head_name",
    }
    with pytest.raises(ValueError, match="Không có cột"):
        parse_mapping_option("Cột Z=phone", headers)
    with pytest.raises(ValueError, match="Không biết trường"):
        parse_mapping_option("Cột A=shoe size", headers)
    with pytest.raises(ValueError, match="Cột=trường"):
        parse_mapping_option("Cột A", headers)


def test_a_mapping_without_consent_or_name_says_what_is_missing() -> None:
    problems = " ".join(mapping_problems({"SĐT": "phone", "Địa chỉ": "address"}))
    assert "họ tên" in problems
    assert "Đồng ý" in problems


@pytest.mark.parametrize("value", ["=1+1", "+84912", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_escaped_and_read_back(value: str) -> None:
    escaped = escape_cell(value)
    assert escaped == "'" + value
    assert unescape_cell(escaped) == value


def test_plain_values_are_not_escaped() -> None:
    assert escape_cell("Nguyễn Văn An") == "Nguyễn Văn An"
    assert escape_cell(-5) == -5
    assert unescape_cell("'Tom") == "'Tom"


def test_an_exported_workbook_holds_no_formula(tmp_path: Path) -> None:
    from nongsan.imports.exporting import XLSX, write_table

    stream = io.BytesIO()
    write_table(["Tên"], [["=cmd|' /C calc'!A0"], ["@SUM(1)"]], XLSX, stream)
    stream.seek(0)
    sheet = load_workbook(stream).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert [cell.data_type for cell in cells] == ["s", "s"]
    # Typed text with the quote prefix (Excel's own apostrophe), none in the value.
    assert [cell.value for cell in cells] == ["=cmd|' /C calc'!A0", "@SUM(1)"]
    assert all(cell.quotePrefix for cell in cells)


def test_a_sheet_starting_below_and_right_of_a1_keeps_excel_rows_and_columns(
    tmp_path: Path,
) -> None:
    """calamine starts a sheet at its first used column; the reader pads it back, so row
    numbers and columns are Excel's, as an officer sees them."""
    import datetime

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["C3"] = "DANH SÁCH HỘ"
    for offset, header in enumerate(HEADER):
        sheet.cell(row=5, column=2 + offset, value=header)
    values = [1, "Lê Thị Một", 912345678, "Hồng Giang, Bắc Ninh", "x"]
    for offset, value in enumerate(values):
        sheet.cell(row=6, column=2 + offset, value=value)
    sheet.cell(row=9, column=3, value="Trần Văn Hai")
    sheet.cell(row=9, column=4, value=datetime.date(2025, 7, 1))
    sheet.cell(row=9, column=5, value=1.5)
    path = tmp_path / "lech.xlsx"
    workbook.save(path)
    found, rows = open_sheet(path)
    assert found.header_row == 5
    assert found.headers[1:] == HEADER  # column A is blank and named by position
    (first_number, first), (second_number, second) = list(rows)
    assert (first_number, second_number) == (6, 9)
    assert first["Họ và tên chủ hộ"] == "Lê Thị Một"
    assert first["SĐT"] == "912345678"  # a number typed in the cell, without ".0"
    assert second["Họ và tên chủ hộ"] == "Trần Văn Hai"
    assert second["SĐT"] == "01/07/2025"  # a date as it is written in Vietnam
    assert second["Địa chỉ"] == "1.5"


def test_an_empty_workbook_has_no_header(tmp_path: Path) -> None:
    workbook = Workbook()
    path = tmp_path / "trong.xlsx"
    workbook.save(path)
    with pytest.raises(SpreadsheetError, match="tiêu đề"):
        open_sheet(path)
