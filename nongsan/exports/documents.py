"""The document a builder returns, checked before it is rendered: a builder that breaks the
agreed shape fails the job with a clear error instead of producing a wrong file."""

from __future__ import annotations

import datetime
import math
from typing import Any

MAX_SECTIONS = 50
MAX_ROWS = 20_000
MAX_COLUMNS = 60
MAX_TEXT = 20_000
Cell = str | int | float | None


class DocumentError(ValueError):
    """The builder's document does not have the agreed shape."""


def _text(value: Any, name: str, limit: int = MAX_TEXT) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DocumentError(f"{name} must be text")
    return value[:limit]


def _cell(value: Any) -> Cell:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DocumentError(f"a cell must be text, a number or empty: {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise DocumentError("a cell must be a finite number")
    return value


def checked_document(document: Any) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise DocumentError("the builder must return a dict")
    generated_at = _text(document.get("generated_at"), "generated_at", 40)
    try:
        datetime.datetime.fromisoformat(generated_at)
    except ValueError as error:
        raise DocumentError("generated_at must be an ISO date and time") from error
    sections = document.get("sections")
    if not isinstance(sections, list) or len(sections) > MAX_SECTIONS:
        raise DocumentError(f"sections must be a list of at most {MAX_SECTIONS}")
    checked_sections = []
    total_rows = 0
    for section in sections:
        if not isinstance(section, dict):
            raise DocumentError("each section must be a dict")
        columns = section.get("columns") or []
        rows = section.get("rows") or []
        if not isinstance(columns, list) or len(columns) > MAX_COLUMNS:
            raise DocumentError(f"columns must be a list of at most {MAX_COLUMNS}")
        if not isinstance(rows, list):
            raise DocumentError("rows must be a list")
        total_rows += len(rows)
        if total_rows > MAX_ROWS:
            raise DocumentError(f"a document has at most {MAX_ROWS} rows")
        checked_rows = []
        for row in rows:
            if not isinstance(row, list | tuple) or len(row) > MAX_COLUMNS:
                raise DocumentError("each row must be a list of cells")
            checked_rows.append([_cell(value) for value in row])
        checked_sections.append(
            {
                "heading": _text(section.get("heading"), "heading", 300),
                "text": _text(section.get("text"), "text"),
                "columns": [_text(column, "column", 200) for column in columns],
                "rows": checked_rows,
            }
        )
    return {
        "title": _text(document.get("title"), "title", 200) or "Nông Sàn",
        "subtitle": _text(document.get("subtitle"), "subtitle", 300),
        "generated_at": generated_at,
        "sections": checked_sections,
    }
