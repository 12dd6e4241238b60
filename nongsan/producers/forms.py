"""Forms of the registry pages: the filters of the list and the assisted registration."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nongsan.geo.address import resolve_address
from nongsan.geo.models import AdministrativeUnit
from nongsan.onboarding.models import Channel, Stage
from nongsan.producers.models import CertificationKind, ConsentMethod, Purpose


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm theo tên, thôn hoặc số điện thoại"), required=False, max_length=100
    )
    commune = forms.ModelChoiceField(
        label=_("Mã xã, phường"),
        queryset=AdministrativeUnit.objects.filter(level="commune", valid_until__isnull=True),
        required=False,
        to_field_name="code",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
        error_messages={"invalid_choice": _("Không có xã, phường hiện hành với mã này.")},
    )
    certification = forms.ChoiceField(
        label=_("Chứng nhận còn hạn"),
        required=False,
        choices=[("", _("Tất cả"))] + list(CertificationKind.choices),
        error_messages={"invalid_choice": _("Loại chứng nhận không hợp lệ.")},
    )
    channel = forms.ModelChoiceField(
        label=_("Kênh bán hàng"),
        queryset=Channel.objects.filter(is_active=True),
        required=False,
        to_field_name="code",
        empty_label=_("Mọi kênh"),
        error_messages={"invalid_choice": _("Không có kênh bán hàng này.")},
    )
    stage = forms.ChoiceField(
        label=_("Giai đoạn trên kênh"),
        required=False,
        choices=[("", _("Mọi giai đoạn"))] + list(Stage.choices),
        error_messages={"invalid_choice": _("Giai đoạn không hợp lệ.")},
    )
    stage_match = forms.ChoiceField(
        label=_("So giai đoạn"),
        required=False,
        choices=[("", _("Đúng giai đoạn này")), ("at_least", _("Từ giai đoạn này trở lên"))],
        error_messages={"invalid_choice": _("Cách so giai đoạn không hợp lệ.")},
    )
    trained = forms.ChoiceField(
        label=_("Tập huấn"),
        required=False,
        choices=[("", _("Tất cả")), ("yes", _("Đã tập huấn")), ("no", _("Chưa tập huấn"))],
        error_messages={"invalid_choice": _("Lựa chọn tập huấn không hợp lệ.")},
    )

    MAIN_FIELDS = ("q", "commune")

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.MAIN_FIELDS]

    def more_fields(self) -> list[forms.BoundField]:
        """The filters a phone folds under "Lọc thêm" so the list stays near the top."""
        return [self[name] for name in self.fields if name not in self.MAIN_FIELDS]

    def more_fields_used(self) -> bool:
        return self.is_bound and any(
            self.data.get(field.name) or field.errors for field in self.more_fields()
        )

    def clean(self) -> dict[str, Any]:
        """Turn the choices into the selector's arguments (``trained`` True/False/None)."""
        cleaned = super().clean() or {}
        cleaned["stage_at_least"] = cleaned.get("stage_match") == "at_least"
        cleaned["trained_flag"] = {"yes": True, "no": False}.get(cleaned.get("trained") or "")
        return cleaned


class HouseholdRegistrationForm(forms.Form):
    """An assistant registers a household and its consent from a phone, on one page.

    The address is typed as people say it and resolved to a current commune; when the
    resolver cannot decide, the candidates come back as a choice (``commune``).
    """

    head_name = forms.CharField(label=_("Họ tên chủ hộ"), max_length=150)
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(
        label=_("Địa chỉ"),
        max_length=300,
        help_text=_("Ghi như người dân nói, ví dụ: thôn Đông, xã Lục Ngạn, Bắc Ninh."),
    )
    commune = forms.TypedChoiceField(
        label=_("Chọn xã, phường"), required=False, coerce=int, widget=forms.RadioSelect
    )
    village = forms.CharField(label=_("Thôn / ấp / bản"), max_length=120, required=False)
    main_produce = forms.CharField(label=_("Sản phẩm chính"), max_length=200, required=False)
    farm_area_hectares = forms.CharField(
        label=_("Diện tích canh tác (ha)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    citizen_id = forms.CharField(
        label=_("Số CCCD (không bắt buộc)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    consent_purposes = forms.MultipleChoiceField(
        label=_("Hộ đồng ý cho"),
        choices=Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    consent_method = forms.ChoiceField(
        label=_("Hộ đồng ý bằng cách"),
        choices=ConsentMethod.choices[:3],
        widget=forms.RadioSelect,
        required=False,
    )
    witness_name = forms.CharField(
        label=_("Người làm chứng (khi đồng ý bằng lời)"), max_length=150, required=False
    )
    paper_photo = forms.FileField(
        label=_("Ảnh giấy đồng ý đã ký"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.resolution = None
        commune_field = self.fields["commune"]
        assert isinstance(commune_field, forms.ChoiceField)  # noqa: S101 - declared above
        commune_field.choices = []
        address = (self.data.get("address") or "").strip() if self.is_bound else ""
        if address:
            self.resolution = resolve_address(address)
            commune_field.choices = [
                (candidate.commune.pk, f"{candidate.commune.name}, {candidate.province.name}")
                for candidate in self.resolution.candidates
            ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        resolution = self.resolution
        if "address" not in cleaned or resolution is None:
            return cleaned
        chosen = cleaned.get("commune")
        if chosen:
            cleaned["commune_unit"] = chosen
        elif resolution.status == "resolved" and resolution.best is not None:
            cleaned["commune_unit"] = resolution.best.commune.pk
            if not cleaned.get("village") and resolution.village:
                cleaned["village"] = resolution.village
        elif resolution.status in ("ambiguous", "needs_choice"):
            # The resolver's message says which part was unclear or unrecognised.
            self.add_error(
                "commune",
                resolution.message or _("Địa chỉ này khớp nhiều xã, phường: hãy chọn một."),
            )
        else:
            self.add_error("address", resolution.message or _("Không tìm thấy xã, phường nào."))
        return cleaned
