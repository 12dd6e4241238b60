"""Vietnamese phone numbers to E.164, and clear Vietnamese errors for everything else."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from nongsan.common import phone as phone_module
from nongsan.common.phone import LEGACY_MOBILE_PREFIXES, normalize_phone


def error_code(text: object) -> str | None:
    with pytest.raises(ValidationError) as caught:
        normalize_phone(text)  # type: ignore[arg-type]
    return caught.value.code


@pytest.mark.parametrize(
    "text",
    [
        "0912 345 678",
        "0912345678",
        "0912.345.678",
        "0912-345-678",
        "+84 912345678",
        "+84912345678",
        "+84 (0) 912 345 678",
        "(+84) 912 345 678",
        "84912345678",
        "84 912 345 678",
        "0084 912 345 678",
        "(091) 234-5678",
        "912345678",  # the leading 0 a spreadsheet cell dropped
        " 0912 345 678\n",
        "0912\u00a0345\u00a0678",
        "０９１２３４５６７８",  # full-width digits from some phone keyboards
    ],
)
def test_normalize_phone_accepts_the_forms_people_write(text: str) -> None:
    assert normalize_phone(text) == "+84912345678"


# The 2018 renumbering of eleven-digit mobile numbers, as published by the ministry.
OFFICIAL_RENUMBERING = {
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036",
    "0167": "037", "0168": "038", "0169": "039",
    "0186": "056", "0188": "058", "0199": "059",
}  # fmt: skip


def test_legacy_prefix_table_is_the_official_renumbering() -> None:
    assert LEGACY_MOBILE_PREFIXES == OFFICIAL_RENUMBERING


@pytest.mark.parametrize(("old", "new"), sorted(OFFICIAL_RENUMBERING.items()))
def test_normalize_phone_converts_eleven_digit_mobile_numbers(old: str, new: str) -> None:
    expected = "+84" + new[1:] + "2345678"
    assert normalize_phone(old + "2345678") == expected
    assert normalize_phone("+84 " + old[1:] + " 234 5678") == expected
    assert normalize_phone("84" + old[1:] + "2345678") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("024 3825 1234", "+842438251234"),  # Hà Nội
        ("028 3825 1234", "+842838251234"),  # Hồ Chí Minh
        ("0204 3825 123", "+842043825123"),  # Bắc Giang
        ("0293 3825 123", "+842933825123"),  # Hậu Giang
        ("+84 24 3825 1234", "+842438251234"),
        ("(024) 3825-1234", "+842438251234"),
    ],
)
def test_normalize_phone_accepts_landlines_with_area_codes(text: str, expected: str) -> None:
    assert normalize_phone(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "-- ()", None])
def test_normalize_phone_refuses_empty_input(text: str | None) -> None:
    assert error_code(text) == "empty"


@pytest.mark.parametrize(
    "text", ["abc", "0912 345 67a", "0912_345_678", "0912345678 ext 12", "+84+912345678", "٠٩١٢"]
)
def test_normalize_phone_refuses_letters_and_symbols(text: str) -> None:
    assert error_code(text) == "invalid_characters"


@pytest.mark.parametrize("text", ["0912\x00345678", "0912\x1b[31m345678", "0912\u200b345678"])
def test_normalize_phone_refuses_control_characters(text: str) -> None:
    assert error_code(text) == "invalid_characters"


@pytest.mark.parametrize("text", ["0912", "091234567", "+84 91234", "12345"])
def test_normalize_phone_refuses_too_short_numbers(text: str) -> None:
    assert error_code(text) == "too_short"


@pytest.mark.parametrize(
    "text", ["091234567890", "0912345678 0987654321", "+84 91234567890", "016234567890"]
)
def test_normalize_phone_refuses_too_long_numbers(text: str) -> None:
    assert error_code(text) == "too_long"


def test_normalize_phone_refuses_very_long_input_before_parsing_it() -> None:
    assert error_code("0" * 10_000) == "too_long"
    assert error_code(" " * 100 + "0912345678") == "too_long"


@pytest.mark.parametrize(
    "text", ["+1 202 555 0143", "+33 1 42 68 53 00", "001 202 555 0143", "+86 138 0013 8000"]
)
def test_normalize_phone_refuses_foreign_numbers(text: str) -> None:
    assert error_code(text) == "not_vietnamese"


@pytest.mark.parametrize("text", ["1900 1234", "1800 1234", "1900 123 456", "067 234 5678"])
def test_normalize_phone_refuses_service_and_voip_numbers(text: str) -> None:
    assert error_code(text) == "unsupported_type"


@pytest.mark.parametrize(
    "text",
    [
        "0112345678",  # no such mobile range
        "0242345678",  # Hà Nội landline one digit short
        "0602345678",  # unallocated 06x range
        "01302345678",  # eleven digits but not a renumbered prefix
    ],
)
def test_normalize_phone_refuses_numbers_outside_vietnams_plan(text: str) -> None:
    assert error_code(text) == "invalid"


def test_normalize_phone_error_names_the_number_it_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_phone("011 234 5678")
    assert caught.value.messages == ["0112345678 không phải là số điện thoại hợp lệ tại Việt Nam."]


def test_normalize_phone_errors_are_vietnamese_and_translatable() -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_phone("")
    assert caught.value.messages == ["Vui lòng nhập số điện thoại."]
    with translation.override("vi"):
        assert str(caught.value.message) == "Vui lòng nhập số điện thoại."


@given(st.text(max_size=60))
def test_normalize_phone_returns_e164_or_refuses_cleanly(text: str) -> None:
    refusal = None
    try:
        result = normalize_phone(text)
    except ValidationError as error:
        refusal = error
    if refusal is not None:
        assert refusal.code
        assert refusal.messages
    else:
        assert result.startswith("+84")
        assert result[1:].isdigit()
        assert len(result) in (12, 13)
        assert normalize_phone(result) == result


@given(st.from_regex(r"0(3[2-9]|5[689]|7[06-9]|8[1-8]|9[0-8])[0-9]{7}", fullmatch=True))
def test_normalize_phone_is_idempotent_on_valid_mobile_numbers(number: str) -> None:
    normalized = normalize_phone(number)
    assert normalized == "+84" + number[1:]
    assert normalize_phone(normalized) == normalized


def _by_full_parse(national: str) -> str | None:
    """What phonenumbers alone says of a national number: E.164 for a valid mobile or
    landline, None for anything else."""
    import phonenumbers

    try:
        parsed = phonenumbers.parse("0" + national, "VN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number_for_region(parsed, "VN"):
        return None
    if phonenumbers.number_type(parsed) not in phone_module._ACCEPTED_TYPES:
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@given(st.from_regex(r"[1-9][0-9]{8,9}", fullmatch=True))
def test_fast_mobile_path_agrees_with_the_full_parse(national: str) -> None:
    matcher = phone_module._PLAIN_MOBILE
    assert matcher is not None
    if matcher.match(national):
        assert _by_full_parse(national) == "+84" + national


@pytest.mark.parametrize("first_three", [f"{number:03d}" for number in range(100, 1000)])
def test_fast_mobile_path_takes_exactly_the_mobiles_the_full_parse_takes(first_three: str) -> None:
    """Every three-digit start, with a few endings: the fast path accepts a nine-digit number
    exactly when phonenumbers calls it a valid mobile, so it never accepts what the parse
    refuses and leaves to the parse only what is not a plain mobile."""
    import phonenumbers

    matcher = phone_module._PLAIN_MOBILE
    assert matcher is not None
    for ending in ("000000", "123456", "999999"):
        national = first_three + ending
        parsed = phonenumbers.parse("0" + national, "VN")
        is_mobile = phonenumbers.is_valid_number_for_region(parsed, "VN") and (
            phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE
        )
        assert bool(matcher.match(national)) == is_mobile, national
