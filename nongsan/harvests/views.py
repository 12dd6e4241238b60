"""Pages of the harvest calendar: the month grid for a province or the country, what is in
season now and in the coming four weeks, and the officers' correction form."""

from __future__ import annotations

import datetime

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
from nongsan.harvests import selectors, services
from nongsan.harvests.forms import CalendarEntryForm, PlaceForm
from nongsan.harvests.gluts import campaign_listed_tonnes
from nongsan.harvests.models import Campaign
from nongsan.harvests.permissions import editable_calendar_entries, visible_glut_alerts

MONTHS = list(range(1, 13))


@require_safe
def calendar_page(request: HttpRequest) -> HttpResponse:
    form = PlaceForm(request.GET or None)
    province = form.cleaned_data["province"] if form.is_valid() else None
    today = timezone.localdate()
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
            "can_edit": editable_calendar_entries(request.user).exists(),
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
        user = request.user
        assert isinstance(user, User)  # noqa: S101 - login_required
        try:
            services.calendar_entry_update(
                user=user,
                entry=entry,
                **{name: form.cleaned_data[name] for name in CalendarEntryForm.Meta.fields},
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
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
    return render(
        request, "harvests/glut_alerts.html", {"alerts": alerts.order_by("week_start", "pk")[:200]}
    )


@require_safe
def campaign_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A rescue campaign: its call, its target against what is on sale, and the listings."""
    campaign = get_object_or_404(Campaign.objects.select_related("produce_type", "province"), pk=pk)
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
            "campaign": campaign,
            "listed_tonnes": listed,
            "percent": min(100, int(listed * 100 / campaign.target_tonnes)),
            "result": result,
        },
    )
