"""Forms of the onboarding pages: the funnel's filters and recording a stage."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from nongsan.common.database import vi_ordered
from nongsan.geo.models import AdministrativeUnit
from nongsan.onboarding.models import Channel, Stage
from nongsan.onboarding.permissions import area_scope

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class FunnelFilterForm(forms.Form):
    """Province and commune (only those in the person's area) and channel."""

    province = forms.ModelChoiceField(
        label=_("Tỉnh / thành phố"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("Cả địa bàn của bạn"),
        error_messages={"invalid_choice": _("Tỉnh này không thuộc địa bàn của bạn.")},
    )
    commune = forms.ModelChoiceField(
        label=_("Xã / phường"),
        queryset=AdministrativeUnit.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("Tất cả xã, phường"),
        help_text=_("Chọn tỉnh rồi bấm Xem để có danh sách xã, phường."),
        error_messages={"invalid_choice": _("Xã, phường này không thuộc địa bàn của bạn.")},
    )
    channel = forms.ModelChoiceField(
        label=_("Kênh"),
        queryset=Channel.objects.filter(is_active=True),
        required=False,
        to_field_name="code",
        empty_label=_("Tất cả kênh"),
        error_messages={"invalid_choice": _("Không có kênh này.")},
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = area_scope(user)
        current = AdministrativeUnit.objects.filter(valid_until__isnull=True)
        provinces = current.filter(level="province")
        communes = current.filter(level="commune")
        if not scope.is_national:
            provinces = provinces.filter(
                Q(pk__in=sorted(scope.province_ids))
                | Q(pk__in=communes.filter(pk__in=sorted(scope.commune_ids)).values("province"))
            )
            communes = communes.filter(
                Q(province__in=sorted(scope.province_ids)) | Q(pk__in=sorted(scope.commune_ids))
            )
        province_code = self.data.get("province") if self.is_bound else None
        if province_code:
            communes = communes.filter(province__code=province_code)
        elif scope.is_national or len(scope.province_ids) > 1:
            # A national list of 3,321 communes is no use on a phone: choose a province first.
            communes = communes.none()
        province_field = self.fields["province"]
        commune_field = self.fields["commune"]
        assert isinstance(province_field, forms.ModelChoiceField)  # noqa: S101
        assert isinstance(commune_field, forms.ModelChoiceField)  # noqa: S101
        province_field.queryset = provinces.order_by(vi_ordered("name"))
        commune_field.queryset = communes.order_by(vi_ordered("name"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        province, commune = data.get("province"), data.get("commune")
        if province is not None and commune is not None and commune.province_id != province.pk:
            self.add_error("commune", _("Xã, phường này không thuộc tỉnh đã chọn."))
        return data


class StageRecordForm(forms.Form):
    """An officer records a household's stage on a channel (a backward move needs a reason)."""

    channel = forms.ModelChoiceField(
        label=_("Kênh"),
        queryset=Channel.objects.filter(is_active=True),
        to_field_name="code",
        error_messages={
            "required": _("Hãy chọn kênh."),
            "invalid_choice": _("Không có kênh này."),
        },
    )
    stage = forms.ChoiceField(
        label=_("Giai đoạn"),
        choices=Stage.choices,
        error_messages={
            "required": _("Hãy chọn giai đoạn."),
            "invalid_choice": _("Giai đoạn không hợp lệ."),
        },
    )
    occurred_on = forms.DateField(
        label=_("Ngày xảy ra"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Hãy nhập ngày xảy ra."),
            "invalid": _("Ngày không hợp lệ (dd/mm/yyyy)."),
        },
    )
    reason = forms.CharField(
        label=_("Lý do"),
        required=False,
        max_length=300,
        help_text=_("Bắt buộc khi lùi giai đoạn, ví dụ: ghi nhầm, hộ đóng gian hàng."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Lý do dài tối đa 300 ký tự.")},
    )
