"""Forms of the trade pages: fields as typed; the services check and refuse."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nongsan.catalog.models import ProduceType
from nongsan.geo.models import AdministrativeUnit
from nongsan.trade.models import DeliveryMode, Grade, PaymentTerms


def _provinces() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Tỉnh, thành phố nhận hàng"),
        queryset=AdministrativeUnit.objects.filter(level="province", valid_until__isnull=True),
        to_field_name="code",
    )


class BuyRequestForm(forms.Form):
    produce_type = forms.ModelChoiceField(
        label=_("Loại sản phẩm"),
        queryset=ProduceType.objects.filter(is_active=True).order_by("name_vi"),
    )
    alternative = forms.CharField(
        label=_("Loại thay thế (không bắt buộc)"),
        required=False,
        max_length=100,
        help_text=_("Tên hoặc tên gọi khác, ví dụ: khóm."),
    )
    quantity_min_tonnes = forms.CharField(label=_("Ít nhất (tấn)"), max_length=20)
    quantity_max_tonnes = forms.CharField(label=_("Nhiều nhất (tấn)"), max_length=20)
    grade = forms.ChoiceField(label=_("Phân loại"), choices=Grade.choices)
    certifications = forms.MultipleChoiceField(
        label=_("Chứng nhận bắt buộc"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("vietgap", "VietGAP"),
            ("globalgap", "GlobalG.A.P."),
            ("organic", _("Hữu cơ")),
            ("ocop", "OCOP"),
        ],
    )
    delivery_from = forms.CharField(
        label=_("Nhận hàng từ ngày"), widget=forms.DateInput(attrs={"type": "date"})
    )
    delivery_until = forms.CharField(
        label=_("Nhận hàng đến ngày"), widget=forms.DateInput(attrs={"type": "date"})
    )
    delivery_mode = forms.ChoiceField(label=_("Cách nhận hàng"), choices=DeliveryMode.choices)
    province = _provinces()
    commune_name = forms.CharField(
        label=_("Xã, phường nhận hàng (hoặc nơi đặt kho)"), max_length=100
    )
    delivery_address = forms.CharField(label=_("Địa chỉ nhận hàng"), max_length=300, required=False)
    is_nationwide = forms.BooleanField(label=_("Thu mua cả nước"), required=False)
    target_provinces = forms.ModelMultipleChoiceField(
        label=_("Tỉnh thu mua"),
        required=False,
        queryset=AdministrativeUnit.objects.filter(level="province", valid_until__isnull=True),
        to_field_name="code",
    )
    price_max_vnd_per_kg = forms.CharField(
        label=_("Giá trả cao nhất (đồng/kg)"),
        max_length=12,
        required=False,
        help_text=_("Để trống: người bán tự chào giá."),
    )
    payment_terms = forms.ChoiceField(label=_("Điều kiện thanh toán"), choices=PaymentTerms.choices)
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class OfferForm(forms.Form):
    quantity_tonnes = forms.CharField(label=_("Số tấn"), max_length=20)
    price_vnd_per_kg = forms.CharField(label=_("Giá (đồng/kg)"), max_length=12)
    message = forms.CharField(label=_("Lời nhắn"), max_length=300, required=False)
