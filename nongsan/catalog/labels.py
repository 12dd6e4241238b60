"""Printable labels for a seller's lots: an A4 PDF of 3×8 labels, each with the lot's QR code
(its traceability page), produce, grower, commune, harvest date and code.

WeasyPrint is imported inside the function: it loads Pango, which only this page needs.
Fonts are the system's (DejaVu covers Vietnamese); nothing is fetched from the network.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

import segno
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from nongsan.catalog.models import Lot

MAX_LABELS = 240


def _qr_svg(url: str) -> str:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=3, border=1, xmldecl=False)
    return buffer.getvalue().decode()


def lot_labels_pdf(*, lots: Iterable[Lot], url_of: Callable[[Lot], str]) -> bytes:
    """The PDF sheet; ``url_of`` gives each lot's absolute traceability URL for its QR code."""
    from weasyprint import HTML  # noqa: PLC0415 - heavy, loaded on demand

    labels = [
        {"lot": lot, "qr": mark_safe(_qr_svg(url_of(lot)))}  # noqa: S308 - segno's own SVG
        for lot in list(lots)[:MAX_LABELS]
    ]
    html = render_to_string("catalog/labels.html", {"labels": labels})
    return bytes(HTML(string=html).write_pdf())
