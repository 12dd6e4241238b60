"""Forms of the price board: the board's filters and a price report."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nongsan.catalog.models import ProduceType
from nongsan.geo.models import AdministrativeUnit
from nongsan.prices.models import PriceKind


def _provinces() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Tỉnh, thành phố"),
        queryset=AdministrativeUnit.objects.filter(level="province", valid_until__isnull=True),
        to_field_name="code",
    )


class BoardForm(forms.Form):
    produce = forms.ModelChoiceField(
        label=_("Sản phẩm"),
        required=False,
        queryset=ProduceType.objects.filter(is_active=True).order_by("name_vi"),
        to_field_name="slug",
        empty_label=_("Tất cả"),
    )
    province = forms.ModelChoiceField(
        label=_("Tỉnh, thành phố"),
        required=False,
        queryset=AdministrativeUnit.objects.filter(level="province", valid_until__isnull=True),
        to_field_name="code",
        empty_label=_("Cả nước"),
    )
    compare = forms.ModelChoiceField(
        label=_("So sánh với"),
        required=False,
        queryset=AdministrativeUnit.objects.filter(level="province", valid_until__isnull=True),
        to_field_name="code",
        empty_label=_("Không so sánh"),
    )
    kind = forms.ChoiceField(label=_("Loại giá"), choices=PriceKind.choices, required=False)


class PriceReportForm(forms.Form):
    produce = forms.ModelChoiceField(
        label=_("Sản phẩm"),
        queryset=ProduceType.objects.filter(is_active=True).order_by("name_vi"),
        to_field_name="slug",
    )
    province = _provinces()
    commune = forms.ModelChoiceField(
        label=_("Xã / phường"),
        required=False,
        queryset=AdministrativeUnit.objects.none(),
        to_field_name="code",
        empty_label=_("Cả tỉnh (không ghi xã)"),
        help_text=_("Chỉ các xã / phường của tỉnh đã chọn."),
    )
    market_name = forms.CharField(label=_("Chợ / nơi ghi giá"), max_length=120, required=False)
    kind = forms.ChoiceField(label=_("Loại giá"), choices=PriceKind.choices)
    price_vnd = forms.CharField(
        label=_("Giá (đồng/kg)"), max_length=20, help_text=_("Ví dụ 45.000")
    )
    reported_on = forms.DateField(
        label=_("Ngày"), input_formats=["%d/%m/%Y", "%Y-%m-%d"], help_text=_("dd/mm/yyyy")
    )

    def __init__(
        self, *args: Any, own_commune: AdministrativeUnit | None = None, **kwargs: Any
    ) -> None:
        """The commune choices are the chosen province's (from the posted data, else the
        ``?province=`` of the page, else the officer's own commune's province, preselected)."""
        super().__init__(*args, **kwargs)
        if own_commune is not None and own_commune.province is not None:
            self.initial.setdefault("province", own_commune.province.code)
            self.initial.setdefault("commune", own_commune.code)
        province_code = self.data.get("province") or self.initial.get("province")
        if province_code:
            commune_field = self.fields["commune"]
            assert isinstance(commune_field, forms.ModelChoiceField)  # noqa: S101 - declared above
            commune_field.queryset = AdministrativeUnit.objects.filter(
                level="commune", valid_until__isnull=True, province__code=str(province_code)
            ).order_by("name")


class PriceFileForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp bảng giá (.xlsx hoặc .csv)"),
        help_text=_("Cột: ngày, sản phẩm, tỉnh, loại giá, giá; chợ và xã / phường không bắt buộc."),
    )
