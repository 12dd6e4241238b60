"""Formula injection (CSV injection) on the way in and out.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel and LibreOffice. On import such cells are only ever read as text (openpyxl
with ``data_only=True`` and values only: nothing is evaluated).

On export to CSV, such a value is written with an apostrophe in front, as OWASP recommends
(a CSV cell has no type: the program guesses), and a re-import strips exactly that one
apostrophe again (see docs/decisions/0013). An xlsx cell has a type: :func:`xlsx_cell` writes
such text as a string cell with Excel's "quote prefix" style, the typed form of the same
apostrophe, so the program never runs it, even when the cell is edited, and shows no
apostrophe ("+84912345678" reads as written); an apostrophe written into the value itself
would be shown as part of the text.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def escape_cell(value: Any) -> Any:
    """``value`` safe to put in a spreadsheet cell: text that would run is prefixed with '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return ESCAPE + value
    return value


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """``value`` as an openpyxl sheet takes it, safe: text that a spreadsheet would run becomes
    an explicit string cell marked with the quote prefix; anything else is left as it is
    (openpyxl already writes other text as strings)."""
    if not (isinstance(value, str) and value.startswith(FORMULA_STARTS)):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl took a leading "=" for a formula
    cell.quotePrefix = True
    return cell


def unescape_cell(text: str) -> str:
    """Undo :func:`escape_cell` on a cell read back: ``'=1+1`` is the text ``=1+1``."""
    if text.startswith(ESCAPE) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
