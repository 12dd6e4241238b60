"""The searchable form of catalog text: folded words (``nongsan.common.text.fold``) joined by
one space, with a space at each end, so "a word starting with x" is ``LIKE '% x%'`` on
PostgreSQL and the prefix query ``"x"*`` in SQLite's FTS5, and both agree."""

from __future__ import annotations

import re

from nongsan.common.text import fold

_WORD = re.compile(r"[a-z0-9]+")


def search_words(*texts: str) -> list[str]:
    """The folded words of ``texts``; anything but ASCII letters and digits separates words."""
    return _WORD.findall(fold(" ".join(text for text in texts if text)))


def search_text(*texts: str) -> str:
    words = search_words(*texts)
    return f" {' '.join(words)} " if words else ""
