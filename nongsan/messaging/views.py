"""The outbox: what the platform sent, for staff (and developers reading a local code)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from nongsan.messaging import selectors
from nongsan.messaging.forms import OutboxFilterForm
from nongsan.messaging.permissions import can_read_outbox

MESSAGES_PER_PAGE = 50


def staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the login page; signed-in people who are not staff get 403."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_read_outbox(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


@never_cache
@staff_only
def outbox(request: HttpRequest) -> HttpResponse:
    """Messages newest first, 50 a page, filtered by recipient and purpose."""
    form = OutboxFilterForm(request.GET)
    if not form.is_valid():
        context = {"form": form, "page": None}
        return render(request, "messaging/outbox.html", context, status=400)
    messages = selectors.message_list(
        recipient=form.cleaned_data["phone"], purpose=form.cleaned_data["purpose"]
    )
    page = Paginator(messages, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "messaging/outbox.html", {"form": form, "page": page})
