"""Citizen ID (CCCD) numbers: structure, parts, masking and clear Vietnamese errors."""

from __future__ import annotations

import csv
import dataclasses
import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from nongsan.common.identity import (
    CITIZEN_ID_PROVINCE_CODES,
    CitizenId,
    Sex,
    mask_citizen_id,
    parse_citizen_id,
)

TODAY = datetime.date(2026, 11, 23)
LEGACY_COMMUNES = (
    Path(settings.BASE_DIR).parent
    / "shared"
    / "data"
    / "admin-units"
    / "legacy-communes-2025-01-04.csv"
)


def error_code(text: object, today: datetime.date = TODAY) -> str | None:
    with pytest.raises(ValidationError) as caught:
        parse_citizen_id(text, today=today)  # type: ignore[arg-type]
    return caught.value.code


def test_parse_citizen_id_returns_its_parts() -> None:
    citizen_id = parse_citizen_id("001095012345", today=TODAY)

    assert citizen_id == CitizenId(
        province_code="001", sex=Sex.MALE, birth_year=1995, serial="012345", number="001095012345"
    )
    assert citizen_id.province_name == "Hà Nội"
    assert citizen_id.masked == "001*******45"


def test_citizen_id_is_frozen() -> None:
    citizen_id = parse_citizen_id("001095012345", today=TODAY)
    with pytest.raises(dataclasses.FrozenInstanceError):
        citizen_id.birth_year = 2000  # type: ignore[misc]


@pytest.mark.parametrize(
    ("century_sex", "sex", "birth_year"),
    [
        ("0", Sex.MALE, 1995),
        ("1", Sex.FEMALE, 1995),
        ("2", Sex.MALE, 2095),
        ("3", Sex.FEMALE, 2095),
        ("4", Sex.MALE, 2195),
        ("5", Sex.FEMALE, 2195),
        ("6", Sex.MALE, 2295),
        ("7", Sex.FEMALE, 2295),
        ("8", Sex.MALE, 2395),
        ("9", Sex.FEMALE, 2395),
    ],
)
def test_fourth_digit_gives_century_and_sex(century_sex: str, sex: Sex, birth_year: int) -> None:
    far_future = datetime.date(2400, 1, 1)
    citizen_id = parse_citizen_id("079" + century_sex + "95123456", today=far_future)
    assert (citizen_id.sex, citizen_id.birth_year) == (sex, birth_year)


@pytest.mark.parametrize(
    ("text", "birth_year"),
    [
        ("036200000001", 2000),
        ("036299000001", 2099),
        ("096300123456", 2000),
        ("001000999999", 1900),
    ],
)
def test_fifth_and_sixth_digits_give_the_year_within_the_century(
    text: str, birth_year: int
) -> None:
    assert parse_citizen_id(text, today=datetime.date(2100, 1, 1)).birth_year == birth_year


@pytest.mark.parametrize(
    "text",
    ["001 095 012 345", "001.095.012.345", " 001095012345 ", "001\u00a0095\u00a0012\u00a0345"],
)
def test_parse_citizen_id_tolerates_spaces_and_dots(text: str) -> None:
    assert parse_citizen_id(text, today=TODAY).number == "001095012345"


def test_province_codes_are_the_63_legacy_provinces_zero_padded() -> None:
    assert len(CITIZEN_ID_PROVINCE_CODES) == 63
    assert min(CITIZEN_ID_PROVINCE_CODES) == "001"
    assert max(CITIZEN_ID_PROVINCE_CODES) == "096"
    assert {"001", "079", "048", "092", "096"} <= CITIZEN_ID_PROVINCE_CODES.keys()


@pytest.mark.skipif(not LEGACY_COMMUNES.is_file(), reason="../shared is not present")
def test_province_codes_match_the_statistics_office_table() -> None:
    with LEGACY_COMMUNES.open(encoding="utf-8") as file:
        province_codes = {row[1].zfill(3) for row in list(csv.reader(file))[1:]}
    assert set(CITIZEN_ID_PROVINCE_CODES) == province_codes


@pytest.mark.parametrize("province_code", sorted(CITIZEN_ID_PROVINCE_CODES))
def test_every_province_code_is_accepted(province_code: str) -> None:
    assert parse_citizen_id(province_code + "190123456", today=TODAY).province_code == province_code


@pytest.mark.parametrize("province_code", ["000", "003", "005", "013", "050", "097", "099", "100"])
def test_codes_that_are_no_province_are_refused(province_code: str) -> None:
    assert error_code(province_code + "095012345") == "unknown_province"


def test_unknown_province_error_names_the_code() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_citizen_id("003095012345", today=TODAY)
    assert caught.value.messages == ["Số CCCD không hợp lệ: 003 không phải là mã tỉnh, thành phố."]


def test_birth_year_in_the_future_is_refused() -> None:
    assert error_code("001227012345", today=TODAY) == "future_birth_year"
    assert parse_citizen_id("001226012345", today=TODAY).birth_year == 2026
    with pytest.raises(ValidationError) as caught:
        parse_citizen_id("001227012345", today=TODAY)
    assert caught.value.messages == ["Số CCCD không hợp lệ: năm sinh 2027 chưa tới."]


def test_birth_year_defaults_to_being_checked_against_today(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        "nongsan.common.identity.timezone.localdate", lambda: datetime.date(2010, 6, 1)
    )
    assert parse_citizen_id("001210012345").birth_year == 2010
    assert error_code_without_today("001211012345") == "future_birth_year"


def error_code_without_today(text: str) -> str | None:
    with pytest.raises(ValidationError) as caught:
        parse_citizen_id(text)
    return caught.value.code


@pytest.mark.parametrize("text", ["", "   ", " . . ", None])
def test_empty_input_is_refused(text: str | None) -> None:
    assert error_code(text) == "empty"


@pytest.mark.parametrize(
    "text",
    ["00109501234a", "001-095-012-345", "001_095_012_345", "CCCD 001095012345", "001095012345\x00"],
)
def test_letters_and_other_separators_are_refused(text: str) -> None:
    assert error_code(text) == "invalid_characters"


@pytest.mark.parametrize("text", ["٠٠١٠٩٥٠١٢٣٤٥", "００１０９５０１２３４５"])
def test_digits_of_other_scripts_are_refused(text: str) -> None:
    assert error_code(text) == "invalid_characters"


@pytest.mark.parametrize("text", ["00109501234", "0010950123456", "1", "00109501234567890"])
def test_wrong_length_is_refused_and_counted(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_citizen_id(text, today=TODAY)
    assert caught.value.code == "wrong_length"
    assert f"có {len(text)} chữ số" in caught.value.messages[0]


def test_nine_digit_identity_card_number_gets_its_own_message() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_citizen_id("012345678", today=TODAY)
    assert caught.value.code == "old_identity_card"
    assert "CMND" in caught.value.messages[0]


def test_very_long_input_is_refused_before_parsing() -> None:
    assert error_code("1" * 100_000) == "too_long"


@given(st.text(max_size=40))
def test_parse_citizen_id_returns_parts_or_refuses_cleanly(text: str) -> None:
    refusal = None
    try:
        citizen_id = parse_citizen_id(text, today=TODAY)
    except ValidationError as error:
        refusal = error
    if refusal is not None:
        assert refusal.code
        assert refusal.messages
    else:
        assert len(citizen_id.number) == 12
        assert citizen_id.province_code in CITIZEN_ID_PROVINCE_CODES
        assert citizen_id.birth_year <= TODAY.year


@given(
    st.sampled_from(sorted(CITIZEN_ID_PROVINCE_CODES)),
    st.integers(min_value=1900, max_value=TODAY.year),
    st.sampled_from(list(Sex)),
    st.from_regex(r"[0-9]{6}", fullmatch=True),
)
def test_parse_citizen_id_reads_back_what_was_encoded(
    province_code: str, birth_year: int, sex: Sex, serial: str
) -> None:
    century_sex = 2 * ((birth_year - 1900) // 100) + (1 if sex == Sex.FEMALE else 0)
    number = f"{province_code}{century_sex}{birth_year % 100:02d}{serial}"

    citizen_id = parse_citizen_id(number, today=TODAY)

    assert (citizen_id.province_code, citizen_id.birth_year, citizen_id.sex) == (
        province_code,
        birth_year,
        sex,
    )
    assert citizen_id.serial == serial
    assert citizen_id.number == number


# mask_citizen_id


def test_mask_citizen_id_shows_first_three_and_last_two_digits() -> None:
    assert mask_citizen_id("001095012345") == "001*******45"
    assert mask_citizen_id("001 095 012 345") == "001*******45"


@pytest.mark.parametrize("text", ["12345", "0010950123456", "00109501234a", "abcdefghijkl"])
def test_mask_citizen_id_hides_anything_that_is_not_a_citizen_id_entirely(text: str) -> None:
    assert mask_citizen_id(text) == "************"


@pytest.mark.parametrize("text", ["", None])
def test_mask_citizen_id_of_nothing_is_nothing(text: str | None) -> None:
    assert mask_citizen_id(text) == ""


@given(st.from_regex(r"[0-9]{12}", fullmatch=True))
def test_masked_number_never_shows_the_middle_seven_digits(number: str) -> None:
    masked = mask_citizen_id(number)
    assert len(masked) == 12
    assert masked[3:10] == "*******"
    assert masked[:3] + masked[10:] == number[:3] + number[10:]
