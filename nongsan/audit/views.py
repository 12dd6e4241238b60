"""The audit trail page: officers read their area's entries; nothing on it changes them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from nongsan.accounts.permissions import OFFICER_ROLES, user_scope
from nongsan.audit.forms import AuditFilterForm
from nongsan.audit.models import AuditEntry
from nongsan.audit.selectors import audit_entry_list

ENTRIES_PER_PAGE = 50
MAX_PAGE = 10_000


@dataclass(frozen=True)
class EntryPage:
    """One page of entries without a total count: counting a national trail of millions of
    rows on every visit costs more than it tells; officers narrow it with the filters."""

    entries: list[AuditEntry]
    number: int
    has_previous: bool
    has_next: bool


def _page_number(text: str | None) -> int:
    """A page number from the query string; anything unusable is the first page."""
    try:
        number = int(text or 1)
    except ValueError:
        return 1
    return min(max(number, 1), MAX_PAGE)


def _page(entries: Any, number: int) -> EntryPage:
    start = (number - 1) * ENTRIES_PER_PAGE
    rows = list(entries[start : start + ENTRIES_PER_PAGE + 1])
    return EntryPage(
        entries=rows[:ENTRIES_PER_PAGE],
        number=number,
        has_previous=number > 1,
        has_next=len(rows) > ENTRIES_PER_PAGE,
    )


def _page_url(request: HttpRequest, number: int) -> str:
    query = {key: value for key, value in request.GET.items() if key != "page" and value}
    query["page"] = str(number)
    return "?" + urlencode(query)


@login_required
@require_safe
def entry_list(request: HttpRequest) -> HttpResponse:
    """The entries of the officer's area, newest first, 50 a page, with filters."""
    scope = user_scope(request.user, roles=OFFICER_ROLES)
    form = AuditFilterForm(request.GET or None)
    page = None
    if not scope.is_empty and (form.is_bound is False or form.is_valid()):
        filters = form.cleaned_data if form.is_bound else {}
        entries = audit_entry_list(
            user=request.user,
            action=filters.get("action") or None,
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
            reveals_only=bool(filters.get("reveals_only")),
        )
        page = _page(entries, _page_number(request.GET.get("page")))
    context = {
        "form": form,
        "page": page,
        "has_scope": not scope.is_empty,
        "is_national": scope.is_national,
        "previous_url": _page_url(request, page.number - 1) if page and page.has_previous else "",
        "next_url": _page_url(request, page.number + 1) if page and page.has_next else "",
    }
    return render(request, "audit/entry_list.html", context)
