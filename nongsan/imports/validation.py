"""Checking spreadsheet rows before they reach the registry.

Each row is normalised field by field (legacy encodings converted, phone to E.164, citizen ID
checked, the address resolved to one current commune, never guessed), then compared with the
rows above it in the file and with the registry: a household already registered identically
is *unchanged*, one that shares a phone, citizen ID, or folded name in the same commune with
another row or household is a *duplicate*. Rows are checked in batches so the registry is
asked once per batch, not once per row.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nongsan.common.identity import parse_citizen_id
from nongsan.common.phone import normalize_phone
from nongsan.common.text import fold, normalize_spaces
from nongsan.geo.address import STATUS_NEEDS_CHOICE, STATUS_NOT_FOUND, STATUS_RESOLVED
from nongsan.geo.address import resolve_address as geo_resolve_address
from nongsan.geo.models import AdministrativeUnit
from nongsan.imports.columns import FIELDS
from nongsan.imports.formulas import unescape_cell
from nongsan.imports.models import RowStatus
from nongsan.imports.vietnamese_encodings import to_unicode
from nongsan.producers.banks import banks
from nongsan.producers.models import (
    Household,
    HouseholdPhone,
    HouseholdStatus,
    same_name_in_commune,
)
from nongsan.producers.permissions import can_register_in
from nongsan.producers.personal_data import ProtectedCitizenId
from nongsan.producers.validators import normalize_account_number, validate_account_number

BATCH_SIZE = 500
# Kept in a row's data for the import, never shown in a report.
PROTECTED_KEYS = frozenset({"citizen_id_encrypted", "citizen_id_index"})
MAX_FARM_AREA_HECTARES = Decimal("100000")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_YES = {"x", "v", "co", "yes", "y", "1", "true", "dong y", "da dong y", "ok", "✓", "✔", "có"}
_NO = {"", "khong", "no", "n", "0", "false", "chua", "chua dong y", "khong dong y", "-"}
_LIMITS = {"head_name": 150, "village": 120, "main_produce": 200, "bank_account_holder": 100,
           "external_reference": 100, "address": 300}  # fmt: skip


@dataclass
class RowOutcome:
    """One row after validation: its status, errors (each naming its column), data as
    normalised (JSON-safe; the citizen ID only encrypted and masked), legacy cells converted."""

    row_number: int
    status: str = RowStatus.VALID
    errors: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    conversions: list[dict[str, str]] = field(default_factory=list)
    household_id: int | None = None
    # Lookup keys, kept out of ``data`` (the index is a keyed hash of the ID).
    citizen_id_index: str = ""

    def public_household(self) -> dict[str, Any]:
        """The normalised fields a report shows (no encrypted token, no blind index)."""
        return {key: value for key, value in self.data.items() if key not in PROTECTED_KEYS}


def _column_error(column: str, message: str) -> str:
    return _("Cột «%(column)s»: %(message)s") % {"column": column, "message": message}


@lru_cache(maxsize=65536)
def clean_cell(text: str) -> tuple[str, Mapping[str, str] | None]:
    """A cell as the registry should see it: NFC, formula escape undone, legacy text converted.

    Cached: a province's file repeats its communes, villages and produce on every row."""
    text = unescape_cell(text or "")
    if text.isascii():  # already NFC, and legacy encodings live above ASCII
        return text, None
    text = unicodedata.normalize("NFC", text)
    conversion = to_unicode(text)
    if conversion is None:
        return text, None
    return conversion.converted, MappingProxyType(
        {
            "encoding": conversion.encoding,
            "original": conversion.original,
            "converted": conversion.converted,
        }
    )


@lru_cache(maxsize=1)
def _bank_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for bank in banks().values():
        for name in (bank.bin, bank.code, bank.short_name, bank.name):
            if name:
                lookup[fold(name)] = bank.bin
    return lookup


def _bank_bin(text: str) -> str | None:
    return _bank_lookup().get(fold(text))


def _consent_given(text: str) -> bool | None:
    key = " ".join(fold(text).split())
    if key in _YES or key in {fold(word) for word in _YES}:
        return True
    if key in _NO:
        return False
    return None


def _area(text: str) -> tuple[Decimal | None, str]:
    if not text:
        return None, ""
    try:
        area = Decimal(text.replace(" ", "").replace(",", "."))
    except InvalidOperation:
        return None, _("diện tích phải là một số, ví dụ 0,5.")
    if not area.is_finite() or area < 0:
        return None, _("diện tích không được âm.")
    if area > MAX_FARM_AREA_HECTARES:
        return None, _("diện tích quá lớn: tối đa 100.000 ha.")
    if area != area.quantize(Decimal("0.0001")):
        return None, _("diện tích ghi tối đa 4 chữ số thập phân.")
    return area.normalize() if area == area.to_integral() else area, ""


class RowValidator:
    """Validates rows for one acting officer with one mapping, remembering what it saw."""

    def __init__(
        self, *, mapping: Mapping[str, str], actor: Any, today: datetime.date | None = None
    ):
        self.columns = {field: header for header, field in mapping.items() if field}
        self.actor = actor
        self.today = today or timezone.localdate()
        self._addresses: dict[str, Any] = {}
        self._allowed: dict[int, bool] = {}
        self._units: dict[int, AdministrativeUnit] = {}
        self._seen_phone: dict[str, int] = {}
        self._seen_citizen_id: dict[str, int] = {}
        self._seen_name: dict[tuple[str, int], int] = {}

    # -- one row -------------------------------------------------------------------------------
    def _cell(self, row: Mapping[str, str], field_name: str, outcome: RowOutcome) -> str:
        header = self.columns.get(field_name)
        if header is None:
            return ""
        text, conversion = clean_cell(row.get(header, ""))
        if conversion is not None:
            outcome.conversions.append({"column": header, **conversion})
        if _CONTROL_CHARACTERS.search(text):
            outcome.errors.append(_column_error(header, _("có ký tự điều khiển không hợp lệ.")))
            return ""
        limit = _LIMITS.get(field_name)
        text = normalize_spaces(text)
        if limit and len(text) > limit:
            outcome.errors.append(
                _column_error(header, _("quá dài: tối đa %(limit)d ký tự.") % {"limit": limit})
            )
            return text[:limit]
        return text

    def _label(self, field_name: str) -> str:
        return self.columns.get(field_name) or str(FIELDS[field_name])

    def _resolve(self, text: str) -> Any:
        if text not in self._addresses:
            self._addresses[text] = geo_resolve_address(text)
        return self._addresses[text]

    def _may_register_in(self, unit: AdministrativeUnit) -> bool:
        if unit.pk not in self._allowed:
            self._allowed[unit.pk] = can_register_in(self.actor, unit)
        return self._allowed[unit.pk]

    def _address(self, values: dict[str, str], outcome: RowOutcome) -> AdministrativeUnit | None:
        parts = [values["address"]] if values["address"] else []
        written = fold(values["address"])
        for name in ("village", "commune", "district", "province"):
            if values[name] and fold(values[name]) not in written:
                parts.append(values[name])
        label = self._label("address" if values["address"] else "commune")
        if not parts:
            outcome.errors.append(_column_error(label, _("thiếu địa chỉ: không biết hộ ở xã nào.")))
            return None
        text = ", ".join(parts)
        outcome.data["address_as_written"] = text[:300]
        # A village in its own column names no unit: resolving without it lets the rows of one
        # commune share one resolution (the cache is keyed by the text).
        lookup = text
        if not values["address"] and len(parts) > 1 and parts[0] == values["village"]:
            lookup = ", ".join(parts[1:])
        result = self._resolve(lookup)
        candidates = "; ".join(candidate.matched_name for candidate in result.candidates[:5])
        if result.status == STATUS_RESOLVED and result.best is not None:
            unit = result.best.commune
            if not values["village"] and result.village:
                outcome.data["village"] = result.village[:120]
            return unit
        if result.status == STATUS_NEEDS_CHOICE:
            message = _(
                "«%(address)s» là xã cũ đã tách thành nhiều xã mới (%(candidates)s): hãy ghi "
                "rõ xã mới."
            ) % {"address": text, "candidates": candidates}
        elif result.status == STATUS_NOT_FOUND:
            message = _("không tìm thấy xã, phường nào khớp với «%(address)s».") % {"address": text}
        elif candidates:
            message = _(
                "«%(address)s» khớp nhiều xã, phường (%(candidates)s): hãy ghi rõ huyện hoặc tỉnh."
            ) % {"address": text, "candidates": candidates}
        else:
            message = result.message or _("địa chỉ không hợp lệ.")
        outcome.errors.append(_column_error(label, message))
        return None

    def _bank(self, values: dict[str, str], outcome: RowOutcome) -> None:
        bank, number, holder = (
            values["bank"],
            values["bank_account_number"],
            values["bank_account_holder"],
        )
        if not (bank or number or holder):
            return
        bin_code = _bank_bin(bank) if bank else None
        if bin_code is None:
            message = (
                _("không nhận ra ngân hàng «%(bank)s».") % {"bank": bank}
                if bank
                else _("thiếu ngân hàng của số tài khoản.")
            )
            outcome.errors.append(_column_error(self._label("bank"), message))
        number = normalize_account_number(number)
        try:
            if not number:
                raise ValidationError(_("thiếu số tài khoản."))
            validate_account_number(number)
        except ValidationError as error:
            outcome.errors.append(
                _column_error(self._label("bank_account_number"), error.messages[0])
            )
        holder = fold(holder or outcome.data.get("head_name", "")).upper()
        outcome.data.update(
            bank_bin=bin_code or "", bank_account_number=number, bank_account_holder=holder
        )

    def check(self, row_number: int, row: Mapping[str, str]) -> RowOutcome:
        """One row normalised on its own (the file and registry checks come in :meth:`run`)."""
        outcome = RowOutcome(row_number=row_number)
        values = {name: self._cell(row, name, outcome) for name in FIELDS}
        data = outcome.data
        data["head_name"] = values["head_name"]
        if not values["head_name"]:
            outcome.errors.append(
                _column_error(self._label("head_name"), _("thiếu họ tên chủ hộ."))
            )
        try:
            data["phone"] = normalize_phone(values["phone"]) if values["phone"] else ""
        except ValidationError as error:
            outcome.errors.append(_column_error(self._label("phone"), error.messages[0]))
        if not values["phone"]:
            outcome.errors.append(_column_error(self._label("phone"), _("thiếu số điện thoại.")))
        if values["citizen_id"]:
            try:
                number = parse_citizen_id(values["citizen_id"], today=self.today).number
            except ValidationError as error:
                outcome.errors.append(_column_error(self._label("citizen_id"), error.messages[0]))
            else:
                protected = ProtectedCitizenId.from_number(number)
                data["citizen_id_masked"] = protected.masked
                data["citizen_id_encrypted"] = protected.encrypted
                data["citizen_id_index"] = protected.index
                outcome.citizen_id_index = protected.index
        data["village"] = values["village"]
        unit = self._address(values, outcome)
        if unit is not None:
            self._units[unit.pk] = unit
            province = unit.province
            data.update(
                commune_id=unit.pk,
                commune_code=unit.code,
                commune_name=unit.name,
                province_code=province.code if province else "",
                province_name=province.name if province else "",
            )
            if not self._may_register_in(unit):
                outcome.errors.append(
                    _column_error(
                        self._label("address" if values["address"] else "commune"),
                        _("%(commune)s không thuộc địa bàn bạn phụ trách.")
                        % {"commune": unit.name},
                    )
                )
        data["main_produce"] = values["main_produce"]
        area, message = _area(values["farm_area_hectares"])
        if message:
            outcome.errors.append(_column_error(self._label("farm_area_hectares"), message))
        data["farm_area_hectares"] = str(area) if area is not None else ""
        self._bank(values, outcome)
        consent = _consent_given(values["consent"])
        if consent is None:
            outcome.errors.append(
                _column_error(
                    self._label("consent"),
                    _("không hiểu «%(value)s»: ghi «Có» hoặc «x» khi hộ đã đồng ý.")
                    % {"value": values["consent"]},
                )
            )
        elif not consent:
            outcome.errors.append(
                _column_error(
                    self._label("consent"),
                    _("hộ chưa đồng ý lưu thông tin: không thể đăng ký khi hộ chưa đồng ý."),
                )
            )
        data["consent"] = bool(consent)
        data["external_reference"] = values["external_reference"]
        if outcome.errors:
            outcome.status = RowStatus.ERROR
        return outcome

    # -- a batch: the file so far and the registry ----------------------------------------------
    def _in_file(self, outcome: RowOutcome) -> None:
        data = outcome.data
        keys = [
            (
                self._seen_phone,
                data.get("phone"),
                self._label("phone"),
                gettext_lazy("trùng số điện thoại với dòng %(row)d."),
            ),
            (
                self._seen_citizen_id,
                outcome.citizen_id_index,
                self._label("citizen_id"),
                gettext_lazy("trùng số CCCD với dòng %(row)d."),
            ),
            (
                self._seen_name,
                (fold(data["head_name"]), data["commune_id"]),
                self._label("head_name"),
                gettext_lazy("trùng họ tên trong cùng xã với dòng %(row)d."),
            ),
        ]
        for seen, key, label, message in keys:
            if not key:
                continue
            earlier = seen.get(key)  # type: ignore[attr-defined]
            if earlier is not None:
                outcome.errors.append(_column_error(label, str(message) % {"row": earlier}))
            else:
                seen[key] = outcome.row_number  # type: ignore[index]
        if outcome.errors:
            outcome.status = RowStatus.DUPLICATE

    def _against_registry(self, outcomes: list[RowOutcome]) -> None:
        phones = {outcome.data["phone"] for outcome in outcomes}
        indexes = {outcome.citizen_id_index for outcome in outcomes if outcome.citizen_id_index}
        pairs = {
            (fold(outcome.data["head_name"]), outcome.data["commune_id"]) for outcome in outcomes
        }
        condition = Q(phone__in=phones) | same_name_in_commune(pairs)
        if indexes:
            condition |= Q(citizen_id_index__in=indexes)
        # Active households only, kept here rather than in SQL (see same_name_in_commune).
        found = [
            row
            for row in Household.objects.filter(condition).values(
                "pk", "phone", "citizen_id_index", "head_name_folded", "commune_id", "status"
            )
            if row["status"] == HouseholdStatus.ACTIVE
        ]
        by_phone = {row["phone"]: row for row in found if row["phone"]}
        by_index = {row["citizen_id_index"]: row for row in found if row["citizen_id_index"]}
        by_name = {(row["head_name_folded"], row["commune_id"]): row for row in found}
        # Another household's second phone (a son's, a second SIM) is as much a duplicate.
        by_extra_phone: dict[str, dict[str, Any]] = {
            # Never "identical": the household's own fields are not what the row holds.
            row["phone"]: {
                "pk": row["household_id"],
                "phone": "",
                "citizen_id_index": "",
                "head_name_folded": "",
                "commune_id": None,
            }
            for row in HouseholdPhone.objects.filter(
                phone__in=phones, household__status=HouseholdStatus.ACTIVE
            ).values("phone", "household_id")
        }
        for outcome in outcomes:
            data = outcome.data
            name_key = (fold(data["head_name"]), data["commune_id"])
            matches = [
                (
                    by_phone.get(data["phone"]),
                    self._label("phone"),
                    gettext_lazy(
                        "trùng số điện thoại với một hộ đã có trong sổ đăng ký (hộ số %(id)d)."
                    ),
                ),
                (
                    None if data["phone"] in by_phone else by_extra_phone.get(data["phone"]),
                    self._label("phone"),
                    gettext_lazy(
                        "trùng số điện thoại phụ của một hộ đã có trong sổ đăng ký (hộ số %(id)d)."
                    ),
                ),
                (
                    by_index.get(outcome.citizen_id_index) if outcome.citizen_id_index else None,
                    self._label("citizen_id"),
                    gettext_lazy("trùng số CCCD với một hộ đã có trong sổ đăng ký (hộ số %(id)d)."),
                ),
                (
                    by_name.get(name_key),
                    self._label("head_name"),
                    gettext_lazy(
                        "trùng họ tên trong cùng xã với một hộ đã có trong sổ đăng ký "
                        "(hộ số %(id)d)."
                    ),
                ),
            ]
            existing = [match for match in matches if match[0] is not None]
            if not existing:
                continue
            household = existing[0][0]
            assert household is not None  # noqa: S101 - filtered above
            identical = (
                all(match[0] is household for match in existing)
                and household["phone"] == data["phone"]
                and (household["head_name_folded"], household["commune_id"]) == name_key
                and household["citizen_id_index"] == outcome.citizen_id_index
            )
            if identical:
                outcome.status = RowStatus.UNCHANGED
                outcome.household_id = household["pk"]
                continue
            outcome.status = RowStatus.DUPLICATE
            for row, label, message in existing:
                assert row is not None  # noqa: S101
                outcome.errors.append(_column_error(label, str(message) % {"id": row["pk"]}))

    def _finish(self, batch: list[RowOutcome]) -> list[RowOutcome]:
        checked = []
        for outcome in batch:
            if outcome.status == RowStatus.VALID:
                self._in_file(outcome)
                if outcome.status == RowStatus.VALID:
                    checked.append(outcome)
        if checked:
            self._against_registry(checked)
        return batch

    def run(self, rows: Iterable[tuple[int, Mapping[str, str]]]) -> Iterator[RowOutcome]:
        """Every row's outcome, in file order, checked against the file and the registry."""
        batch: list[RowOutcome] = []
        for row_number, row in rows:
            batch.append(self.check(row_number, row))
            if len(batch) >= BATCH_SIZE:
                yield from self._finish(batch)
                batch = []
        if batch:
            yield from self._finish(batch)
