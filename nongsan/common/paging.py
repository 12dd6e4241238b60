"""Previous / next pages for lists that do not count their rows (``includes/pager.html``).

Counting a national table on every visit costs more than it tells, so a page asks for one
row more than it shows to know whether a next page exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest

MAX_PAGE = 100_000


def page_number(text: str | None) -> int:
    """A page number from the query string; anything that is not one is the first page."""
    try:
        number = int(text or 1)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


@dataclass(frozen=True)
class Page:
    rows: Sequence[Any]
    page_number: int
    previous_url: str
    next_url: str

    def context(self) -> dict[str, Any]:
        """What ``includes/pager.html`` takes."""
        return {
            "page_number": self.page_number,
            "previous_url": self.previous_url,
            "next_url": self.next_url,
        }


def page_of(
    request: HttpRequest, rows: Any, *, size: int, parameter: str = "page", anchor: str = ""
) -> Page:
    """One page of ``rows`` (a queryset, sliced in the database) with the links around it;
    the other query parameters are kept in the links."""
    number = page_number(request.GET.get(parameter))
    start = (number - 1) * size
    found = list(rows[start : start + size + 1])

    def url(target: int) -> str:
        query = {key: value for key, value in request.GET.items() if key != parameter and value}
        query[parameter] = str(target)
        return "?" + urlencode(query) + (f"#{anchor}" if anchor else "")

    return Page(
        rows=found[:size],
        page_number=number,
        previous_url=url(number - 1) if number > 1 else "",
        next_url=url(number + 1) if len(found) > size else "",
    )
