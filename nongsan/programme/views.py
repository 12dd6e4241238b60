"""Dashboards: the nation (34 provinces), a province (its communes), a commune; a map, charts
over time, the funnel and a comparison of provinces, all read from the roll-up. And the two
forms behind them: targets, and the figures partner marketplaces report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from nongsan.common.paging import page_of
from nongsan.geo.models import AdministrativeUnit, UnitLevel
from nongsan.onboarding.models import Channel
from nongsan.programme import selectors, services
from nongsan.programme.forms import PartnerFigureForm, TargetForm
from nongsan.programme.mapdata import MAP_ATTRIBUTION
from nongsan.programme.models import Geography, Indicator
from nongsan.programme.periods import Period, PeriodKind, add_months, period_of, period_parse
from nongsan.programme.permissions import (
    can_view_unit,
    dashboard_scope,
    may_report_partner_figures,
    target_units,
    visible_partner_figures,
    visible_targets,
)

DEFAULT_INDICATOR = "households_first_sale"
CHART_MONTHS = 12
MAX_COMPARED = 6


def _choices(request: HttpRequest) -> tuple[Period, Indicator, str, list[str]]:
    """Period, headline indicator and geography from the query, with errors to show.

    The active indicators are read once and kept on the request for the page's other reads.
    """
    errors: list[str] = []
    period = period_of(PeriodKind.QUARTER, timezone.localdate())
    if request.GET.get("period"):
        try:
            period = period_parse(request.GET["period"])
        except ValidationError as error:
            errors.extend(error.messages)
    every = list(selectors.indicator_list())
    request.programme_indicators = every  # type: ignore[attr-defined]
    indicators = {indicator.code: indicator for indicator in every}
    code = request.GET.get("indicator") or DEFAULT_INDICATOR
    if code not in indicators:
        errors.append(_("Không có chỉ tiêu với mã này."))
        code = DEFAULT_INDICATOR
    geography = request.GET.get("geography") or Geography.CURRENT
    if geography not in Geography.values:
        errors.append(_("Địa giới phải là current hoặc legacy."))
        geography = Geography.CURRENT
    return period, indicators[code], geography, errors


def _channels_of(request: HttpRequest) -> list[Channel]:
    """The active channels, read once per request."""
    if not hasattr(request, "programme_channels"):
        request.programme_channels = list(  # type: ignore[attr-defined]
            Channel.objects.filter(is_active=True).order_by("position", "code")
        )
    return request.programme_channels  # type: ignore[attr-defined]


def _query(request: HttpRequest, **changes: str) -> str:
    query = request.GET.copy()
    for key, value in changes.items():
        query[key] = value
    return "?" + query.urlencode()


def _unit(code: str, level: str, geography: str) -> AdministrativeUnit:
    try:
        unit = selectors.unit_from_code(code, geography)
    except ValidationError:
        raise Http404 from None
    if unit is None or unit.level != level:
        raise Http404
    return unit


def _household_links(unit: AdministrativeUnit, figures: list[selectors.Figure]) -> dict[str, str]:
    """For a current commune: the registry filtered to the households behind each count."""
    base = reverse("producers:household-list")
    platform = Channel.objects.filter(is_this_platform=True).values_list("code", flat=True).first()
    stage_of = {
        "households_listed": "first_listing",
        "households_first_sale": "first_sale",
        "active_sellers": "active_seller",
    }
    links: dict[str, str] = {}
    for figure in figures:
        query: dict[str, str] = {"commune": unit.code}
        code = figure.indicator.code
        if figure.source != "platform":
            continue
        if code == "households_registered":
            pass
        elif code == "households_trained":
            query["trained"] = "yes"
        elif code in stage_of and platform:
            query.update(channel=platform, stage=stage_of[code], stage_match="at_least")
        elif code == "households_with_account" and figure.channel is not None:
            query.update(
                channel=figure.channel.code, stage="account_created", stage_match="at_least"
            )
        else:
            continue
        links[figure.code] = f"{base}?{urlencode(query)}"
    return links


def _context(
    request: HttpRequest,
    *,
    unit: AdministrativeUnit | None,
    period: Period,
    indicator: Indicator,
    geography: str,
    errors: list[str],
    figures: list[selectors.Figure] | None = None,
) -> dict[str, Any]:
    span = selectors.span_of(period)
    every = request.programme_indicators  # type: ignore[attr-defined]
    if figures is None:
        figures = selectors.unit_figure_list(
            unit=unit,
            span=span,
            geography=geography,
            indicators=every,
            channels=_channels_of(request),
        )
    headline = next(
        (f for f in figures if f.indicator.pk == indicator.pk and f.source == "platform"), None
    )
    funnel = selectors.funnel_steps(figures)
    months = [add_months(period.last_month, -offset) for offset in range(CHART_MONTHS - 1, -1, -1)]
    chart_query = {"indicator": indicator.code, "geography": geography, "period": period.key}
    if unit is not None:
        chart_query["unit"] = unit.code
    return {
        "unit": unit,
        "period": period,
        "previous_period": period.previous(),
        "indicator": indicator,
        "indicator_label": _(indicator.name),
        "indicators": every,
        "geography": geography,
        "is_legacy": geography == Geography.LEGACY,
        "errors": errors,
        "figures": figures,
        "headline": headline,
        "funnel": funnel,
        "funnel_top": funnel[0].value if funnel and funnel[0].value else 0,
        "run": selectors.freshness(),
        "chart_url": reverse("programme:series") + "?" + urlencode(chart_query),
        "chart_months": months,
        "period_choices": [period.previous(n) for n in range(0, 4)],
    }


def _dashboard_figures(
    request: HttpRequest,
    unit: AdministrativeUnit | None,
    period: Period,
    indicator: Indicator,
    geography: str,
) -> tuple[list[selectors.Figure], list[selectors.UnitRow]]:
    """The unit's figures and its provinces' or communes' rows, read together."""
    return selectors.dashboard_figures(
        parent=unit,
        span=selectors.span_of(period),
        geography=geography,
        indicators=request.programme_indicators,  # type: ignore[attr-defined]
        row_indicators=[indicator],
        channels=_channels_of(request),
    )


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    """The nation for the ministry; otherwise straight to the person's province or commune."""
    scope = dashboard_scope(request.user)
    if not scope.is_national:
        if len(scope.province_ids) == 1 and not scope.commune_ids:
            unit = AdministrativeUnit.objects.get(pk=next(iter(scope.province_ids)))
            return redirect("programme:province", code=unit.code)
        if len(scope.commune_ids) == 1 and not scope.province_ids:
            unit = AdministrativeUnit.objects.get(pk=next(iter(scope.commune_ids)))
            return redirect("programme:commune", code=unit.code)
        if scope.is_empty:
            return render(request, "programme/no_access.html", status=403)
        raise PermissionDenied
    period, indicator, geography, errors = _choices(request)
    figures, rows = _dashboard_figures(request, None, period, indicator, geography)
    context = _context(
        request,
        unit=None,
        period=period,
        indicator=indicator,
        geography=geography,
        errors=errors,
        figures=figures,
    )
    context.update(
        rows=selectors.rows_by_progress(rows, indicator.code),
        child_url="programme:province",
        map_url=reverse("programme:map-data") + _query(request),
        map_attribution=MAP_ATTRIBUTION,
        compare_url=reverse("programme:compare"),
    )
    return render(request, "programme/dashboard.html", context)


@login_required
@require_safe
def province(request: HttpRequest, code: str) -> HttpResponse:
    period, indicator, geography, errors = _choices(request)
    unit = _unit(code, UnitLevel.PROVINCE, geography)
    if not can_view_unit(request.user, unit):
        raise Http404
    figures, rows = _dashboard_figures(request, unit, period, indicator, geography)
    context = _context(
        request,
        unit=unit,
        period=period,
        indicator=indicator,
        geography=geography,
        errors=errors,
        figures=figures,
    )
    context.update(
        rows=selectors.rows_by_progress(rows, indicator.code),
        child_url="programme:commune",
        may_see_nation=can_view_unit(request.user, None),
    )
    return render(request, "programme/dashboard.html", context)


@login_required
@require_safe
def commune(request: HttpRequest, code: str) -> HttpResponse:
    period, indicator, geography, errors = _choices(request)
    unit = _unit(code, UnitLevel.COMMUNE, geography)
    if not can_view_unit(request.user, unit):
        raise Http404
    context = _context(
        request, unit=unit, period=period, indicator=indicator, geography=geography, errors=errors
    )
    context["links"] = (
        _household_links(unit, context["figures"]) if geography == Geography.CURRENT else {}
    )
    context["may_see_nation"] = can_view_unit(request.user, None)
    return render(request, "programme/dashboard.html", context)


@login_required
@require_safe
def map_data(request: HttpRequest) -> JsonResponse:
    """The headline indicator of each current province, for the choropleth."""
    if not can_view_unit(request.user, None):
        raise Http404
    period, indicator, _geography, _errors = _choices(request)
    rows = selectors.unit_rows(
        parent=None,
        span=selectors.span_of(period),
        geography=Geography.CURRENT,
        indicators=[indicator],
    )
    query = urlencode({"period": period.key, "indicator": indicator.code})
    provinces = {}
    for row in rows:
        figure = row.figure(indicator.code) or row.figures[0]
        provinces[row.unit.code] = {
            "name": row.unit.name,
            "value": figure.value,
            "text": _figure_text(figure),
            "progress": figure.progress,
            "band": figure.band,
            "url": reverse("programme:province", args=[row.unit.code]) + "?" + query,
        }
    return JsonResponse(
        {"indicator": _(indicator.name), "period": period.label, "provinces": provinces}
    )


def _figure_text(figure: selectors.Figure) -> str:
    from nongsan.programme.templatetags.programme_format import figure_value, progress_percent

    text = figure_value(figure)
    if figure.progress is not None:
        text = f"{text} ({progress_percent(figure)})"
    return text


@login_required
@require_safe
def series(request: HttpRequest) -> JsonResponse:
    """The headline indicator month by month (12 months to the period's end), for the chart."""
    period, indicator, geography, _errors = _choices(request)
    unit = None
    if request.GET.get("unit"):
        level = UnitLevel.PROVINCE if len(request.GET["unit"]) == 2 else UnitLevel.COMMUNE  # noqa: PLR2004
        unit = _unit(request.GET["unit"], level, geography)
    if not can_view_unit(request.user, unit):
        raise Http404
    months = [add_months(period.last_month, -offset) for offset in range(CHART_MONTHS - 1, -1, -1)]
    values = selectors.series(unit=unit, indicator=indicator, months=months, geography=geography)
    return JsonResponse(
        {
            "label": _(indicator.name),
            "months": [f"{month:%m/%Y}" for month in months],
            "values": values,
        }
    )


@login_required
@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    """Several provinces side by side on every indicator (the ministry)."""
    if not can_view_unit(request.user, None):
        raise Http404
    period, indicator, geography, errors = _choices(request)
    codes = [code for code in request.GET.getlist("province") if code][:MAX_COMPARED]
    units = list(
        AdministrativeUnit.objects.current()
        .filter(level=UnitLevel.PROVINCE, code__in=codes)
        .order_by("code")
    )
    span = selectors.span_of(period)
    rows = selectors.unit_rows(
        parent=None,
        span=span,
        indicators=request.programme_indicators,  # type: ignore[attr-defined]
    )
    by_code = {row.unit.code: row for row in rows}
    chosen = [by_code[unit.code] for unit in units if unit.code in by_code]
    table = [
        {
            "figure": figure,
            "cells": [row.figure(figure.code) for row in chosen],
        }
        for figure in (chosen[0].figures if chosen else [])
    ]
    return render(
        request,
        "programme/compare.html",
        {
            "period": period,
            "errors": errors,
            "provinces": [row.unit for row in rows],
            "chosen": chosen,
            "chosen_codes": {unit.code for unit in units},
            "table": table,
            "period_choices": [period.previous(n) for n in range(0, 4)],
            "run": selectors.freshness(),
        },
    )


PAGE_SIZE = 50


def _refused(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal shown on the form: on its field when the form has it."""
    for name, messages_ in error.message_dict.items():
        for message in messages_:
            form.add_error(name if name in form.fields else None, message)


def _active_channels() -> list[Channel]:
    return list(Channel.objects.filter(is_active=True).order_by("position", "code"))


def _entry_page(
    request: HttpRequest,
    *,
    form: forms.Form | None,
    save: Callable[[dict[str, Any]], object],
    saved: str,
    again: str,
    rows: QuerySet[Any],
    template: str,
) -> HttpResponse:
    """A list of the person's entries, a page at a time, under the form that adds one: a
    valid POST is saved through ``save`` (a service) and redirected to ``again``; a refusal
    stays on the form with status 400 and nothing written; no form means no right to add."""
    status = 200
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except ValidationError as error:
                _refused(form, error)
            except PermissionDenied as error:
                form.add_error("unit", str(error))
            else:
                messages.success(request, saved)
                return redirect(again)
        status = 400
    page = page_of(request, rows, size=PAGE_SIZE)
    return render(
        request, template, {"form": form, "rows": page.rows, **page.context()}, status=status
    )


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest) -> HttpResponse:
    """Targets of the person's area, a page at a time, and the form to set one: the
    ministry for provinces, a province officer for the communes of their province."""
    if dashboard_scope(request.user).is_empty:
        return render(request, "programme/no_access.html", status=403)
    units = list(target_units(request.user).order_by("level", "code"))
    form = None
    if units:
        form = TargetForm(
            _posted(request),
            units=units,
            indicators=list(selectors.indicator_list()),
            channels=_active_channels(),
        )
    return _entry_page(
        request,
        form=form,
        save=lambda data: services.target_set(user=request.user, **data),
        saved=_("Đã lưu chỉ tiêu."),
        again="programme:targets",
        rows=visible_targets(request.user).order_by(
            "-period_start", "period_kind", "unit__code", "indicator__position", "pk"
        ),
        template="programme/targets.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def partner_figures(request: HttpRequest) -> HttpResponse:
    """Figures partner marketplaces reported, kept apart from those the platform measures,
    and the form to enter one (the ministry anywhere, a province officer in their province)."""
    if dashboard_scope(request.user).is_empty:
        return render(request, "programme/no_access.html", status=403)
    form = None
    if may_report_partner_figures(request.user):
        form = PartnerFigureForm(
            _posted(request),
            indicators=list(selectors.indicator_list()),
            channels=_active_channels(),
        )
    return _entry_page(
        request,
        form=form,
        save=lambda data: services.partner_figure_record(user=request.user, **data),
        saved=_("Đã lưu số liệu đối tác."),
        again="programme:partner-figures",
        rows=visible_partner_figures(request.user).order_by("-month", "unit__code", "pk"),
        template="programme/partner_figures.html",
    )
