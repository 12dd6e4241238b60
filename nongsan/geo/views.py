"""Public pages of the administrative geography: provinces with counts, and one unit's page.

Every page can be read as of a day (``?valid_on=YYYY-MM-DD``), because codes are reused across
the 2025 reform; links between units carry a day on which the target was valid, so the page of
a legacy commune leads to legacy districts and provinces, and its successors to current units.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from nongsan.geo import selectors
from nongsan.geo.filters import InvalidQuery, parse_day, parse_geography, parse_level, parse_search
from nongsan.geo.models import REFORM_DATE, AdministrativeUnit

CHILDREN_PER_PAGE = 50
CHILDREN_TARGET = "unit-children"


@dataclass(frozen=True)
class UnitLink:
    """A unit with the address of its page on a day it was valid."""

    unit: AdministrativeUnit
    url: str


def unit_url(unit: AdministrativeUnit, requested_day: datetime.date | None = None) -> str:
    """The page of ``unit``, dated so that a reused code reaches this unit and not another.

    Stays on ``requested_day`` when the unit was valid then; a current unit otherwise needs no
    date; a unit that has ended is shown on its last day.
    """
    url = reverse("geo:unit-detail", args=[unit.code])
    if requested_day is not None and unit.is_valid_on(requested_day):
        day: datetime.date | None = requested_day
    elif unit.is_valid_on(selectors.vietnam_today()):
        day = None
    else:
        day = unit.valid_until or unit.valid_from
    query = {"valid_on": day.isoformat()} if day else {}
    return f"{url}?{urlencode(query)}" if query else url


def _links(units: list[AdministrativeUnit], day: datetime.date | None) -> list[UnitLink]:
    return [UnitLink(unit, unit_url(unit, day)) for unit in units]


def _wants_children_only(request: HttpRequest) -> bool:
    """An htmx search or page turn of the children list, not a history restore of the page."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-Target") == CHILDREN_TARGET
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def _refuse(request: HttpRequest, message: str, status: int, **context: Any) -> HttpResponse:
    """An error page that tells the visitor, in Vietnamese, what was wrong and where to go."""
    return render(request, "geo/error.html", {"message": message, **context}, status=status)


def province_list(request: HttpRequest) -> HttpResponse:
    """Provinces with their communes, wards and special zones counted, today or on a day."""
    try:
        requested_day = parse_day(request.GET.get("valid_on")) or parse_geography(
            request.GET.get("geography")
        )
    except InvalidQuery as error:
        return _refuse(request, error.message, 400)
    day = requested_day or selectors.vietnam_today()
    rows = selectors.province_list_with_counts(day, user=request.user)
    context = {
        "rows": [(row, unit_url(row.province, requested_day)) for row in rows],
        "totals": {
            "provinces": len(rows),
            "districts": sum(row.districts for row in rows),
            "rural_communes": sum(row.rural_communes for row in rows),
            "wards": sum(row.wards for row in rows),
            "townships": sum(row.townships for row in rows),
            "special_zones": sum(row.special_zones for row in rows),
            "communes": sum(row.communes for row in rows),
        },
        "day": day,
        "requested_day": requested_day,
        "is_legacy": day < REFORM_DATE,
        "reform_date": REFORM_DATE,
    }
    return render(request, "geo/province_list.html", context)


def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One unit: what it is, what lies under it (searchable), where it came from and went."""
    try:
        requested_day = parse_day(request.GET.get("valid_on"))
        level = parse_level(request.GET.get("level"))
        q = parse_search(request.GET.get("q"))
    except InvalidQuery as error:
        return _refuse(request, error.message, 400)
    day = requested_day or selectors.vietnam_today()
    try:
        unit = selectors.unit_get(code=code, level=level, valid_on=day, user=request.user)
    except AdministrativeUnit.DoesNotExist as error:
        versions = selectors.unit_code_versions(code=code, level=level, user=request.user)
        return _refuse(request, str(error), 404, versions=_links(versions, None))

    children_level = selectors.unit_children_level(unit)
    children_page = None
    if children_level is not None:
        children = selectors.unit_list(
            q=q, level=children_level, valid_on=day, parent=unit, user=request.user
        )
        children_page = Paginator(children, CHILDREN_PER_PAGE).get_page(request.GET.get("page"))
    search_url = unit_url(unit, requested_day)
    page_query = urlencode({"q": q or "", "page": ""})
    children_context = {
        "unit": unit,
        "children_page": children_page,
        "children": _links(list(children_page or []), requested_day),
        "children_level": children_level,
        "q": q or "",
        "form_url": reverse("geo:unit-detail", args=[unit.code]),
        "page_url": f"{search_url}{'&' if '?' in search_url else '?'}{page_query}",
        "requested_day": requested_day,
    }
    if _wants_children_only(request):
        response = render(request, "geo/_unit_children.html", children_context)
        patch_vary_headers(response, ["HX-Request"])
        return response

    history = selectors.unit_history(unit)
    other_versions = [
        version
        for version in selectors.unit_code_versions(
            code=unit.code, level=unit.level, user=request.user
        )
        if version.pk != unit.pk
    ]
    context = {
        **children_context,
        "day": day,
        "name_on_day": history.name_on(day),
        "province_list_url": (
            f"{reverse('geo:province-list')}?{urlencode({'valid_on': day.isoformat()})}"
            if requested_day
            else reverse("geo:province-list")
        ),
        "parent": unit_url(unit.parent, requested_day) if unit.parent else None,
        "province": (
            unit_url(unit.province, requested_day)
            if unit.province and unit.province_id != unit.parent_id
            else None
        ),
        "predecessors": [
            (succession, unit_url(succession.predecessor, requested_day))
            for succession in history.predecessors
        ],
        "successors": [
            (succession, unit_url(succession.successor, requested_day))
            for succession in history.successors
        ],
        "names": history.names,
        "legacy_districts": _links(history.legacy_districts, requested_day),
        "other_versions": _links(other_versions, None),
        "title": _("%(name)s (mã %(code)s)") % {"name": unit.name, "code": unit.code},
    }
    response = render(request, "geo/unit_detail.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
