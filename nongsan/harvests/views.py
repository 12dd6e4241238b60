"""Pages of the harvest calendar: the month grid for a province or the country, what is in
season now and in the coming four weeks, and the officers' correction form."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from nongsan.accounts.models import User
from nongsan.catalog.search import listing_search
from nongsan.common.formatting import format_date, format_quantity
from nongsan.common.paging import page_of
from nongsan.harvests import selectors, services
from nongsan.harvests.forms import (
    AnnouncementForm,
    CalendarEntryForm,
    CampaignForm,
    PlaceForm,
    PlantingForm,
    TransitionForm,
)
from nongsan.harvests.gluts import campaign_create, campaign_listed_tonnes
from nongsan.harvests.models import Campaign, GlutKind
from nongsan.harvests.permissions import (
    announcing_households,
    campaign_province_ids,
    editable_announcements,
    editable_calendar_entries,
    visible_glut_alerts,
)

MONTHS = list(range(1, 13))
PAGE_SIZE = 50
CAMPAIGN_REFRESH_SECONDS = 60


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    return user


def _refused(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal shown on the form: on its field when the form has it."""
    for field, errors in error.message_dict.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


@require_safe
def calendar_page(request: HttpRequest) -> HttpResponse:
    form = PlaceForm(request.GET or None)
    province = form.cleaned_data["province"] if form.is_valid() else None
    today = timezone.localdate()
    editable_ids = set(editable_calendar_entries(request.user).values_list("pk", flat=True))
    return render(
        request,
        "harvests/calendar.html",
        {
            "form": form,
            "province": province,
            "months": MONTHS,
            "current_month": today.month,
            "grid": selectors.calendar_grid(province=province),
            "in_season": selectors.in_season(province=province, today=today),
            "coming": selectors.in_season(province=province, today=today, weeks_ahead=4),
            "editable_ids": editable_ids,
            "can_edit": bool(editable_ids),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def calendar_entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(
        editable_calendar_entries(request.user).select_related("produce_type", "province"), pk=pk
    )
    form = CalendarEntryForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.calendar_entry_update(
                user=_user(request),
                entry=entry,
                **{name: form.cleaned_data[name] for name in CalendarEntryForm.Meta.fields},
            )
        except ValidationError as error:
            _refused(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã lưu mục lịch mùa vụ."))
            return redirect("harvests:calendar")
    return render(request, "harvests/entry_edit.html", {"entry": entry, "form": form})


@login_required
@require_safe
def glut_alert_list(request: HttpRequest) -> HttpResponse:
    """Officers' view of the glut warnings of their area, soonest week first."""
    today = timezone.localdate()
    alerts = visible_glut_alerts(request.user).filter(
        week_start__gte=today - datetime.timedelta(days=today.weekday())
    )
    allowed = campaign_province_ids(request.user)
    page = page_of(
        request, alerts.prefetch_related("campaigns").order_by("week_start", "pk"), size=PAGE_SIZE
    )
    rows = [(alert, allowed is None or alert.province_id in allowed) for alert in page.rows]
    return render(request, "harvests/glut_alerts.html", {"rows": rows, **page.context()})


def _campaign_progress(campaign: Campaign, *, today: datetime.date) -> dict[str, object]:
    """What the progress area shows: tonnes sold against the target; it refreshes itself
    while the campaign runs."""
    sold = selectors.campaign_sold_tonnes(campaign)
    return {
        "campaign": campaign,
        "sold_tonnes": sold,
        "sold_percent": min(100, int(sold * 100 / campaign.target_tonnes)),
        "running": campaign.starts_on <= today <= campaign.ends_on,
        "refresh_seconds": CAMPAIGN_REFRESH_SECONDS,
    }


@require_safe
def campaign_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A rescue campaign: its call, what has been sold against the target, what is on sale,
    and the listings."""
    campaign = get_object_or_404(selectors.campaign_list(), pk=pk)
    today = timezone.localdate()
    listed = campaign_listed_tonnes(campaign, today=today)
    result = listing_search(
        filters={"produce_type": campaign.produce_type_id, "province": campaign.province_id},
        page_size=20,
        today=today,
    )
    return render(
        request,
        "harvests/campaign.html",
        {
            "listed_tonnes": listed,
            "percent": min(100, int(listed * 100 / campaign.target_tonnes)),
            "result": result,
            **_campaign_progress(campaign, today=today),
        },
    )


@require_safe
def campaign_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The campaign's progress area alone, for htmx to refresh every minute."""
    campaign = get_object_or_404(selectors.campaign_list(), pk=pk)
    return render(
        request,
        "harvests/_campaign_progress.html",
        _campaign_progress(campaign, today=timezone.localdate()),
    )


@login_required
@require_safe
def my_harvests(request: HttpRequest) -> HttpResponse:
    """The announcements the person may move on, soonest harvest first, a page at a time."""
    announcements = editable_announcements(request.user).select_related(
        "produce_type", "household", "commune"
    )
    page = page_of(request, announcements.order_by("-harvest_from", "-pk"), size=PAGE_SIZE)
    return render(
        request,
        "harvests/my_harvests.html",
        {
            "page": page,
            **page.context(),
            "can_announce": announcing_households(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def planting_new(request: HttpRequest) -> HttpResponse:
    households = announcing_households(request.user)
    form = PlantingForm(request.POST or None, households=households)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            planting = services.planting_record(
                user=_user(request),
                household=data["household"],
                produce_type=data["produce_type"],
                planted_on=data["planted_on"],
                area_ha=data["area_ha"],
                tree_count=data["tree_count"],
                expected_tonnes=data["expected_tonnes"],
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            announcement = planting.announcement
            messages.success(
                request,
                _("Đã ghi vụ trồng: dự kiến thu %(tonnes)s tấn từ %(start)s đến %(end)s.")
                % {
                    "tonnes": format_quantity(announcement.tonnes),
                    "start": format_date(announcement.harvest_from),
                    "end": format_date(announcement.harvest_until),
                },
            )
            return redirect("harvests:announcement", pk=announcement.pk)
    return render(
        request,
        "harvests/entry_form.html",
        {"form": form, "title": _("Ghi vụ trồng"), "has_households": households.exists()},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def announcement_new(request: HttpRequest) -> HttpResponse:
    households = announcing_households(request.user)
    form = AnnouncementForm(request.POST or None, households=households)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            announcement = services.harvest_announce(
                user=_user(request),
                household=data["household"],
                produce_type=data["produce_type"],
                harvest_from=data["harvest_from"],
                harvest_until=data["harvest_until"],
                tonnes=data["tonnes"],
                note=data["note"],
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã báo thu hoạch."))
            return redirect("harvests:announcement", pk=announcement.pk)
    return render(
        request,
        "harvests/entry_form.html",
        {"form": form, "title": _("Báo thu hoạch"), "has_households": households.exists()},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def announcement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An announcement and the form that moves it on (the fields follow the chosen status)."""
    announcement = get_object_or_404(
        editable_announcements(request.user).select_related("produce_type", "household", "commune"),
        pk=pk,
    )
    data = request.POST if request.method == "POST" else None
    form = TransitionForm(data, announcement=announcement, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            services.announcement_transition(
                user=_user(request),
                announcement=announcement,
                status=values["status"],
                harvest_from=values["harvest_from"],
                harvest_until=values["harvest_until"],
                tonnes=values["tonnes"],
                loss_reason=values["loss_reason"],
                note=values["note"] or None,
            )
        except ValidationError as error:
            announcement.refresh_from_db()
            _refused(form, error)
        else:
            messages.success(request, _("Đã cập nhật báo thu hoạch."))
            return redirect("harvests:announcement", pk=announcement.pk)
    chosen = form["status"].value() or ""
    return render(
        request,
        "harvests/announcement.html",
        {"announcement": announcement, "form": form, "chosen": chosen},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_from_alert(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a rescue campaign from a glut alert, its produce, province and tonnes filled in."""
    alert = get_object_or_404(visible_glut_alerts(request.user), pk=pk)
    allowed = campaign_province_ids(request.user)
    if allowed is not None and alert.province_id not in allowed:
        raise PermissionDenied(_("Bạn không được mở chiến dịch ở tỉnh này."))
    excess = None
    if alert.kind == GlutKind.SUPPLY and alert.expected_tonnes and alert.demand_tonnes is not None:
        excess = max(alert.expected_tonnes - alert.demand_tonnes, alert.expected_tonnes / 10)
    initial = {
        "title": _("Giải cứu %(produce)s %(province)s")
        % {"produce": alert.produce_type.name_vi.lower(), "province": alert.province.name},
        "target_tonnes": f"{excess.quantize(selectors.TONNE).normalize():f}" if excess else "",
        "starts_on": alert.week_start,
        "ends_on": alert.week_start + datetime.timedelta(days=13),
    }
    form = CampaignForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaign_create(
                user=_user(request),
                title=data["title"],
                produce_type=alert.produce_type,
                province=alert.province,
                target_tonnes=data["target_tonnes"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                description=data["description"],
                glut_alert=alert,
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Đã mở chiến dịch giải cứu."))
            return redirect("harvests:campaign", pk=campaign.pk)
    return render(
        request,
        "harvests/campaign_form.html",
        {"alert": alert, "form": form},
        status=400 if form.errors else 200,
    )
