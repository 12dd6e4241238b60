"""Pages of the orders: the cart, checkout, a person's orders and one order with its
timeline (and, for VietQR, the payment QR). Thin: parse, call one service or selector."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

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
        {"sellers": sellers, "total": sum(line.estimated_vnd for line in lines)},
    )


@require_POST
def cart_add(request: HttpRequest) -> HttpResponse:
    form = CartAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Không thêm được vào giỏ."))
        return redirect("orders:cart")
    listing = get_object_or_404(public_listings(), pk=form.cleaned_data["listing"])
    quantity: Decimal | None = None
    if request.POST.get("remove") is None:
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


def checkout_attempt(
    request: HttpRequest, form: CheckoutForm, *, buyer: Any, buyer_phone: str | None = None
) -> tuple[Any, list[AdministrativeUnit]]:
    """Resolve the delivery commune and place the cart's orders: (checkout or None, the
    communes to choose from). Refusals land on the form. ``buyer_phone`` overrides the form's
    (a guest's confirmed phone)."""
    lines = cart.cart_lines(request)
    choices: list[AdministrativeUnit] = []
    if not (request.method == "POST" and form.is_valid()):
        return None, choices
    data = form.cleaned_data
    choices, resolution = _commune_choices(data["delivery_address"])
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
        return None, choices
    try:
        checkout = services.checkout_place(
            buyer=buyer,
            lines=[
                services.CheckoutLine(listing_id=line.listing.pk, quantity=line.quantity)
                for line in lines
            ],
            buyer_name=data["buyer_name"],
            buyer_phone=buyer_phone or data["buyer_phone"],
            delivery_address=data["delivery_address"],
            delivery_commune=commune,
            payment_method=data["payment_method"],
            shipping_service=data.get("shipping_service") or None,
        )
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
        return None, choices
    cart.cart_clear(request)
    return checkout, choices


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
    checkout, choices = checkout_attempt(request, form, buyer=user)
    if checkout is not None:
        messages.success(
            request,
            _("Đã đặt %(count)d đơn. Người bán sẽ xác nhận sớm.")
            % {"count": checkout.orders.count()},
        )
        return redirect("orders:mine")
    return render(
        request,
        "orders/checkout.html",
        {
            "form": form,
            "lines": lines,
            "choices": choices,
            "total": sum(line.estimated_vnd for line in lines),
        },
    )


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
