"""A light look inside a PDF without a PDF library: inflate every stream and read the font
objects, which is enough to see which fonts the file embeds."""

from __future__ import annotations

import re
import zlib

STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.DOTALL)


def pdf_objects(content: bytes) -> bytes:
    parts = [content]
    for match in STREAM.finditer(content):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def embedded_fonts(content: bytes) -> set[str]:
    objects = pdf_objects(content)
    if b"/FontFile" not in objects:
        return set()
    return {name.decode() for name in re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([\w-]+)", objects)}
