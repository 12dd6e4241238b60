"""Forms of the harvest calendar pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from nongsan.catalog.models import ProduceType
from nongsan.geo.models import AdministrativeUnit
from nongsan.harvests.models import (
    AnnouncementStatus,
    CalendarEntry,
    HarvestAnnouncement,
    LossReason,
)
from nongsan.harvests.services import TRANSITIONS
from nongsan.producers.models import Household


class PlaceForm(forms.Form):
    province = forms.ModelChoiceField(
        label=_("Tỉnh, thành phố"),
        required=False,
        queryset=AdministrativeUnit.objects.filter(level="province", valid_until__isnull=True),
        to_field_name="code",
        empty_label=_("Cả nước"),
    )


class CalendarEntryForm(forms.ModelForm):
    class Meta:
        model = CalendarEntry
        fields = [
            "season_name",
            "plant_from_month",
            "plant_from_day",
            "plant_until_month",
            "plant_until_day",
            "harvest_from_month",
            "harvest_from_day",
            "harvest_until_month",
            "harvest_until_day",
            "maturity_days_min",
            "maturity_days_max",
            "yield_tonnes_per_ha",
        ]
        # Typed as the reader's language writes it: 7,5 in Vietnamese, 7.5 in English.
        localized_fields = ["yield_tonnes_per_ha"]


class DateInput(forms.DateInput):
    """The phone's own date picker; the value travels as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _produce_types() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Sản phẩm"),
        queryset=ProduceType.objects.filter(is_active=True).order_by("name_vi"),
        to_field_name="slug",
    )


class HouseholdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.head_name} · {obj.commune.name}"


class _ForHousehold(forms.Form):
    """Forms written for one of the households the person announces for."""

    def __init__(self, *args: Any, households: QuerySet[Household], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["household"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared below
        field.queryset = households
        if len(households) == 1:
            field.initial = households[0].pk
            field.empty_label = None


class PlantingForm(_ForHousehold):
    household = HouseholdChoiceField(label=_("Hộ sản xuất"), queryset=Household.objects.none())
    produce_type = _produce_types()
    planted_on = forms.DateField(label=_("Ngày trồng hoặc ra hoa"), widget=DateInput())
    area_ha = forms.CharField(
        label=_("Diện tích (ha)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    tree_count = forms.IntegerField(
        label=_("Hoặc số cây"), required=False, min_value=1, max_value=10_000_000
    )
    expected_tonnes = forms.CharField(
        label=_("Sản lượng dự kiến (tấn)"),
        required=False,
        max_length=20,
        help_text=_("Để trống để tính theo năng suất trong lịch mùa vụ."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class AnnouncementForm(_ForHousehold):
    household = HouseholdChoiceField(label=_("Hộ sản xuất"), queryset=Household.objects.none())
    produce_type = _produce_types()
    harvest_from = forms.DateField(label=_("Thu hoạch từ ngày"), widget=DateInput())
    harvest_until = forms.DateField(label=_("Đến ngày"), widget=DateInput())
    tonnes = forms.CharField(
        label=_("Sản lượng (tấn)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=300)


class TransitionForm(forms.Form):
    """Move an announcement on; only the next statuses its current one allows are offered."""

    status = forms.ChoiceField(label=_("Chuyển sang"))
    harvest_from = forms.DateField(
        label=_("Ngày thu hoạch mới: từ"), required=False, widget=DateInput()
    )
    harvest_until = forms.DateField(label=_("đến"), required=False, widget=DateInput())
    tonnes = forms.CharField(
        label=_("Sản lượng (tấn)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    loss_reason = forms.ChoiceField(
        label=_("Lý do mất mùa"),
        required=False,
        choices=[("", "—"), *LossReason.choices],
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=300)

    def __init__(self, *args: Any, announcement: HarvestAnnouncement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS[announcement.status]
        field = self.fields["status"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [
            (value, label) for value, label in AnnouncementStatus.choices if value in allowed
        ]


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Tên chiến dịch"), max_length=150)
    target_tonnes = forms.CharField(
        label=_("Mục tiêu (tấn)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    starts_on = forms.DateField(label=_("Từ ngày"), widget=DateInput())
    ends_on = forms.DateField(label=_("Đến ngày"), widget=DateInput())
    description = forms.CharField(
        label=_("Lời kêu gọi"), required=False, max_length=2000, widget=forms.Textarea
    )
