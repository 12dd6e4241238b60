"""Pages of the price board: the latest daily statistics, a chart over time comparing
provinces (fed by a JSON endpoint), the report form, and the officers' review of flagged
reports."""

from __future__ import annotations

import datetime
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from nongsan.accounts.models import User
from nongsan.common.paging import page_of
from nongsan.prices import selectors, services
from nongsan.prices.bulk import price_reports_import
from nongsan.prices.forms import BoardForm, PriceFileForm, PriceReportForm
from nongsan.prices.models import PriceKind
from nongsan.prices.permissions import (
    editable_price_reports,
    may_report_prices,
    reporting_commune,
)

CHART_DAYS = 365
FLAGGED_PAGE_SIZE = 50
# The board lists each series' newest day within the last BOARD_DAYS, 100 rows a page.
BOARD_DAYS = 60
BOARD_PAGE_SIZE = 100
REVIEW_DECISIONS = {"confirm": True, "reject": False}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    return user


@require_safe
def board(request: HttpRequest) -> HttpResponse:
    form = BoardForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    kind = data.get("kind") or PriceKind.FARM_GATE
    province = data.get("province")
    produce = data.get("produce")
    statistics = selectors.latest_statistics(
        province=province,
        kind=kind,
        since=timezone.localdate() - datetime.timedelta(days=BOARD_DAYS),
    )
    if produce is not None:
        statistics = statistics.filter(produce_type=produce)
    chart_url = ""
    if produce is not None and province is not None:
        query = request.GET.copy()
        query["kind"] = kind
        chart_url = f"{request.path}du-lieu.json?{query.urlencode()}"
    page = page_of(request, statistics, size=BOARD_PAGE_SIZE)
    return render(
        request,
        "prices/board.html",
        {
            "form": form,
            "statistics": page.rows,
            **page.context(),
            "chart_url": chart_url,
            "may_report": may_report_prices(request.user),
            "may_review": editable_price_reports(request.user).exists(),
        },
    )


@require_safe
def chart_data(request: HttpRequest) -> JsonResponse:
    """The last year of one produce in one province (and one to compare), for the chart."""
    form = BoardForm(request.GET)
    if not form.is_valid() or not form.cleaned_data.get("produce"):
        return JsonResponse({"detail": _("Hãy chọn sản phẩm và tỉnh.")}, status=400)
    data = form.cleaned_data
    provinces = [unit for unit in (data.get("province"), data.get("compare")) if unit is not None]
    if not provinces:
        return JsonResponse({"detail": _("Hãy chọn sản phẩm và tỉnh.")}, status=400)
    today = timezone.localdate()
    return JsonResponse(
        selectors.chart_series(
            produce_type=data["produce"],
            provinces=list(dict.fromkeys(provinces)),
            kind=data.get("kind") or PriceKind.FARM_GATE,
            date_from=today - datetime.timedelta(days=CHART_DAYS),
            date_to=today,
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest) -> HttpResponse:
    if not may_report_prices(request.user):
        raise Http404
    form = PriceReportForm(
        request.POST or None,
        initial={"province": request.GET.get("province", "")} if request.GET else None,
        own_commune=reporting_commune(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.price_report_create(
                user=_user(request),
                produce_type=data["produce"],
                province=data["province"],
                commune=data.get("commune"),
                market_name=data["market_name"],
                kind=data["kind"],
                price_vnd=data["price_vnd"],
                reported_on=data["reported_on"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            if report.status == "flagged":
                messages.warning(
                    request,
                    _(
                        "Đã ghi, nhưng giá này khác xa giá thường gặp nên chưa được tính"
                        " cho tới khi cán bộ xác nhận."
                    ),
                )
            else:
                messages.success(request, _("Đã ghi báo giá."))
            return redirect("prices:board")
    return render(request, "prices/report_form.html", {"form": form})


@login_required
@require_safe
def flagged_list(request: HttpRequest) -> HttpResponse:
    reports = selectors.flagged_report_list(editable_price_reports(request.user))
    page = page_of(request, reports, size=FLAGGED_PAGE_SIZE)
    return render(request, "prices/flagged.html", {"reports": page.rows, **page.context()})


@login_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(editable_price_reports(request.user), pk=pk)
    decision = request.POST.get("decision", "")
    if decision not in REVIEW_DECISIONS:
        return HttpResponseBadRequest(
            _("Quyết định phải là xác nhận (confirm) hoặc loại (reject).")
        )
    try:
        services.price_report_review(
            user=_user(request), report=report, accept=REVIEW_DECISIONS[decision]
        )
    except (ValidationError, PermissionDenied) as error:
        for message in error.messages if isinstance(error, ValidationError) else [str(error)]:
            messages.error(request, message)
    else:
        messages.success(request, _("Đã xem xét báo giá."))
    return redirect("prices:flagged")


@login_required
@require_http_methods(["GET", "POST"])
def report_import(request: HttpRequest) -> HttpResponse:
    """Many prices at once from a spreadsheet: all rows or none."""
    if not may_report_prices(request.user):
        raise Http404
    form = PriceFileForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "upload"
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            result = price_reports_import(
                user=_user(request), path=path, name=upload.name, today=timezone.localdate()
            )
        errors = result.errors
        if not errors:
            messages.success(
                request,
                _("Đã ghi %(created)s báo giá, %(flagged)s chờ cán bộ xác nhận.")
                % {"created": result.created, "flagged": result.flagged},
            )
            return redirect("prices:board")
    return render(request, "prices/import.html", {"form": form, "errors": errors})
