"""Turning a checked document into a file: xlsx with openpyxl (numbers stay numbers, text
that a spreadsheet would run as a formula is escaped), PDF with WeasyPrint (imported only
here: it loads Pango) using the system's DejaVu fonts, which cover Vietnamese and are
embedded (subset) in the file; nothing is fetched from the network."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from nongsan.common.formatting import format_datetime
from nongsan.imports.formulas import xlsx_cell

# WeasyPrint lays a table out in time linear in its rows: about 7 ms of CPU a row here (a
# 3,321-row table of every commune in the country, 6 columns: 22.8 s of CPU, 600 KB, measured
# 2026-12-07 by rendering a generated document with render_pdf). A background job can afford
# that, so a PDF holds every commune of the country; past this many rows it prints the first
# ones and says where the rest is (the xlsx always has every row).
PDF_MAX_ROWS = 5000
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LENGTH = 31
MAX_COLUMN_WIDTH = 60


def _generated_label(document: dict[str, Any]) -> str:
    moment = datetime.datetime.fromisoformat(document["generated_at"])
    if moment.tzinfo is None:
        return document["generated_at"]
    return _("Số liệu lấy lúc %(moment)s") % {"moment": format_datetime(moment)}


def _sheet_name(heading: str, index: int, taken: set[str]) -> str:
    base = SHEET_NAME_FORBIDDEN.sub(" ", heading).strip() or _("Phần %(number)d") % {
        "number": index
    }
    name = base[:SHEET_NAME_LENGTH]
    suffix = 2
    while name.casefold() in taken:
        tail = f" ({suffix})"
        name = base[: SHEET_NAME_LENGTH - len(tail)] + tail
        suffix += 1
    taken.add(name.casefold())
    return name


def render_xlsx(document: dict[str, Any]) -> bytes:
    """One sheet per section, each starting with the document's title rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    title_font = Font(bold=True, size=14)
    sections = document["sections"] or [
        {"heading": document["title"], "text": "", "columns": [], "rows": []}
    ]
    taken: set[str] = set()
    for index, section in enumerate(sections, start=1):
        sheet = workbook.create_sheet(_sheet_name(section["heading"], index, taken))
        sheet.append([xlsx_cell(sheet, document["title"])])
        sheet.cell(row=1, column=1).font = title_font
        if document["subtitle"]:
            sheet.append([xlsx_cell(sheet, document["subtitle"])])
        sheet.append([_generated_label(document)])
        sheet.append([])
        if section["heading"]:
            sheet.append([xlsx_cell(sheet, section["heading"])])
            sheet.cell(row=sheet.max_row, column=1).font = bold
        for line in section["text"].splitlines():
            sheet.append([xlsx_cell(sheet, line)])
        if section["columns"]:
            sheet.append([xlsx_cell(sheet, column) for column in section["columns"]])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        widths: dict[int, int] = {}
        for row in section["rows"]:
            sheet.append([xlsx_cell(sheet, value) for value in row])
            for position, value in enumerate(row, start=1):
                widths[position] = max(widths.get(position, 0), len(str(value or "")))
        for position, column in enumerate(section["columns"], start=1):
            width = max(widths.get(position, 0), len(column)) + 2
            letter = sheet.cell(row=1, column=position).column_letter
            sheet.column_dimensions[letter].width = min(width, MAX_COLUMN_WIDTH)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def document_html(document: dict[str, Any]) -> str:
    return render_to_string(
        "exports/document.html",
        {"document": document, "generated_label": _generated_label(document)},
    )


def pdf_sections(document: dict[str, Any]) -> dict[str, Any]:
    """The document with at most PDF_MAX_ROWS table rows, each shortened table saying so."""
    left = PDF_MAX_ROWS
    sections = []
    for section in document["sections"]:
        rows = section["rows"]
        if len(rows) > left:
            note = _(
                "Bản PDF chỉ in %(shown)d trên %(total)d dòng; bảng đầy đủ có trong tệp xlsx."
            ) % {"shown": left, "total": len(rows)}
            text = f"{section['text']}\n{note}" if section["text"] else note
            section = {**section, "rows": rows[:left], "text": text}
        left -= len(section["rows"])
        sections.append(section)
    return {**document, "sections": sections}


def render_pdf(document: dict[str, Any]) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - heavy, loaded on demand

    return bytes(HTML(string=document_html(pdf_sections(document))).write_pdf())
