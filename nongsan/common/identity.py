"""Citizen ID numbers (CCCD): structural validation and masking.

A CCCD number has 12 digits (Circular 07/2016/TT-BCA, then 59/2021/TT-BCA): the code of the
province of birth registration (3 digits), a digit for century and sex, the last two digits
of the birth year, and 6 random digits. Structure is all that can be checked offline; whether
the number was ever issued is for the national population database to say.
"""

from __future__ import annotations

import dataclasses
import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = [
    "CITIZEN_ID_PROVINCE_CODES",
    "CitizenId",
    "Sex",
    "mask_citizen_id",
    "parse_citizen_id",
]

# The province codes of the CCCD scheme: the statistics office's two-digit codes of the 63
# provinces before the 2025 reform, zero-padded. The 34 provinces after the reform kept codes
# from this list, so numbers issued with either geography pass.
CITIZEN_ID_PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang",
    "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long", "087": "Đồng Tháp",
    "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
    "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip

CITIZEN_ID_LENGTH = 12
# Longer input than a number with a separator between every digit is not worth parsing.
MAX_INPUT_LENGTH = 2 * CITIZEN_ID_LENGTH + 8
_SEPARATORS = re.compile(r"[ .\u00a0]")


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


@dataclasses.dataclass(frozen=True)
class CitizenId:
    """A structurally valid CCCD number and what its digits say."""

    province_code: str
    sex: Sex
    birth_year: int
    serial: str
    number: str

    @property
    def province_name(self) -> str:
        return CITIZEN_ID_PROVINCE_CODES[self.province_code]

    @property
    def masked(self) -> str:
        return mask_citizen_id(self.number)


def parse_citizen_id(text: str, *, today: datetime.date | None = None) -> CitizenId:
    """Validate a 12-digit CCCD number by its structure and return its parts.

    Spaces and dots between digits are tolerated (``001 095 012 345``); anything else raises
    ValidationError with a Vietnamese message. ``today`` (default: today in Vietnam) bounds
    the birth year, so tests can fix it.
    """
    raw = "" if text is None else str(text)
    if len(raw) > MAX_INPUT_LENGTH:
        raise ValidationError(_("Số CCCD quá dài: số CCCD gồm 12 chữ số."), code="too_long")
    number = _SEPARATORS.sub("", raw)
    if not number:
        raise ValidationError(_("Vui lòng nhập số CCCD."), code="empty")
    if not re.fullmatch(r"[0-9]+", number):
        raise ValidationError(
            _("Số CCCD chỉ gồm chữ số, ví dụ 001 095 012 345."), code="invalid_characters"
        )
    if len(number) == 9:
        raise ValidationError(
            _("Đây là số CMND cũ (9 chữ số); vui lòng nhập số CCCD 12 chữ số."),
            code="old_identity_card",
        )
    if len(number) != CITIZEN_ID_LENGTH:
        raise ValidationError(
            _("Số CCCD gồm đúng 12 chữ số; số đã nhập có %(count)d chữ số."),
            code="wrong_length",
            params={"count": len(number)},
        )
    province_code, century_sex, year_digits, serial = (
        number[:3],
        int(number[3]),
        number[4:6],
        number[6:],
    )
    if province_code not in CITIZEN_ID_PROVINCE_CODES:
        raise ValidationError(
            _("Số CCCD không hợp lệ: %(code)s không phải là mã tỉnh, thành phố."),
            code="unknown_province",
            params={"code": province_code},
        )
    # 0/1: born 1900-1999, male/female; 2/3: 2000-2099; and so on to 8/9: 2300-2399.
    birth_year = 1900 + 100 * (century_sex // 2) + int(year_digits)
    today = today or timezone.localdate()
    if birth_year > today.year:
        raise ValidationError(
            _("Số CCCD không hợp lệ: năm sinh %(year)d chưa tới."),
            code="future_birth_year",
            params={"year": birth_year},
        )
    sex = Sex.MALE if century_sex % 2 == 0 else Sex.FEMALE
    return CitizenId(
        province_code=province_code,
        sex=sex,
        birth_year=birth_year,
        serial=serial,
        number=number,
    )


def mask_citizen_id(number: str | None) -> str:
    """Show a CCCD number as ``001*******45`` so a screen or export never reveals it whole.

    Anything that is not 12 digits (after removing spaces and dots) is masked entirely, as
    twelve stars, so that even its length leaks nothing; None and "" give "".
    """
    if not number:
        return ""
    digits = _SEPARATORS.sub("", str(number))
    if len(digits) != CITIZEN_ID_LENGTH or not re.fullmatch(r"[0-9]+", digits):
        return "*" * CITIZEN_ID_LENGTH
    return digits[:3] + "*" * 7 + digits[-2:]
