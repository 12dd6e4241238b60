"""Forms of the order pages; they only parse, the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nongsan.orders.models import OrderStatus, PaymentMethod
from nongsan.shipping.models import Service


class CartAddForm(forms.Form):
    listing = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    quantity = forms.CharField(label=_("Số lượng"), max_length=20, initial="1")


class CheckoutForm(forms.Form):
    buyer_name = forms.CharField(label=_("Tên người nhận"), max_length=150)
    buyer_phone = forms.CharField(
        label=_("Số điện thoại"), max_length=30, widget=forms.TextInput(attrs={"type": "tel"})
    )
    delivery_address = forms.CharField(
        label=_("Địa chỉ nhận hàng"),
        max_length=300,
        help_text=_("Số nhà, thôn/ấp, xã/phường, tỉnh/thành phố."),
    )
    delivery_commune = forms.IntegerField(required=False, widget=forms.HiddenInput)
    payment_method = forms.ChoiceField(
        label=_("Thanh toán"),
        choices=PaymentMethod.choices,
        initial=PaymentMethod.COD,
        widget=forms.RadioSelect,
    )

    shipping_service = forms.ChoiceField(
        label=_("Giao hàng"),
        choices=[("", _("Thoả thuận với người bán")), *Service.choices],
        required=False,
        widget=forms.RadioSelect,
    )


class OrderStatusForm(forms.Form):
    status = forms.ChoiceField(choices=OrderStatus.choices)
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


class ReviewForm(forms.Form):
    stars = forms.ChoiceField(
        label=_("Số sao"),
        choices=[(str(number), str(number)) for number in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Nhận xét"), max_length=1000, required=False, widget=forms.Textarea({"rows": 3})
    )
    photo = forms.FileField(label=_("Ảnh (không bắt buộc)"), required=False)


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Trả lời đánh giá"), max_length=1000, widget=forms.Textarea({"rows": 2})
    )


class GuestPhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Số điện thoại"), max_length=30, widget=forms.TextInput(attrs={"type": "tel"})
    )


class GuestCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác nhận"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
