"""Vietnamese phone numbers, in any way people write them, to E.164."""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = ["LEGACY_MOBILE_PREFIXES", "normalize_phone"]

# Mobile prefixes renumbered in 2018 from eleven digits to ten (Ministry of Information and
# Communications, Decision 798/QĐ-BTTTT): Viettel 0162-0169, MobiFone 0120-0128,
# VinaPhone 0123-0129, Vietnamobile 0186/0188, Gmobile 0199.
LEGACY_MOBILE_PREFIXES = {
    "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036",
    "0167": "037", "0168": "038", "0169": "039",
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0186": "056", "0188": "058", "0199": "059",
}  # fmt: skip
# A phone number is at most 15 digits; anything much longer is not worth parsing.
MAX_INPUT_LENGTH = 40
_SEPARATORS = re.compile(r"[\s.\-()/]")
_ACCEPTED_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def _mobile_matcher() -> re.Pattern[str] | None:
    """A pattern for national numbers that phonenumbers itself would call valid Vietnamese
    mobiles, built from its own metadata: the general pattern and the mobile pattern match,
    and no pattern of a type it checks before mobile (toll-free, premium, VoIP, UAN …) does.

    Parsing a number costs about 80 µs; a spreadsheet of 100,000 rows asks twice per row, so
    the common case takes this one regular expression and the rest the full parse.
    """
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("VN")
    if metadata is None or metadata.mobile is None or metadata.general_desc is None:
        return None
    general = metadata.general_desc.national_number_pattern
    mobile_pattern = metadata.mobile.national_number_pattern
    if not general or not mobile_pattern:
        return None

    def anchored(pattern: str) -> str:
        return f"(?:{pattern})$"

    mobile = metadata.mobile
    lengths = "|".join(f"\\d{{{length}}}" for length in mobile.possible_length or (9,))
    excluded = [
        description.national_number_pattern
        for description in (
            metadata.premium_rate,
            metadata.toll_free,
            metadata.shared_cost,
            metadata.voip,
            metadata.personal_number,
            metadata.pager,
            metadata.uan,
            metadata.voicemail,
            metadata.fixed_line,
        )
        if description is not None and description.national_number_pattern
    ]
    return re.compile(
        f"(?=(?:{lengths})$)"
        f"(?={anchored(general)})"
        + "".join(f"(?!{anchored(pattern)})" for pattern in excluded if pattern)
        + anchored(mobile_pattern)
    )


_PLAIN_MOBILE = _mobile_matcher()


def _national_significant(digits: str, *, international: bool) -> str:
    """The number without country code or trunk 0, or a ValidationError for a foreign one."""
    if international:
        if not digits.startswith("84"):
            raise ValidationError(
                _("Chỉ nhận số điện thoại Việt Nam (+84)."), code="not_vietnamese"
            )
        # "+84 (0) 912 345 678": the trunk 0 written after the country code.
        return digits[2:].removeprefix("0")
    if digits.startswith("84") and len(digits) in (11, 12):
        return digits[2:]
    # Without a leading 0 the number most likely lost it in a spreadsheet cell.
    return digits.removeprefix("0")


def normalize_phone(text: str) -> str:
    """Return a Vietnamese mobile or landline number as E.164 (``+84912345678``).

    Accepts the forms people write (``0912 345 678``, ``+84 912345678``, ``84912345678``,
    ``(091) 234-5678``, ``024 3825 1234``), converts the pre-2018 eleven-digit mobile
    numbers (0162 → 032 …) and raises ValidationError with a Vietnamese message for anything
    else: empty, letters, wrong length, foreign, toll-free or premium numbers.
    """
    raw = "" if text is None else str(text)
    if len(raw) > MAX_INPUT_LENGTH:
        raise ValidationError(_("Số điện thoại quá dài."), code="too_long")
    # NFKC turns full-width digits and plus signs from some phone keyboards into ASCII.
    compact = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw))
    if not compact:
        raise ValidationError(_("Vui lòng nhập số điện thoại."), code="empty")
    if not re.fullmatch(r"\+?[0-9]+", compact):
        raise ValidationError(
            _("Số điện thoại chỉ gồm chữ số, ví dụ 0912 345 678."), code="invalid_characters"
        )
    international = compact.startswith(("+", "00"))
    digits = compact.removeprefix("+") if compact.startswith("+") else compact
    if digits.startswith("00"):
        digits = digits[2:]
    if not international and digits.startswith(("1800", "1900")):
        raise ValidationError(
            _("Chỉ nhận số di động hoặc số cố định, không nhận đầu số 1800 hay 1900."),
            code="unsupported_type",
        )
    national = _national_significant(digits, international=international)
    if len(national) < 9:
        raise ValidationError(
            _("Số điện thoại quá ngắn: số di động có 10 chữ số, ví dụ 0912 345 678."),
            code="too_short",
        )
    if len(national) > 10:
        raise ValidationError(
            _("Số điện thoại quá dài: số di động có 10 chữ số, số cố định có 11 chữ số."),
            code="too_long",
        )
    legacy_prefix = "0" + national[:3]
    if len(national) == 10 and legacy_prefix in LEGACY_MOBILE_PREFIXES:
        national = LEGACY_MOBILE_PREFIXES[legacy_prefix][1:] + national[3:]
    if _PLAIN_MOBILE is not None and _PLAIN_MOBILE.match(national):
        return "+84" + national
    invalid = ValidationError(
        _("%(number)s không phải là số điện thoại hợp lệ tại Việt Nam."),
        code="invalid",
        params={"number": "0" + national},
    )
    try:
        parsed = phonenumbers.parse("0" + national, "VN")
    except phonenumbers.NumberParseException as error:
        raise invalid from error
    if not phonenumbers.is_valid_number_for_region(parsed, "VN"):
        raise invalid
    if phonenumbers.number_type(parsed) not in _ACCEPTED_TYPES:
        raise ValidationError(
            _("Chỉ nhận số di động hoặc số cố định, không nhận số dịch vụ hay số VoIP."),
            code="unsupported_type",
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
