"""Pages of trade: a trader's requests and ranked matches, a grower's requests that suit
their harvest and offers to answer from a phone, and the deal page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from nongsan.accounts.models import User
from nongsan.common.paging import page_of
from nongsan.common.text import fold
from nongsan.geo.models import AdministrativeUnit
from nongsan.trade import selectors, services
from nongsan.trade.forms import BuyRequestForm, OfferForm
from nongsan.trade.permissions import can_answer_for_seller, is_trader

PAGE_SIZE = 20


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required
    return user


def _errors_to(form: Any, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Traders see their requests; sellers the requests suiting their harvests and the
    offers waiting for their answer. Each list pages by PAGE_SIZE with its own parameter;
    nothing is written on a visit."""
    user = _user(request)
    now = timezone.now()
    waiting = page_of(
        request,
        selectors.offers_awaiting_seller(user).filter(expires_at__gt=now),
        size=PAGE_SIZE,
        parameter="offers_page",
        anchor="waiting-heading",
    )
    mine = page_of(
        request,
        selectors.buy_request_list(user, mine=True),
        size=PAGE_SIZE,
        parameter="requests_page",
        anchor="mine-heading",
    )
    deals = page_of(
        request,
        selectors.deal_list(user),
        size=PAGE_SIZE,
        parameter="deals_page",
        anchor="deals-heading",
    )
    return render(
        request,
        "trade/home.html",
        {
            "is_trader": is_trader(user),
            "my_requests": mine.rows,
            "requests_page": mine,
            "suiting": selectors.requests_for_seller(user, limit=5),
            "waiting": waiting.rows,
            "waiting_page": waiting,
            "deals": deals.rows,
            "deals_page": deals,
        },
    )


def _commune(province: AdministrativeUnit, name: str) -> AdministrativeUnit | None:
    folded = fold(name).strip()
    for prefix in ("xa ", "phuong ", "dac khu "):
        folded = folded.removeprefix(prefix)
    communes = AdministrativeUnit.objects.filter(
        level="commune", valid_until__isnull=True, province=province, short_name_folded=folded
    )
    return communes.first() if communes.count() == 1 else None


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not is_trader(user):
        raise PermissionDenied
    form = BuyRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        commune = _commune(data["province"], data["commune_name"])
        if commune is None:
            form.add_error(
                "commune_name", _("Không tìm thấy xã, phường hiện hành này trong tỉnh đã chọn.")
            )
        else:
            try:
                row = services.buy_request_create(
                    buyer=user,
                    produce_types=[data["produce_type"]],
                    alternative_produce_types=[data["alternative"]] if data["alternative"] else [],
                    quantity_min_tonnes=data["quantity_min_tonnes"],
                    quantity_max_tonnes=data["quantity_max_tonnes"],
                    grade=data["grade"],
                    certifications=data["certifications"],
                    delivery_from=data["delivery_from"],
                    delivery_until=data["delivery_until"],
                    delivery_mode=data["delivery_mode"],
                    delivery_address=data["delivery_address"],
                    commune=commune,
                    is_nationwide=data["is_nationwide"],
                    target_provinces=list(data["target_provinces"]),
                    price_max_vnd_per_kg=data["price_max_vnd_per_kg"],
                    payment_terms=data["payment_terms"],
                    note=data["note"],
                )
            except ValidationError as error:
                _errors_to(form, error)
            else:
                messages.success(request, _("Đã đăng yêu cầu thu mua."))
                return redirect("trade:request", pk=row.pk)
    return render(request, "trade/request_create.html", {"form": form})


@login_required
@require_safe
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    row = get_object_or_404(selectors.buy_request_list(user), pk=pk)
    is_buyer = row.buyer_id == user.pk
    now = timezone.now()
    offers = page_of(
        request,
        selectors.offer_list(user).filter(buy_request=row),
        size=PAGE_SIZE,
        parameter="offers_page",
        anchor="offers-heading",
    )
    return render(
        request,
        "trade/request_detail.html",
        {
            "row": row,
            "is_buyer": is_buyer,
            "found": selectors.request_matches_view(row, today=timezone.localdate())
            if is_buyer
            else None,
            "offers": [(offer, offer.status_at(now)) for offer in offers.rows],
            "offers_page": offers,
            "offer_form": OfferForm(),
        },
    )


@login_required
@require_POST
def offer_make(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    row = get_object_or_404(selectors.buy_request_list(user, mine=True), pk=pk)
    form = OfferForm(request.POST)
    if form.is_valid():
        try:
            services.offer_make(
                buyer=user,
                buy_request=row,
                candidate_kind=request.POST.get("candidate_kind", ""),
                candidate_source_id=int(request.POST.get("candidate_source_id") or 0),
                **form.cleaned_data,
            )
        except (ValidationError, ValueError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Đã gửi đề nghị mua cho người bán."))
    else:
        messages.error(request, _("Vui lòng nhập số tấn và giá."))
    return redirect("trade:request", pk=row.pk)


@login_required
@require_POST
def offer_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept, counter or reject: a form per button on the phone page."""
    user = _user(request)
    offer = get_object_or_404(selectors.offer_list(user), pk=pk)
    action = request.POST.get("action")
    try:
        if action == "accept":
            deal = services.offer_accept(user=user, offer=offer)
            messages.success(request, _("Đã đồng ý. Thoả thuận đã được chốt."))
            return redirect("trade:deal", pk=deal.pk)
        if action == "reject":
            services.offer_reject(user=user, offer=offer)
            messages.success(request, _("Đã từ chối đề nghị."))
        elif action == "counter":
            services.offer_counter(
                user=user,
                offer=offer,
                quantity_tonnes=request.POST.get("quantity_tonnes") or offer.quantity_tonnes,
                price_vnd_per_kg=request.POST.get("price_vnd_per_kg", ""),
                message=request.POST.get("message", ""),
            )
            messages.success(request, _("Đã gửi giá đề nghị lại."))
        else:
            messages.error(request, _("Hãy chọn đồng ý, trả giá hoặc từ chối."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    if offer.buy_request.buyer_id == user.pk:
        return redirect("trade:request", pk=offer.buy_request_id)
    return redirect("trade:home")


@login_required
@require_http_methods(["GET", "POST"])
def deal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    deal = get_object_or_404(selectors.deal_list(user), pk=pk)
    contact = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "share":
                services.deal_contact_share(user=user, deal=deal)
                messages.success(request, _("Đã đồng ý cho bên kia xem số điện thoại của bạn."))
            elif action == "order":
                services.deal_order_place(
                    buyer=user,
                    deal=deal,
                    delivery_address=request.POST.get("delivery_address", ""),
                    payment_method=request.POST.get("payment_method", "cod"),
                )
                messages.success(request, _("Đã tạo đơn hàng trên sàn."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except PermissionDenied as error:
            messages.error(request, str(error))
        return redirect("trade:deal", pk=deal.pk)
    deal = get_object_or_404(selectors.deal_list(user), pk=pk)
    if deal.contacts_shared and request.GET.get("contact") == "1":
        contact = services.deal_contact_reveal(user=user, deal=deal)
    is_buyer = deal.buyer_id == user.pk
    shared_by_me = deal.buyer_shares_contact_at if is_buyer else deal.seller_shares_contact_at
    return render(
        request,
        "trade/deal.html",
        {
            "deal": deal,
            "is_buyer": is_buyer,
            "is_seller": can_answer_for_seller(user, deal),
            "shared_by_me": shared_by_me,
            "contact": contact,
        },
    )
