"""The reconciliation page: bank notices that credited nothing, for staff to settle."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from nongsan.payments.permissions import visible_bank_notifications
from nongsan.payments.selectors import notifications_to_reconcile
from nongsan.producers.permissions import is_staff_administrator

PAGE_SIZE = 100


@login_required
@require_safe
def reconciliation(request: HttpRequest) -> HttpResponse:
    if not is_staff_administrator(request.user):
        raise PermissionDenied
    notices = notifications_to_reconcile().filter(
        pk__in=visible_bank_notifications(request.user).values("pk")
    )[:PAGE_SIZE]
    return render(request, "payments/reconciliation.html", {"notices": notices})
