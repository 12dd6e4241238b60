"""Pages of the orders: the cart, checkout, a person's orders and one order with its
timeline (and, for VietQR, the payment QR). Thin: parse, call one service or selector."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from nongsan.catalog.models import Listing
from nongsan.catalog.permissions import public_listings
from nongsan.common.paging import page_of
from nongsan.geo.address import resolve_address
from nongsan.geo.models import AdministrativeUnit
from nongsan.orders import cart, reviews, selectors, services
from nongsan.orders.forms import (
    CartAddForm,
    CheckoutForm,
    OrderStatusForm,
    ReplyForm,
    ReviewForm,
)
from nongsan.orders.models import ActorRole, OrderStatus, PaymentMethod, Review
from nongsan.orders.permissions import editable_orders
from nongsan.payments.selectors import order_payment_payload, transfer_account_for
from nongsan.payments.vietqr import render_svg
from nongsan.shipping.models import Service
from nongsan.shipping.quotes import SellerQuote, checkout_quotes

PAGE_SIZE = 50


@require_safe
def cart_page(request: HttpRequest) -> HttpResponse:
    lines = cart.cart_lines(request)
    sellers: dict[Any, list[cart.CartLine]] = {}
    for line in lines:
        sellers.setdefault(line.listing.seller, []).append(line)
    return render(
        request,
        "orders/cart.html",
        {
            "sellers": sellers,
            "unavailable": cart.cart_unavailable(request),
            "total": sum(line.estimated_vnd for line in lines),
        },
    )


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    form = CartAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Không thêm được vào giỏ."))
        return redirect("orders:cart")
    removing = request.POST.get("remove") is not None
    # A line paused or sold out since it was added can still be taken out of the cart.
    listing = get_object_or_404(
        Listing.objects.all() if removing else public_listings(), pk=form.cleaned_data["listing"]
    )
    quantity: Decimal | None = None
    if not removing:
        try:
            quantity = services.parse_quantity(form.cleaned_data["quantity"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("orders:cart")
    cart.cart_set(request, listing=listing, quantity=quantity)
    if quantity:
        messages.success(request, _("Đã thêm “%(title)s” vào giỏ.") % {"title": listing.title})
    return redirect("orders:cart")


def _commune_choices(address: str) -> tuple[list[AdministrativeUnit], str]:
    resolution = resolve_address(address)
    communes = [candidate.commune for candidate in resolution.candidates]
    return communes, resolution.status


@dataclass
class Attempt:
    """What a checkout POST came to: the checkout placed, or the communes to choose from and
    the shipping quotes to show."""

    checkout: Any = None
    choices: list[AdministrativeUnit] = field(default_factory=list)
    quotes: list[SellerQuote] = field(default_factory=list)
    chosen: dict[str, str] = field(default_factory=dict)


def _shipping_choices(request: HttpRequest) -> dict[tuple[str, int], str]:
    """The per-seller service radios (``shipping_household_12`` = ``express``)."""
    chosen: dict[tuple[str, int], str] = {}
    for name in request.POST:
        value = request.POST.get(name, "")
        parts = name.split("_")
        if (
            len(parts) == 3
            and parts[0] == "shipping"
            and parts[1] in ("household", "cooperative")
            and parts[2].isdigit()
            and value in ("", *Service.values)
        ):
            chosen[(parts[1], int(parts[2]))] = value
    return chosen


def checkout_attempt(
    request: HttpRequest, form: CheckoutForm, *, buyer: Any, buyer_phone: str | None = None
) -> Attempt:
    """Resolve the delivery commune, then quote the shipping ("quote" button) or place the
    cart's orders. Refusals land on the form. ``buyer_phone`` overrides the form's (a guest's
    confirmed phone)."""
    lines = cart.cart_lines(request)
    # Every line of the cart goes to checkout, so one paused or sold out since it was put in
    # the cart is refused with its reason instead of silently left out of the order.
    quantities = cart.cart_quantities(request)
    attempt = Attempt()
    if not (request.method == "POST" and form.is_valid()):
        return attempt
    data = form.cleaned_data
    choices, resolution = _commune_choices(data["delivery_address"])
    attempt.choices = choices
    chosen = data.get("delivery_commune")
    commune = next((unit for unit in choices if unit.pk == chosen), None)
    if commune is None and resolution == "resolved" and choices:
        commune = choices[0]
    if commune is None:
        if not choices:
            form.add_error(
                "delivery_address",
                _("Không tìm thấy xã, phường trong địa chỉ. Vui lòng ghi rõ xã và tỉnh."),
            )
        return attempt
    by_seller = _shipping_choices(request)
    attempt.chosen = {f"shipping_{kind}_{pk}": value for (kind, pk), value in by_seller.items()}
    if "quote" in request.POST:
        attempt.quotes = checkout_quotes(
            lines=[(line.listing.pk, line.quantity) for line in lines], to_commune=commune
        )
        for quote in attempt.quotes:
            cheapest = quote.cheapest
            default = cheapest.service if cheapest else ""
            quote.selected = attempt.chosen.get(quote.field_name, default)
        return attempt
    try:
        checkout = services.checkout_place(
            buyer=buyer,
            lines=[
                services.CheckoutLine(listing_id=pk, quantity=quantity)
                for pk, quantity in sorted(quantities.items())
            ],
            buyer_name=data["buyer_name"],
            buyer_phone=buyer_phone or data["buyer_phone"],
            delivery_address=data["delivery_address"],
            delivery_commune=commune,
            payment_method=data["payment_method"],
            shipping_service=data.get("shipping_service") or None,
            shipping_by_seller=by_seller,
        )
    except ValidationError as error:
        for name, problems in error.message_dict.items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
        return attempt
    cart.cart_clear(request)
    attempt.checkout = checkout
    return attempt


@login_required
def checkout_page(request: HttpRequest) -> HttpResponse:
    lines = cart.cart_lines(request)
    if not lines:
        messages.info(request, _("Giỏ hàng đang trống."))
        return redirect("orders:cart")
    user: Any = request.user
    form = CheckoutForm(
        request.POST or None,
        initial={"buyer_name": user.full_name, "buyer_phone": user.phone},
    )
    attempt = checkout_attempt(request, form, buyer=user)
    if attempt.checkout is not None:
        messages.success(
            request,
            _("Đã đặt %(count)d đơn. Người bán sẽ xác nhận sớm.")
            % {"count": attempt.checkout.orders.count()},
        )
        return redirect("orders:mine")
    return render(request, "orders/checkout.html", checkout_context(form, lines, attempt))


def checkout_context(form: CheckoutForm, lines: list[Any], attempt: Attempt) -> dict[str, Any]:
    return {
        "form": form,
        "lines": lines,
        "choices": attempt.choices,
        "quotes": attempt.quotes,
        "chosen": attempt.chosen,
        "total": sum(line.estimated_vnd for line in lines),
    }


@login_required
@require_safe
def my_orders(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.order_list(user=request.user), size=PAGE_SIZE)
    return render(request, "orders/list.html", {"orders": page.rows, **page.context()})


@login_required
@require_safe
def order_page(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(user=request.user, pk=pk)
    if order is None:
        raise Http404
    roles = services.actor_roles(request.user, order)
    steps = [
        (status, OrderStatus(status).label)
        for status, allowed in services.TRANSITIONS.get(order.status, {}).items()
        if roles & allowed
    ]
    qr_svg = ""
    account = None
    if (
        order.payment_method == PaymentMethod.VIETQR
        and order.payment_status == "unpaid"
        and order.status == OrderStatus.PLACED
    ):
        payload = order_payment_payload(order)
        if payload:
            qr_svg = render_svg(payload)
            account = transfer_account_for(order)
    review = getattr(order, "review", None)
    can_review = (
        review is None
        and order.buyer_id == request.user.pk
        and order.status in reviews.REVIEWABLE_STATUSES
    )
    return render(
        request,
        "orders/order.html",
        {
            "order": order,
            "steps": steps,
            "qr_svg": qr_svg,
            "account": account,
            "review": review,
            "review_form": ReviewForm() if can_review else None,
            "reply_form": (
                ReplyForm()
                if review is not None and not review.replied_at and ActorRole.SELLER in roles
                else None
            ),
        },
    )


@login_required
@require_POST
def order_status(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_object_or_404(editable_orders(request.user), pk=pk)
    form = OrderStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Trạng thái không hợp lệ."))
        return redirect("orders:order", pk=pk)
    try:
        services.order_transition(
            order=order,
            to_status=form.cleaned_data["status"],
            by=request.user,  # type: ignore[arg-type]
            note=form.cleaned_data["note"],
        )
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(request, _("Đã cập nhật đơn hàng."))
    return redirect("orders:order", pk=pk)


def _error_text(error: ValidationError | PermissionDenied) -> str:
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


@login_required
@require_POST
def review_write(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(user=request.user, pk=pk)
    if order is None:
        raise Http404
    form = ReviewForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Vui lòng chọn từ 1 đến 5 sao; nhận xét tối đa 1000 ký tự."))
        return redirect("orders:order", pk=pk)
    try:
        reviews.review_write(
            order=order,
            by=request.user,  # type: ignore[arg-type]
            stars=form.cleaned_data["stars"],
            text=form.cleaned_data["text"],
            photo=form.cleaned_data["photo"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Cảm ơn bạn đã đánh giá."))
    return redirect("orders:order", pk=pk)


@login_required
@require_POST
def review_reply(request: HttpRequest, pk: int) -> HttpResponse:
    order = selectors.order_get(user=request.user, pk=pk)
    review = Review.objects.filter(order_id=pk).first() if order is not None else None
    if review is None:
        raise Http404
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng viết nội dung trả lời (tối đa 1000 ký tự)."))
        return redirect("orders:order", pk=pk)
    try:
        reviews.review_reply(
            review=review,
            by=request.user,  # type: ignore[arg-type]
            text=form.cleaned_data["reply"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("Đã gửi trả lời."))
    return redirect("orders:order", pk=pk)
