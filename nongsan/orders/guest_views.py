"""Pages of guest checkout: confirm a phone by a code, check out once, follow the orders by
a signed link. Thin: parse, call the guest services, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from nongsan.audit.middleware import client_ip
from nongsan.orders import cart, guests
from nongsan.orders.forms import CheckoutForm, GuestCodeForm, GuestPhoneForm
from nongsan.orders.views import checkout_attempt, checkout_context
from nongsan.payments.selectors import order_payment_payload
from nongsan.payments.vietqr import render_svg

SESSION_KEY = "orders_guest_phone"


def guest_start(request: HttpRequest) -> HttpResponse:
    """Ask for the phone, send the code, check it; a confirmed phone goes on to checkout."""
    if request.user.is_authenticated:
        return redirect("orders:checkout")
    if not cart.cart_lines(request):
        messages.info(request, _("Giỏ hàng đang trống."))
        return redirect("orders:cart")
    phone_form = GuestPhoneForm(request.POST if "send" in request.POST else None)
    code_form = GuestCodeForm(request.POST if "verify" in request.POST else None)
    sent_to = request.session.get("orders_guest_code_phone", "")
    if "send" in request.POST and phone_form.is_valid():
        try:
            sent_to = guests.guest_code_send(
                phone=phone_form.cleaned_data["phone"], ip=client_ip(request)
            )
        except ValidationError as error:
            phone_form.add_error("phone", error)
        else:
            request.session["orders_guest_code_phone"] = sent_to
            messages.success(request, _("Đã gửi mã xác nhận tới số của bạn."))
            return redirect("orders:guest-start")
    if "verify" in request.POST and code_form.is_valid():
        if not sent_to:
            code_form.add_error(None, _("Hãy nhập số điện thoại và bấm “Gửi mã” trước."))
        else:
            try:
                confirmation = guests.guest_phone_confirm(
                    phone=sent_to, code=code_form.cleaned_data["code"]
                )
            except ValidationError as error:
                code_form.add_error("code", error)
            else:
                request.session[SESSION_KEY] = confirmation
                request.session.pop("orders_guest_code_phone", None)
                return redirect("orders:guest-checkout")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "orders/guest_start.html",
        {"phone_form": phone_form, "code_form": code_form, "sent_to": sent_to},
        status=status,
    )


def guest_checkout(request: HttpRequest) -> HttpResponse:
    """Checkout with the confirmed phone; the confirmation is spent on one checkout."""
    phone = guests.confirmed_phone(request.session.get(SESSION_KEY))
    if phone is None:
        messages.info(request, _("Vui lòng xác nhận số điện thoại trước khi đặt hàng."))
        return redirect("orders:guest-start")
    lines = cart.cart_lines(request)
    if not lines:
        messages.info(request, _("Giỏ hàng đang trống."))
        return redirect("orders:cart")
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None:
        data["buyer_phone"] = phone
    form = CheckoutForm(data, initial={"buyer_phone": phone})
    form.fields["buyer_phone"].disabled = True
    attempt = checkout_attempt(request, form, buyer=None, buyer_phone=phone)
    checkout = attempt.checkout
    if checkout is not None:
        request.session.pop(SESSION_KEY, None)
        path = guests.guest_link_send(
            checkout=checkout, base_url=request.build_absolute_uri("/").rstrip("/")
        )
        messages.success(
            request,
            _("Đã đặt %(count)d đơn. Đường dẫn xem đơn đã được gửi tới số của bạn.")
            % {"count": checkout.orders.count()},
        )
        return redirect(path)
    return render(request, "orders/checkout.html", checkout_context(form, lines, attempt))


@require_safe
def guest_orders(request: HttpRequest, token: str) -> HttpResponse:
    """The orders of a guest checkout, for whoever holds the signed link."""
    checkout = guests.guest_checkout_from_token(token)
    if checkout is None:
        raise Http404
    orders = []
    for order in guests.guest_orders(checkout):
        payload = (
            order_payment_payload(order)
            if order.payment_method == "vietqr"
            and order.payment_status == "unpaid"
            and order.status == "placed"
            else None
        )
        orders.append((order, render_svg(payload) if payload else ""))
    response = render(request, "orders/guest_orders.html", {"checkout": checkout, "orders": orders})
    response["Referrer-Policy"] = "no-referrer"  # the link is the key: keep it off other sites
    response["X-Robots-Tag"] = "noindex"
    return response
