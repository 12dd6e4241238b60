"""The fields an import fills and the column names spreadsheets use for them.

Headers are compared folded (``nongsan.common.text.fold``) with punctuation turned to spaces,
so "Họ và tên chủ hộ", "HO VA TEN CHU HO" and "ho_va_ten" all name the household head.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nongsan.common.text import fold

IGNORED = ""

# Field key → label (shown in the mapping page, the reports and error messages).
FIELDS = {
    "head_name": gettext_lazy("Họ tên chủ hộ"),
    "phone": gettext_lazy("Số điện thoại"),
    "citizen_id": gettext_lazy("Số CCCD"),
    "address": gettext_lazy("Địa chỉ"),
    "village": gettext_lazy("Thôn / xóm / ấp"),
    "commune": gettext_lazy("Xã / phường"),
    "district": gettext_lazy("Huyện (cũ)"),
    "province": gettext_lazy("Tỉnh / thành phố"),
    "main_produce": gettext_lazy("Sản phẩm chính"),
    "farm_area_hectares": gettext_lazy("Diện tích (ha)"),
    "bank": gettext_lazy("Ngân hàng"),
    "bank_account_number": gettext_lazy("Số tài khoản"),
    "bank_account_holder": gettext_lazy("Chủ tài khoản"),
    "consent": gettext_lazy("Đồng ý"),
    "external_reference": gettext_lazy("Mã hộ"),
}

# English keys accepted by ``--map`` besides the field keys themselves.
_FIELD_ALIASES = {
    "name": "head_name",
    "cccd": "citizen_id",
    "area": "farm_area_hectares",
    "produce": "main_produce",
    "account": "bank_account_number",
    "holder": "bank_account_holder",
    "reference": "external_reference",
}

_SYNONYMS = {
    "head_name": [
        "họ và tên chủ hộ", "họ tên chủ hộ", "họ và tên", "họ tên", "tên chủ hộ", "chủ hộ",
        "tên hộ", "name", "full name", "head name", "household head", "head of household",
    ],
    "phone": [
        "số điện thoại", "điện thoại", "sđt", "số đt", "đt", "đtdđ", "di động", "phone",
        "phone number", "mobile", "tel",
    ],
    "citizen_id": [
        "cccd", "số cccd", "số cmnd/cccd", "cmnd/cccd", "cmnd", "số cmnd", "căn cước",
        "số căn cước", "căn cước công dân", "số định danh", "citizen id", "id number",
    ],
    "address": ["địa chỉ", "địa chỉ thường trú", "nơi ở", "nơi cư trú", "address"],
    "village": [
        "thôn/xóm/ấp", "thôn", "xóm", "ấp", "bản", "thôn/xóm", "thôn/ấp", "thôn/bản",
        "tổ dân phố", "village", "hamlet",
    ],
    "commune": [
        "xã/phường", "xã", "phường", "xã/phường/thị trấn", "xã/phường/đặc khu", "xã phường",
        "commune", "ward", "commune/ward",
    ],
    "district": ["huyện", "quận/huyện", "huyện/quận", "huyện/thị xã", "district"],
    "province": ["tỉnh", "tỉnh/thành phố", "tỉnh/tp", "tỉnh thành", "province", "city/province"],
    "main_produce": [
        "sản phẩm chính", "sản phẩm", "nông sản chính", "cây trồng chính", "cây trồng/vật nuôi",
        "main produce", "produce", "product",
    ],
    "farm_area_hectares": [
        "diện tích (ha)", "diện tích", "diện tích canh tác", "diện tích canh tác (ha)",
        "area", "area (ha)", "farm area", "farm area (ha)",
    ],
    "bank": ["ngân hàng", "tên ngân hàng", "bank", "bank name"],
    "bank_account_number": ["số tài khoản", "stk", "số tk", "account number", "bank account"],
    "bank_account_holder": ["chủ tài khoản", "tên chủ tài khoản", "account holder"],
    "consent": [
        "đồng ý", "đã đồng ý", "đồng ý lưu thông tin", "hộ đồng ý", "consent", "agreed",
    ],
    "external_reference": ["mã hộ", "mã tham chiếu", "reference", "household code"],
}  # fmt: skip

_PUNCTUATION = re.compile(r"[^\w]+|_")
_PARENTHESES = re.compile(r"\([^)]*\)|\*")


def header_key(text: str) -> str:
    """A header as compared: folded, punctuation and spaces collapsed to single spaces."""
    return " ".join(_PUNCTUATION.sub(" ", fold(text)).split())


_FIELD_OF_KEY = {header_key(name): field for field, names in _SYNONYMS.items() for name in names}
_FIELD_OF_KEY.update({header_key(field): field for field in FIELDS})


def field_for_header(header: str) -> str | None:
    """The field a header names, or None: tried as written, then without "(...)" and "*"."""
    field = _FIELD_OF_KEY.get(header_key(header))
    if field is None:
        field = _FIELD_OF_KEY.get(header_key(_PARENTHESES.sub(" ", header)))
    return field


def is_known_column(header: str) -> bool:
    return field_for_header(header) is not None


def guess_mapping(headers: Iterable[str]) -> dict[str, str]:
    """Header → field for the headers recognised; each field taken by its first column."""
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for header in headers:
        field = field_for_header(header)
        if field is not None and field not in taken:
            mapping[header] = field
            taken.add(field)
    return mapping


def field_key(text: str) -> str | None:
    """A field named in ``--map`` or a form: its key, an English alias or its label."""
    key = header_key(text).replace(" ", "_")
    if key in FIELDS:
        return key
    if key in _FIELD_ALIASES:
        return _FIELD_ALIASES[key]
    return field_for_header(text)


def parse_mapping_option(text: str, headers: Iterable[str]) -> dict[str, str]:
    """``"Cột A=phone,Cột B=name"`` → {header: field}; a ``-`` or empty field ignores a column.

    Headers are matched folded; an unknown header or field raises ValueError in Vietnamese.
    """
    by_key = {header_key(header): header for header in headers}
    mapping: dict[str, str] = {}
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        if "=" not in part:
            raise ValueError(_("«%(part)s» phải có dạng Cột=trường.") % {"part": part})
        column, _separator, target = (piece.strip() for piece in part.rpartition("="))
        header = by_key.get(header_key(column))
        if header is None:
            raise ValueError(_("Không có cột «%(column)s» trong tệp.") % {"column": column})
        if target in ("", "-"):
            mapping[header] = IGNORED
            continue
        field = field_key(target)
        if field is None:
            raise ValueError(
                _("Không biết trường «%(field)s»; các trường: %(fields)s.")
                % {"field": target, "fields": ", ".join(FIELDS)}
            )
        mapping[header] = field
    return mapping


def combine_mapping(guessed: Mapping[str, str], overrides: Mapping[str, str]) -> dict[str, str]:
    """The guess with the overrides applied: a field chosen for one column leaves the others."""
    chosen = {field for field in overrides.values() if field}
    mapping = {
        header: field
        for header, field in guessed.items()
        if header not in overrides and field not in chosen
    }
    mapping.update({header: field for header, field in overrides.items() if field})
    return mapping


def mapping_problems(mapping: Mapping[str, str]) -> list[str]:
    """What a mapping lacks or repeats, in Vietnamese (empty when it can be used)."""
    problems: list[str] = []
    fields = [field for field in mapping.values() if field]
    unknown = [field for field in fields if field not in FIELDS]
    if unknown:
        problems.append(_("Trường không hợp lệ: %(fields)s.") % {"fields": ", ".join(unknown)})
    for field in sorted({field for field in fields if fields.count(field) > 1}):
        problems.append(
            _("Trường «%(field)s» được chọn cho nhiều cột.") % {"field": FIELDS.get(field, field)}
        )
    if "head_name" not in fields:
        problems.append(_("Hãy chọn cột chứa họ tên chủ hộ."))
    if "phone" not in fields:
        problems.append(_("Hãy chọn cột chứa số điện thoại."))
    if not {"address", "commune"} & set(fields):
        problems.append(_("Hãy chọn cột địa chỉ hoặc cột xã / phường."))
    if "consent" not in fields:
        problems.append(
            _("Hãy chọn cột «Đồng ý»: không thể đăng ký hộ khi không biết hộ đã đồng ý hay chưa.")
        )
    return problems
