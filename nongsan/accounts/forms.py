"""Forms of the account pages, and the admin forms for the phone-number user model."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.contrib.auth.forms import UserChangeForm as BaseUserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from nongsan.accounts.models import AssistantKind, Role, User
from nongsan.common.phone import normalize_phone

PHONE_WIDGET = forms.TextInput(
    attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "0912 345 678"}
)
CODE_WIDGET = forms.TextInput(
    attrs={
        "inputmode": "numeric",
        "autocomplete": "one-time-code",
        "pattern": "[0-9 ]*",
        "maxlength": "8",
    }
)


class PhoneField(forms.CharField):
    """A phone number as people write it, cleaned to E.164."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Số điện thoại"))
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("widget", PHONE_WIDGET)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        return normalize_phone(value) if value else value


class UserCreationForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("phone",)


class UserChangeForm(BaseUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class SignUpForm(forms.Form):
    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = PhoneField()
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Ít nhất 8 ký tự, không chỉ gồm chữ số."),
    )
    password_again = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    role = forms.ChoiceField(
        label=_("Tôi muốn"),
        choices=[
            (Role.BUYER, _("Mua nông sản")),
            (Role.HOUSEHOLD_SELLER, _("Bán nông sản của hộ mình")),
            (Role.TRADER, _("Thu mua số lượng lớn (thương lái, doanh nghiệp)")),
        ],
        initial=Role.BUYER,
        widget=forms.RadioSelect,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("Hai mật khẩu không giống nhau."))
        return data


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Mã xác nhận (6 chữ số)"), max_length=8, widget=CODE_WIDGET)


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("Số điện thoại"), max_length=40, widget=PHONE_WIDGET)
    error_messages = {
        "invalid_login": _(
            "Số điện thoại hoặc mật khẩu không đúng. Nếu vừa đăng ký, hãy nhập mã xác nhận trước."
        ),
        "inactive": _("Tài khoản này chưa kích hoạt hoặc đã bị khoá."),
    }


class PasswordResetRequestForm(forms.Form):
    phone = PhoneField()


class PasswordResetForm(forms.Form):
    code = forms.CharField(label=_("Mã xác nhận (6 chữ số)"), max_length=8, widget=CODE_WIDGET)
    new_password = forms.CharField(
        label=_("Mật khẩu mới"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("full_name", "email", "preferred_language")


class PhoneChangeForm(forms.Form):
    new_phone = PhoneField(label=_("Số điện thoại mới"))


class GrantForm(forms.Form):
    phone = PhoneField(label=_("Số điện thoại của người được cấp"))
    role = forms.ChoiceField(
        label=_("Vai trò"),
        choices=[
            (Role.PROVINCE_OFFICER, Role.PROVINCE_OFFICER.label),
            (Role.COMMUNE_OFFICER, Role.COMMUNE_OFFICER.label),
            (Role.ASSISTANT, Role.ASSISTANT.label),
        ],
    )
    assistant_kind = forms.ChoiceField(
        label=_("Loại người hỗ trợ"),
        choices=[("", "—"), *AssistantKind.choices],
        required=False,
    )
    unit_code = forms.CharField(
        label=_("Mã địa bàn (tỉnh 2 số, xã 5 số)"),
        max_length=5,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def clean_unit_code(self) -> str:
        code = self.cleaned_data["unit_code"].strip()
        if not code.isdigit() or len(code) not in (2, 5):
            raise ValidationError(_("Mã tỉnh có 2 chữ số, mã xã có 5 chữ số."))
        return code
