"""The outbox page's filter: a phone number (or e-mail address) and a purpose."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from nongsan.common.phone import normalize_phone
from nongsan.messaging.services import PURPOSE_PATTERN


class OutboxFilterForm(forms.Form):
    phone = forms.CharField(
        label=_("Số điện thoại hoặc thư điện tử"),
        required=False,
        max_length=254,
        help_text=_("Ví dụ 0912 345 678."),
    )
    purpose = forms.CharField(
        label=_("Mục đích"),
        required=False,
        max_length=40,
        help_text=_("Ví dụ sign_up_code."),
    )

    def clean_phone(self) -> str:
        text: str = self.cleaned_data["phone"].strip()
        if not text:
            return ""
        if "@" in text:
            validate_email(text)
            return text
        return normalize_phone(text)

    def clean_purpose(self) -> str:
        text: str = self.cleaned_data["purpose"].strip()
        if text and not PURPOSE_PATTERN.fullmatch(text):
            raise ValidationError(
                _("Mục đích chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới."),
                code="invalid_purpose",
            )
        return text
