"""VietQR: the NAPAS bank-transfer QR code, an EMVCo merchant-presented payload.

A payload is a run of TLV fields — a two-digit ID, a two-digit length, the value — ending with
a CRC. :func:`build_payload` writes the fields a banking app needs to pre-fill a transfer to
an account (NAPAS 247 "QRIBFTTA", transfer to an account number); :func:`parse_payload` reads
any payload back into its fields and checks its CRC. See docs/decisions/0019-payments-vietqr.md.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nongsan.producers.banks import bank_by_bin

NAPAS_GUID = "A000000727"
SERVICE_TRANSFER_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
# EMVCo Additional Data Field, sub-ID 08 "Purpose of Transaction": at most 25 characters.
PURPOSE_MAX_LENGTH = 25
AMOUNT_MAX_DIGITS = 13
_ACCOUNT_NUMBER = re.compile(r"[0-9]{6,19}")
_BIN = re.compile(r"[0-9]{6}")
# What bank apps keep of a transfer description: unaccented letters, digits and spaces.
_PURPOSE_KEEP = re.compile(r"[^A-Za-z0-9 ]")
_D_LETTERS = str.maketrans({"đ": "d", "Đ": "D"})


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR)."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def _field(field_id: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"a VietQR field holds at most 99 characters: {field_id}")
    return f"{field_id}{len(value):02d}{value}"


def fold_purpose(text: str) -> str:
    """The transfer description as bank apps keep it: no diacritics, letters, digits, spaces.

    Vietnamese letters lose their marks (``Đơn hàng`` → ``Don hang``); other punctuation
    becomes a space; runs of spaces collapse. A character that has no ASCII letter in it
    (an emoji, a Chinese character, a control character) is refused rather than dropped, so
    the description a person wrote never changes meaning silently.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_D_LETTERS))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    for char in stripped:
        if not char.isascii() or (not char.isprintable() and not char.isspace()):
            raise ValidationError(
                _("Nội dung chuyển khoản có ký tự không dùng được: %(char)s.")
                % {"char": repr(char)},
                code="purpose_character",
            )
    return " ".join(_PURPOSE_KEEP.sub(" ", stripped).split())


def _checked_bin(bank_bin: str) -> str:
    bank_bin = str(bank_bin or "").strip()
    if not _BIN.fullmatch(bank_bin):
        raise ValidationError(
            _("Mã ngân hàng (BIN) phải gồm đúng 6 chữ số."), code="bank_bin_format"
        )
    if bank_by_bin(bank_bin) is None:
        raise ValidationError(
            _("Ngân hàng %(bin)s không có trong danh sách ngân hàng.") % {"bin": bank_bin},
            code="unknown_bank",
        )
    return bank_bin


def _checked_account(account_number: str) -> str:
    account_number = str(account_number or "").strip()
    if not _ACCOUNT_NUMBER.fullmatch(account_number):
        raise ValidationError(
            _("Số tài khoản phải gồm từ 6 đến 19 chữ số."), code="account_number_format"
        )
    return account_number


def _checked_amount(amount: object) -> str:
    # bool is an int in Python; a True amount is a programming mistake, refused like text.
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValidationError(
            _("Số tiền phải là số nguyên đồng, không có phần lẻ."), code="amount_type"
        )
    if amount <= 0:
        raise ValidationError(_("Số tiền phải lớn hơn 0 đồng."), code="amount_not_positive")
    if len(str(amount)) > AMOUNT_MAX_DIGITS:
        raise ValidationError(
            _("Số tiền dài quá %(digits)s chữ số.") % {"digits": AMOUNT_MAX_DIGITS},
            code="amount_too_large",
        )
    return str(amount)


def build_payload(
    bank_bin: str, account_number: str, amount: int | None = None, purpose: str | None = None
) -> str:
    """The VietQR text for a transfer to ``account_number`` at the bank ``bank_bin``.

    Without ``amount`` the code is static (point of initiation ``11``: the payer types the
    amount); with one it is dynamic (``12``) and carries the amount in whole đồng. ``purpose``
    (the transfer description, e.g. an order reference) is folded to unaccented ASCII and cut
    to 25 characters. Bad input raises ``ValidationError`` with a Vietnamese message.

    >>> build_payload("970415", "0011001932418", 120000, "ung ho lu lut")[-4:]
    'C15C'
    """
    bank_bin = _checked_bin(bank_bin)
    account_number = _checked_account(account_number)
    amount_text = _checked_amount(amount) if amount is not None else ""
    purpose_text = fold_purpose(purpose)[:PURPOSE_MAX_LENGTH].strip() if purpose else ""
    beneficiary = _field("00", bank_bin) + _field("01", account_number)
    merchant_account = (
        _field("00", NAPAS_GUID)
        + _field("01", beneficiary)
        + _field("02", SERVICE_TRANSFER_TO_ACCOUNT)
    )
    payload = (
        _field("00", "01")
        + _field("01", "12" if amount_text else "11")
        + _field("38", merchant_account)
        + _field("53", CURRENCY_VND)
        + (_field("54", amount_text) if amount_text else "")
        + _field("58", COUNTRY_VN)
        + (_field("62", _field("08", purpose_text)) if purpose_text else "")
        + "6304"
    )
    return payload + f"{crc16_ccitt_false(payload.encode('ascii')):04X}"


@dataclass(frozen=True)
class ParsedPayload:
    """What a VietQR payload says, read back (for tests, and to check a code before showing it)."""

    fields: dict[str, str]
    bank_bin: str
    account_number: str
    service: str
    amount: int | None
    purpose: str
    is_dynamic: bool


def _split_fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    position = 0
    while position < len(text):
        header = text[position : position + 4]
        if len(header) < 4 or not header.isdigit():
            raise ValidationError(_("Mã VietQR bị hỏng."), code="malformed")
        length = int(header[2:])
        value = text[position + 4 : position + 4 + length]
        if len(value) != length:
            raise ValidationError(_("Mã VietQR bị hỏng."), code="malformed")
        fields[header[:2]] = value
        position += 4 + length
    return fields


def parse_payload(payload: str) -> ParsedPayload:
    """Read a VietQR payload back; a wrong CRC or a broken field raises ``ValidationError``."""
    if not payload.isascii() or len(payload) < 8 or payload[-8:-4] != "6304":
        raise ValidationError(_("Mã VietQR bị hỏng."), code="malformed")
    expected = f"{crc16_ccitt_false(payload[:-4].encode('ascii')):04X}"
    if payload[-4:].upper() != expected:
        raise ValidationError(_("Mã VietQR sai mã kiểm tra (CRC)."), code="crc")
    fields = _split_fields(payload[:-8])
    merchant = _split_fields(fields.get("38", ""))
    if merchant.get("00") != NAPAS_GUID:
        raise ValidationError(_("Mã QR này không phải mã VietQR."), code="not_vietqr")
    beneficiary = _split_fields(merchant.get("01", ""))
    additional = _split_fields(fields.get("62", ""))
    return ParsedPayload(
        fields=fields,
        bank_bin=beneficiary.get("00", ""),
        account_number=beneficiary.get("01", ""),
        service=merchant.get("02", ""),
        amount=int(fields["54"]) if "54" in fields else None,
        purpose=additional.get("08", ""),
        is_dynamic=fields.get("01") == "12",
    )


def render_svg(payload: str, *, scale: int = 4) -> str:
    """The QR code as an inline SVG element (segno), for the order's payment page."""
    import segno

    return str(segno.make(payload, error="m").svg_inline(scale=scale, border=2))
