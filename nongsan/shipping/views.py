"""Pages for postal staff, phone first: gather a commune's packed orders into one pickup.
Thin: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from nongsan.shipping import consolidation
from nongsan.shipping.models import CollectionPoint, ConsolidatedPickup, Service


@login_required
def pickups_page(request: HttpRequest) -> HttpResponse:
    if not consolidation._may_handle(request.user):
        raise PermissionDenied
    if request.method == "POST":
        point = get_object_or_404(CollectionPoint, pk=request.POST.get("collection_point") or 0)
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
    recent = (
        ConsolidatedPickup.objects.select_related(
            "collection_point", "destination_province", "carrier"
        )
        .prefetch_related("shares__order")
        .order_by("-created_at", "-pk")[:20]
    )
    return render(
        request,
        "shipping/pickups.html",
        {
            "groups": consolidation.pickup_groups(request.user),
            "pickups": recent,
            "services": Service.choices,
        },
    )
