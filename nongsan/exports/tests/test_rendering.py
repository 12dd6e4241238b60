"""The files themselves: the xlsx opens with openpyxl and holds the figures as numbers, with
formula-looking text escaped; the PDF is a PDF that embeds DejaVu, has a glyph for every
Vietnamese letter, and lays out the figures as the page shows them."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from nongsan.exports.documents import checked_document
from nongsan.exports.rendering import document_html, render_pdf, render_xlsx
from nongsan.exports.tests.conftest import sample_document
from nongsan.exports.tests.pdf import embedded_fonts


def _document():
    return checked_document(sample_document())


def test_the_xlsx_has_a_sheet_per_section_with_title_rows_and_numbers_as_numbers():
    workbook = load_workbook(io.BytesIO(render_xlsx(_document())))
    assert workbook.sheetnames == ["Số liệu", "Khó khăn, vướng mắc"]
    sheet = workbook["Số liệu"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "Tiến độ Kế hoạch 1034 — Tỉnh Lào Cai"
    assert rows[1][0] == "Tháng 03/2026"
    assert rows[2][0] == "Số liệu lấy lúc 02/04/2026 16:00"
    header = rows.index(["Chỉ tiêu", "Giá trị", "Mục tiêu"])
    assert rows[header + 1] == ["Hộ đã đăng ký", 1200, 2000]
    assert rows[header + 2] == ["Giá trị hàng đã giao (đồng)", 45_500_000, None]
    assert rows[header + 3][1] == 12.5
    assert isinstance(rows[header + 1][1], int)
    # Text a spreadsheet would run is kept as text (a string cell with the quote prefix, no
    # apostrophe in the value); negative numbers stay numbers.
    assert rows[header + 4][0] == '=HYPERLINK("http://x")'
    formula_like = sheet.cell(row=header + 5, column=1)
    assert (formula_like.data_type, formula_like.quotePrefix) == ("s", True)
    assert rows[header + 4][1] == -3
    notes = [row[0] for row in workbook["Khó khăn, vướng mắc"].iter_rows(values_only=True)]
    assert "Phí vận chuyển cao." in notes
    assert "Thiếu kho lạnh." in notes


def test_sheet_names_are_made_legal_and_unique():
    document = _document()
    document["sections"] = [
        {"heading": "Số liệu: tỉnh/xã [1]", "text": "", "columns": [], "rows": []},
        {"heading": "Số liệu: tỉnh/xã [1]", "text": "", "columns": [], "rows": []},
        {"heading": "", "text": "", "columns": [], "rows": []},
    ]
    workbook = load_workbook(io.BytesIO(render_xlsx(document)))
    assert workbook.sheetnames == ["Số liệu  tỉnh xã  1", "Số liệu  tỉnh xã  1 (2)", "Phần 3"]


def test_the_pdf_embeds_dejavu_and_every_vietnamese_glyph():
    from weasyprint import HTML

    content = render_pdf(_document())
    assert content.startswith(b"%PDF-")
    assert "DejaVu-Sans" in embedded_fonts(content)
    rendered = HTML(string=document_html(_document())).render()
    rendered.write_pdf()
    assert rendered.fonts
    assert all(not font.missing for font in rendered.fonts.values())


def test_the_pdf_lays_out_the_figures_as_the_page_shows_them():
    from weasyprint import HTML

    rendered = HTML(string=document_html(_document())).render()
    texts = [
        box.text
        for page in rendered.pages
        for box in page._page_box.descendants()
        if getattr(box, "text", None)
    ]
    assert "Tiến độ Kế hoạch 1034 — Tỉnh Lào Cai" in texts
    assert "1.200" in texts
    assert "45.500.000" in texts
    assert "12,5" in texts
    assert "Phí vận chuyển cao." in " ".join(texts)


def test_every_commune_of_the_country_fits_in_a_pdf():
    """The national commune table (3,321 communes since 1 July 2025) is printed whole."""
    from nongsan.exports import rendering

    document = _document()
    document["sections"] = [
        {"heading": "Xã", "text": "", "columns": ["Xã"], "rows": [[f"Xã {n}"] for n in range(3321)]}
    ]
    section = rendering.pdf_sections(document)["sections"][0]
    assert len(section["rows"]) == 3321
    assert section["text"] == ""


def test_a_long_table_is_cut_in_the_pdf_and_says_where_the_rest_is(monkeypatch):
    from nongsan.exports import rendering

    monkeypatch.setattr(rendering, "PDF_MAX_ROWS", 3)
    document = _document()
    document["sections"].append(
        {"heading": "Thêm", "text": "", "columns": ["A"], "rows": [["x"], ["y"]]}
    )
    shortened = rendering.pdf_sections(document)
    first, _notes, last = shortened["sections"]
    assert len(first["rows"]) == 3
    assert first["text"].endswith("Bản PDF chỉ in 3 trên 4 dòng; bảng đầy đủ có trong tệp xlsx.")
    assert last["rows"] == []
    assert last["text"] == "Bản PDF chỉ in 0 trên 2 dòng; bảng đầy đủ có trong tệp xlsx."
    assert len(document["sections"][0]["rows"]) == 4  # the xlsx keeps every row
    assert rendering.render_pdf(document).startswith(b"%PDF-")
