"""Forms of the marketplace pages: the search and the three steps of listing from a phone."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nongsan.catalog.models import ProduceCategory, ProduceType, SellingUnit
from nongsan.catalog.search import MAX_QUERY_LENGTH, Sort
from nongsan.geo.models import AdministrativeUnit
from nongsan.producers.models import CertificationKind

SORT_CHOICES = [
    ("", _("Phù hợp nhất")),
    (Sort.PRICE, _("Giá thấp trước")),
    (Sort.PRICE_DESCENDING, _("Giá cao trước")),
    (Sort.NEWEST, _("Mới đăng")),
    (Sort.HARVEST, _("Sắp thu hoạch")),
]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm nông sản"), required=False, max_length=MAX_QUERY_LENGTH)
    category = forms.ChoiceField(
        label=_("Nhóm"), required=False, choices=[("", _("Tất cả"))] + ProduceCategory.choices
    )
    province = forms.ModelChoiceField(
        label=_("Tỉnh, thành phố"),
        required=False,
        queryset=AdministrativeUnit.objects.filter(level="province", valid_until__isnull=True),
        to_field_name="code",
        empty_label=_("Cả nước"),
    )
    certification = forms.ChoiceField(
        label=_("Chứng nhận"),
        required=False,
        choices=[("", _("Không bắt buộc"))] + CertificationKind.choices,
    )
    in_season = forms.BooleanField(label=_("Đang vụ"), required=False)
    price_min = forms.IntegerField(label=_("Giá từ (đồng)"), required=False, min_value=0)
    price_max = forms.IntegerField(label=_("Giá đến (đồng)"), required=False, min_value=0)
    sort = forms.ChoiceField(label=_("Sắp xếp"), required=False, choices=SORT_CHOICES)


class ProduceTypeChoiceField(forms.ModelChoiceField):
    """Each kind with its picture, for people who read little."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.icon} {obj.name}".strip()


class SellWhatForm(forms.Form):
    """Step 1: who sells and what."""

    seller = forms.ChoiceField(label=_("Người bán"))
    produce_type = ProduceTypeChoiceField(
        label=_("Loại nông sản"),
        queryset=ProduceType.objects.filter(is_active=True).order_by("category", "name_vi"),
        to_field_name="slug",
        empty_label=_("— Chọn —"),
    )
    title = forms.CharField(
        label=_("Tên gọi khi bán (không bắt buộc)"),
        required=False,
        max_length=120,
        help_text=_("Ví dụ: Vải thiều Lục Ngạn loại 1"),
    )

    def __init__(self, *args: Any, sellers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seller"].choices = sellers  # type: ignore[attr-defined]


class SellHowMuchForm(forms.Form):
    """Step 2: how much and at what price. Numbers are typed as people write them."""

    price_vnd = forms.CharField(
        label=_("Giá mỗi đơn vị (đồng)"), max_length=20, help_text=_("Ví dụ: 45.000")
    )
    unit = forms.ChoiceField(label=_("Đơn vị"), choices=SellingUnit.choices)
    stock_quantity = forms.CharField(label=_("Số lượng có bán"), max_length=20)
    minimum_order_quantity = forms.CharField(
        label=_("Mua tối thiểu"), max_length=20, required=False, initial="1"
    )


class SellWhenForm(forms.Form):
    """Step 3: when it can be sold."""

    available_from = forms.DateField(
        label=_("Bán từ ngày"), input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    available_until = forms.DateField(
        label=_("Bán đến ngày"), input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    description = forms.CharField(
        label=_("Mô tả thêm (không bắt buộc)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class LotForm(forms.Form):
    """A harvest lot added from the listing's page."""

    harvested_on = forms.DateField(
        label=_("Ngày thu hoạch"), input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip
    quantity = forms.CharField(label=_("Số lượng"), max_length=20)
    code = forms.CharField(label=_("Mã lô (để trống để tự tạo)"), max_length=32, required=False)


class QuickEditForm(forms.Form):
    """What a seller changes most from a phone: the price, what is left, the last day."""

    price_vnd = forms.CharField(label=_("Giá mỗi đơn vị (đồng)"), max_length=20)
    stock_quantity = forms.CharField(label=_("Còn bán"), max_length=20)
    available_until = forms.DateField(
        label=_("Bán đến ngày"), input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip


TIER_ROWS = 5  # services.MAX_TIERS


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ListingEditForm(forms.Form):
    """Every field of a listing a seller or an assistant may change (as the API's PATCH).

    Only the shapes are checked here (a date is a date); prices, quantities, tiers and the
    window are checked by ``services.listing_update``, whose Vietnamese messages land on
    the fields they name."""

    produce_type = ProduceTypeChoiceField(
        label=_("Loại nông sản"),
        queryset=ProduceType.objects.filter(is_active=True).order_by("category", "name_vi"),
        to_field_name="slug",
        empty_label=_("— Chọn —"),
    )
    title = forms.CharField(label=_("Tên tin đăng"), max_length=120, required=False)
    description = forms.CharField(
        label=_("Mô tả"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    price_vnd = forms.CharField(
        label=_("Giá mỗi đơn vị (đồng)"), max_length=20, help_text=_("Ví dụ: 45.000")
    )
    unit = forms.ChoiceField(label=_("Đơn vị"), choices=SellingUnit.choices)
    stock_quantity = forms.CharField(label=_("Số lượng còn bán"), max_length=20)
    minimum_order_quantity = forms.CharField(label=_("Mua tối thiểu"), max_length=20)
    available_from = _date_field(_("Bán từ ngày"))
    available_until = _date_field(_("Bán đến ngày"))
    growing_area_code = forms.ChoiceField(label=_("Mã số vùng trồng"), required=False)

    def __init__(self, *args: Any, area_codes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— Không ghi —"))] + [(code, code) for code in area_codes]
        self.fields["growing_area_code"].choices = choices  # type: ignore[attr-defined]
        for number in range(1, TIER_ROWS + 1):
            self.fields[f"tier_quantity_{number}"] = forms.CharField(
                label=_("Mua từ"), max_length=20, required=False
            )
            self.fields[f"tier_price_{number}"] = forms.CharField(
                label=_("Giá mỗi đơn vị (đồng)"), max_length=20, required=False
            )

    MAIN_FIELDS = (
        "produce_type", "title", "description", "price_vnd", "unit", "stock_quantity",
        "minimum_order_quantity", "available_from", "available_until", "growing_area_code",
    )  # fmt: skip

    def main_fields(self) -> list[Any]:
        return [self[name] for name in self.MAIN_FIELDS]

    def tier_rows(self) -> list[tuple[Any, Any]]:
        return [
            (self[f"tier_quantity_{number}"], self[f"tier_price_{number}"])
            for number in range(1, TIER_ROWS + 1)
        ]

    def changes(self) -> dict[str, Any]:
        """The listing's new values, as ``services.listing_update`` takes them."""
        data = self.cleaned_data
        changes = {name: data[name] for name in self.MAIN_FIELDS}
        changes["produce_type"] = data["produce_type"].slug
        tiers = []
        for number in range(1, TIER_ROWS + 1):
            quantity = data.get(f"tier_quantity_{number}", "").strip()
            price = data.get(f"tier_price_{number}", "").strip()
            if quantity or price:
                tiers.append({"min_quantity": quantity, "price_vnd": price})
        changes["price_tiers"] = tiers
        return changes
