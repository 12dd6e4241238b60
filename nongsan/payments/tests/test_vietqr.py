"""VietQR payloads: known-good vectors, the CRC recomputed independently, TLV read back."""

from __future__ import annotations

import binascii

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from nongsan.payments.vietqr import (
    PURPOSE_MAX_LENGTH,
    build_payload,
    crc16_ccitt_false,
    fold_purpose,
    parse_payload,
)
from nongsan.producers.banks import banks

# Published by others and checked here: a transfer of 120.000 ₫ to VietinBank, and one of
# 1.943.000 ₫ to Vietcombank (the CRCs agree with binascii's CRC-CCITT, below).
VIETINBANK_VECTOR = (
    "00020101021238570010A0000007270127000697041501130011001932418"
    "0208QRIBFTTA530370454061200005802VN62170813ung ho lu lut6304C15C"
)
VIETCOMBANK_VECTOR = (
    "00020101021238540010A00000072701240006970436011010234567890208QRIBFTTA"
    "5303704540719430005802VN62120808TT0000696304A8E5"
)


def _independent_crc(text: str) -> str:
    # binascii.crc_hqx is CRC-CCITT with a chosen start; 0xFFFF makes it CCITT-FALSE.
    return f"{binascii.crc_hqx(text.encode('ascii'), 0xFFFF):04X}"


def test_the_crc_is_ccitt_false_with_its_standard_check_value():
    assert crc16_ccitt_false(b"123456789") == 0x29B1


def test_the_published_vectors_have_the_crc_binascii_computes():
    for vector in (VIETINBANK_VECTOR, VIETCOMBANK_VECTOR):
        assert vector[-4:] == _independent_crc(vector[:-4])


def test_build_payload_reproduces_a_vietinbank_transfer():
    assert build_payload("970415", "0011001932418", 120000, "ung ho lu lut") == VIETINBANK_VECTOR


def test_build_payload_reproduces_a_vietcombank_transfer():
    assert build_payload("970436", "1023456789", 1943000, "TT000069") == VIETCOMBANK_VECTOR


def test_a_payload_without_amount_is_static_and_has_no_amount_field():
    payload = build_payload("970405", "1234567890")
    parsed = parse_payload(payload)
    assert payload.startswith("000201010211")
    assert (parsed.is_dynamic, parsed.amount, parsed.purpose) == (False, None, "")
    assert "54" not in parsed.fields
    assert "62" not in parsed.fields
    assert payload[-4:] == _independent_crc(payload[:-4])


def test_a_payload_with_amount_is_dynamic_and_reads_back():
    payload = build_payload("970405", "1234567890", 45000, "DH 123")
    parsed = parse_payload(payload)
    assert payload.startswith("000201010212")
    assert parsed.fields["00"] == "01"
    assert parsed.fields["53"] == "704"
    assert parsed.fields["58"] == "VN"
    assert parsed.fields["54"] == "45000"
    assert (parsed.bank_bin, parsed.account_number, parsed.service) == (
        "970405",
        "1234567890",
        "QRIBFTTA",
    )
    assert (parsed.amount, parsed.purpose) == (45000, "DH 123")
    assert payload[-8:-4] == "6304"
    assert payload[-4:] == _independent_crc(payload[:-4])


def test_the_purpose_is_folded_to_unaccented_ascii():
    assert fold_purpose("  Thanh toán đơn hàng #NS-12  ") == "Thanh toan don hang NS 12"
    parsed = parse_payload(build_payload("970405", "1234567890", 1000, "Đơn Hàng Vải"))
    assert parsed.purpose == "Don Hang Vai"


def test_a_long_purpose_is_cut_to_the_allowed_length():
    purpose = parse_payload(build_payload("970405", "1234567890", 1000, "x" * 80)).purpose
    assert purpose == "x" * PURPOSE_MAX_LENGTH


def test_a_purpose_with_characters_that_have_no_ascii_form_is_refused():
    for purpose in ("thanh toán 🍊", "付款", "dòng\x00ẩn"):
        with pytest.raises(ValidationError, match="ký tự không dùng được"):
            build_payload("970405", "1234567890", 1000, purpose)


@pytest.mark.parametrize(
    ("bank_bin", "message"),
    [
        ("97040", "đúng 6 chữ số"),
        ("97040A", "đúng 6 chữ số"),
        ("", "đúng 6 chữ số"),
        ("999999", "không có trong danh sách"),
    ],
)
def test_a_bad_bank_bin_is_refused_in_vietnamese(bank_bin, message):
    with pytest.raises(ValidationError, match=message):
        build_payload(bank_bin, "1234567890")


@pytest.mark.parametrize("account", ["12345", "1" * 20, "12 345 678", "ABC123456", ""])
def test_a_bad_account_number_is_refused_in_vietnamese(account):
    with pytest.raises(ValidationError, match="Số tài khoản phải gồm từ 6 đến 19 chữ số"):
        build_payload("970405", account)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (0, "lớn hơn 0"),
        (-5, "lớn hơn 0"),
        (10**13, "quá 13 chữ số"),
        (1.5, "số nguyên đồng"),
        ("45000", "số nguyên đồng"),
        (True, "số nguyên đồng"),
    ],
)
def test_a_bad_amount_is_refused_in_vietnamese(amount, message):
    with pytest.raises(ValidationError, match=message):
        build_payload("970405", "1234567890", amount)


def test_the_largest_amount_fits():
    assert parse_payload(build_payload("970405", "1234567890", 10**13 - 1)).amount == 10**13 - 1


def test_a_changed_character_fails_the_crc():
    tampered = VIETINBANK_VECTOR.replace("120000", "920000")
    with pytest.raises(ValidationError, match="CRC"):
        parse_payload(tampered)


def test_a_truncated_payload_is_refused():
    with pytest.raises(ValidationError):
        parse_payload(VIETINBANK_VECTOR[:30])


@given(
    bank_bin=st.sampled_from(sorted(banks())),
    account=st.from_regex(r"[0-9]{6,19}", fullmatch=True),
    amount=st.none() | st.integers(min_value=1, max_value=10**13 - 1),
    purpose=st.none() | st.text(alphabet=st.characters(codec="ascii", categories=["L", "N", "Zs"])),
)
def test_every_built_payload_parses_back_to_what_was_asked(bank_bin, account, amount, purpose):
    payload = build_payload(bank_bin, account, amount, purpose)
    parsed = parse_payload(payload)
    assert (parsed.bank_bin, parsed.account_number, parsed.amount) == (bank_bin, account, amount)
    assert parsed.purpose == (fold_purpose(purpose)[:PURPOSE_MAX_LENGTH].strip() if purpose else "")
    assert payload[-4:] == _independent_crc(payload[:-4])
