"""Checks on values the registry stores: growing-area codes, bank accounts, consent photos."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from nongsan.producers.banks import bank_by_bin

GROWING_AREA_CODE_MAX_LENGTH = 40
_GROWING_AREA_CODE = re.compile(r"[A-Z0-9]+(?:[-.][A-Z0-9]+)*")
_ACCOUNT_NUMBER = re.compile(r"[0-9]{6,19}")
CONSENT_PHOTO_MAX_BYTES = 8 * 1024 * 1024
# The first bytes of the image formats a phone camera or scanner writes.
_IMAGE_SIGNATURES = (
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"RIFF", "webp"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)


def normalize_growing_area_code(text: str) -> str:
    """A growing-area code as printed (``VN-BG-LN-001``): upper case, no surrounding space."""
    return re.sub(r"\s+", "", str(text or "")).upper()


def validate_growing_area_code(value: str) -> None:
    """Loosely: letters, digits, dashes or dots between them, at most 40 characters.

    Provinces issue codes in several formats (Department of Plant Protection guidance
    3156/BVTV-KD and local variants), so only the characters are checked.
    """
    if not value:
        raise ValidationError(_("Vui lòng nhập mã số vùng trồng."), code="empty")
    if len(value) > GROWING_AREA_CODE_MAX_LENGTH:
        raise ValidationError(_("Mã số vùng trồng dài tối đa 40 ký tự."), code="too_long")
    if not _GROWING_AREA_CODE.fullmatch(value):
        raise ValidationError(
            _(
                "Mã số vùng trồng chỉ gồm chữ cái không dấu, chữ số và dấu gạch ngang, "
                "ví dụ VN-BG-001."
            ),
            code="invalid",
        )


def validate_bank_bin(value: str) -> None:
    if value and bank_by_bin(value) is None:
        raise ValidationError(
            _("Ngân hàng %(bin)s không có trong danh sách ngân hàng."),
            code="unknown_bank",
            params={"bin": value},
        )


def normalize_account_number(text: str) -> str:
    return re.sub(r"[\s.\-]", "", str(text or ""))


def validate_account_number(value: str) -> None:
    if value and not _ACCOUNT_NUMBER.fullmatch(value):
        raise ValidationError(
            _("Số tài khoản ngân hàng gồm từ 6 đến 19 chữ số."), code="invalid_account"
        )


def validate_consent_photo(upload: Any) -> None:
    """A photo of the signed paper: a JPEG, PNG, WebP or GIF image of at most 8 MB.

    The file's own first bytes decide, not its name or the browser's word for it.
    """
    size = getattr(upload, "size", None) or 0
    if size > CONSENT_PHOTO_MAX_BYTES:
        raise ValidationError(_("Ảnh giấy đồng ý quá lớn: tối đa 8 MB."), code="too_large")
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(12)
    upload.seek(position)
    for signature, kind in _IMAGE_SIGNATURES:
        if head.startswith(signature) and (kind != "webp" or head[8:12] == b"WEBP"):
            return
    raise ValidationError(
        _("Tệp tải lên không phải là ảnh (JPEG, PNG, WebP hoặc GIF)."), code="not_an_image"
    )
