"""Pages for postal staff, phone first: gather a commune's packed orders into one pickup.
Thin: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from nongsan.common.paging import page_of
from nongsan.shipping import consolidation
from nongsan.shipping.forms import TrackingEventForm
from nongsan.shipping.models import Service
from nongsan.shipping.permissions import (
    handled_collection_points,
    handled_orders,
    may_handle_deliveries,
    visible_pickups,
)
from nongsan.shipping.services import tracking_event_add

PAGE_SIZE = 50


@login_required
def pickups_page(request: HttpRequest) -> HttpResponse:
    if not may_handle_deliveries(request.user):
        raise PermissionDenied
    if request.method == "POST":
        point_id = request.POST.get("collection_point") or ""
        point = get_object_or_404(
            handled_collection_points(request.user), pk=int(point_id) if point_id.isdigit() else 0
        )
        ids = [value for value in request.POST.getlist("orders") if value.isdigit()]
        service = request.POST.get("service") or Service.STANDARD
        try:
            pickup = consolidation.pickup_consolidate(
                collection_point=point,
                order_ids=[int(pk) for pk in ids],
                created_by=request.user,
                service=service,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Đã tạo chuyến gom %(count)d đơn.") % {"count": pickup.shares.count()},
            )
        return redirect("shipping:pickups")
    recent = page_of(
        request,
        visible_pickups(request.user)
        .select_related("collection_point", "destination_province", "carrier")
        .prefetch_related("shares__order")
        .order_by("-created_at", "-pk"),
        size=20,
    )
    return render(
        request,
        "shipping/pickups.html",
        {
            "groups": consolidation.pickup_groups(request.user),
            "pickups": recent.rows,
            "page": recent,
            "services": Service.choices,
        },
    )


@login_required
def deliveries_page(request: HttpRequest) -> HttpResponse:
    """Postal staff's list of parcels on their way from or to their postal area, found by
    order reference, a page at a time."""
    if not may_handle_deliveries(request.user):
        raise PermissionDenied
    reference = (request.GET.get("ma") or "").strip().upper()[:16]
    orders = handled_orders(request.user)
    if reference:
        orders = orders.filter(reference__startswith=reference)
    page = page_of(
        request,
        orders.select_related("delivery_commune", "household", "cooperative").order_by(
            "status_changed_at", "pk"
        ),
        size=PAGE_SIZE,
    )
    return render(
        request,
        "shipping/deliveries.html",
        {"orders": page.rows, "page": page, "reference": reference},
    )


@login_required
def delivery_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One parcel on a phone: what happened to it, and a form to record the next event."""
    if not may_handle_deliveries(request.user):
        raise PermissionDenied
    order = get_object_or_404(handled_orders(request.user).select_related("checkout"), pk=pk)
    form = TrackingEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tracking_event_add(
                order=order,
                recorded_by=request.user,
                kind=form.cleaned_data["kind"],
                location=form.cleaned_data["location"],
                reason=form.cleaned_data["reason"],
                description=form.cleaned_data["description"],
            )
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            form.add_error(None, text)
        else:
            messages.success(request, _("Đã ghi hành trình."))
            return redirect("shipping:delivery", pk=pk)
    order.refresh_from_db()
    return render(
        request,
        "shipping/delivery.html",
        {"order": order, "form": form, "events": order.tracking_events.all()},
        status=400 if form.errors else 200,
    )
