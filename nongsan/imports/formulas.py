"""Formula injection (CSV injection) on the way in and out.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel and LibreOffice. On import such cells are only ever read as text (openpyxl
with ``data_only=True`` and values only: nothing is evaluated). On export, such a value is
written with an apostrophe in front, as OWASP recommends: spreadsheet programs show the
apostrophe-prefixed value as text and keep the apostrophe out of the cell display, and a
re-import strips exactly that one apostrophe again (see docs/decisions/0013).
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


def unescape_cell(text: str) -> str:
    """Undo :func:`escape_cell` on a cell read back: ``'=1+1`` is the text ``=1+1``."""
    if text.startswith(ESCAPE) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
