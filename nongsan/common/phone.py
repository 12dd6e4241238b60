"""Vietnamese phone numbers, in any way people write them, to E.164."""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = ["normalize_phone"]

# Mobile prefixes renumbered in 2018 from eleven digits to ten (0162 -> 032 ...).
LEGACY_MOBILE_PREFIXES = {
    "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036",
    "0167": "037", "0168": "038", "0169": "039",
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0186": "056", "0188": "058", "0199": "059",
}  # fmt: skip
_SEPARATORS = re.compile(r"[\s.\-()/]")


def normalize_phone(text: str) -> str:
    """Return a Vietnamese phone number as E.164 (``+84912345678``) or raise ValidationError."""
    raw = _SEPARATORS.sub("", str(text or ""))
    if not raw:
        raise ValidationError(_("Vui lòng nhập số điện thoại."), code="empty")
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    if not re.fullmatch(r"\+?\d{8,13}", raw):
        raise ValidationError(
            _("Số điện thoại chỉ gồm chữ số, ví dụ 0912 345 678."), code="invalid_characters"
        )
    national = raw
    if raw.startswith("+84"):
        national = "0" + raw[3:]
    elif raw.startswith("84") and len(raw) in (11, 12):
        national = "0" + raw[2:]
    elif raw.startswith("+"):
        raise ValidationError(_("Chỉ nhận số điện thoại Việt Nam (+84)."), code="not_vietnamese")
    if len(national) == 11 and national[:4] in LEGACY_MOBILE_PREFIXES:
        national = LEGACY_MOBILE_PREFIXES[national[:4]] + national[4:]
    try:
        parsed = phonenumbers.parse(national, "VN")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(_("Số điện thoại không hợp lệ."), code="invalid") from error
    if not phonenumbers.is_valid_number_for_region(parsed, "VN"):
        raise ValidationError(
            _("Số điện thoại không hợp lệ: %(number)s.") % {"number": text}, code="invalid"
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
