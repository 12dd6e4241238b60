"""Reads of the administrative geography, for pages, the API and other apps.

A code names a unit only together with a day (codes are reused across the 2025 reform), so
every read takes ``valid_on`` and defaults to today in Vietnam. Names are searched folded
(:func:`nongsan.common.text.fold`) and listed in Vietnamese alphabetical order.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from nongsan.common.database import vi_ordered
from nongsan.common.formatting import format_date
from nongsan.common.text import fold, vi_sort_key
from nongsan.geo.models import (
    AdministrativeUnit,
    AdministrativeUnitQuerySet,
    UnitLevel,
    UnitName,
    UnitSuccession,
    UnitType,
)
from nongsan.geo.permissions import visible_units

__all__ = [
    "VIETNAM",
    "ProvinceCounts",
    "UnitHistory",
    "vietnam_today",
    "unit_get",
    "unit_list",
    "unit_code_versions",
    "unit_children_level",
    "province_list_with_counts",
    "unit_history",
]

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

# Codes have fixed widths per level (GSO numbering), which is how a bare code finds its level.
LEVEL_BY_CODE_WIDTH = {2: UnitLevel.PROVINCE, 3: UnitLevel.DISTRICT, 5: UnitLevel.COMMUNE}
_CODE = re.compile(r"[0-9]{1,5}")


def _printable(code: str) -> str:
    """A code fit to quote back in a message: visible characters only, at most 20."""
    return "".join(char for char in code if char.isprintable())[:20]


def vietnam_today() -> datetime.date:
    """Today's date in Vietnam, whatever time zone the request or server is in."""
    return timezone.localdate(timezone=VIETNAM)


def _ordered_by_name(units: AdministrativeUnitQuerySet) -> AdministrativeUnitQuerySet:
    """Vietnamese alphabetical order of the proper name (An Giang before Bắc Ninh), then type."""
    return units.order_by(vi_ordered("short_name"), vi_ordered("name"), "code")


def unit_get(
    *,
    code: str,
    level: str | None = None,
    valid_on: datetime.date | None = None,
    user: Any = None,
) -> AdministrativeUnit:
    """The unit that had ``code`` on ``valid_on`` (today by default).

    Raises ``AdministrativeUnit.DoesNotExist`` with a message naming the code and the day.
    Without ``level`` the code's width decides (2 digits a province, 3 a district, 5 a commune).
    """
    day = valid_on or vietnam_today()
    code = code.strip()
    missing = AdministrativeUnit.DoesNotExist(
        _("Không có đơn vị hành chính mã %(code)s vào ngày %(day)s.")
        % {"code": _printable(code), "day": format_date(day)}
    )
    if not _CODE.fullmatch(code):
        raise missing
    units = (
        visible_units(user)
        .valid_on(day)
        .filter(code=code)
        .select_related("parent", "province", "district")
        .order_by(F("valid_from").desc(nulls_last=True), "-id")
    )
    if level:
        units = units.filter(level=level)
    matches = list(units[:5])
    if not matches:
        raise missing
    preferred_level = LEVEL_BY_CODE_WIDTH.get(len(code))
    for unit in matches:
        if unit.level == preferred_level:
            return unit
    return matches[0]


def unit_list(
    *,
    q: str | None = None,
    level: str | None = None,
    valid_on: datetime.date | None = None,
    parent: AdministrativeUnit | None = None,
    user: Any = None,
) -> AdministrativeUnitQuerySet:
    """Units valid on ``valid_on`` (today by default), searched folded, in Vietnamese order.

    ``q`` matches the folded full or proper name anywhere ("luc ngan" finds Lục Ngạn), or the
    start of the code when it is all digits; exact matches come first, then names starting with
    it, then the rest. ``parent`` keeps the units under it, directly or through a legacy
    district (a legacy province's communes sit under its districts).
    """
    day = valid_on or vietnam_today()
    units = visible_units(user).valid_on(day).select_related("parent", "province")
    if level:
        units = units.filter(level=level)
    if parent is not None:
        units = units.filter(Q(parent=parent) | Q(province=parent) | Q(district=parent)).exclude(
            pk=parent.pk
        )
    folded = fold(q or "")
    if not folded:
        return _ordered_by_name(units)
    matches = Q(name_folded__contains=folded) | Q(short_name_folded__contains=folded)
    if folded.isdigit():
        matches |= Q(code__startswith=folded)
    ranked = units.filter(matches).annotate(
        search_rank=Case(
            When(Q(short_name_folded=folded) | Q(name_folded=folded) | Q(code=folded), then=0),
            When(
                Q(short_name_folded__startswith=folded) | Q(name_folded__startswith=folded),
                then=1,
            ),
            default=Value(2),
            output_field=IntegerField(),
        )
    )
    return ranked.order_by("search_rank", vi_ordered("short_name"), vi_ordered("name"), "code")


def unit_code_versions(
    *, code: str, level: str | None = None, user: Any = None
) -> list[AdministrativeUnit]:
    """Every unit that ever had ``code``, oldest first: shows what a reused code meant when."""
    code = code.strip()
    if not _CODE.fullmatch(code):
        return []
    level = level or LEVEL_BY_CODE_WIDTH.get(len(code))
    units = visible_units(user).filter(code=code).select_related("province")
    if level:
        units = units.filter(level=level)
    return list(units.order_by(F("valid_from").asc(nulls_first=True), "id"))


def unit_children_level(unit: AdministrativeUnit) -> str | None:
    """The level of the units directly under ``unit``: legacy provinces had districts."""
    if unit.level == UnitLevel.PROVINCE:
        return UnitLevel.DISTRICT if unit.is_legacy else UnitLevel.COMMUNE
    if unit.level == UnitLevel.DISTRICT:
        return UnitLevel.COMMUNE
    return None


@dataclass(frozen=True)
class ProvinceCounts:
    """A province with how many units of each kind it had on a given day."""

    province: AdministrativeUnit
    districts: int = 0
    rural_communes: int = 0
    wards: int = 0
    townships: int = 0
    special_zones: int = 0

    @property
    def communes(self) -> int:
        """Every commune-level unit: xã, phường, thị trấn and đặc khu together."""
        return self.rural_communes + self.wards + self.townships + self.special_zones


_COUNTED_FIELD_BY_TYPE: dict[str, str] = {
    UnitType.COMMUNE: "rural_communes",
    UnitType.WARD: "wards",
    UnitType.TOWNSHIP: "townships",
    UnitType.SPECIAL_ZONE: "special_zones",
}


def province_list_with_counts(
    valid_on: datetime.date | None = None, *, user: Any = None
) -> list[ProvinceCounts]:
    """Provinces valid on ``valid_on`` with their district and commune counts by type.

    Two queries whatever the number of provinces: the provinces, and one GROUP BY over the
    ``province`` column every district and commune carries.
    """
    day = valid_on or vietnam_today()
    provinces = list(unit_list(level=UnitLevel.PROVINCE, valid_on=day, user=user))
    grouped = (
        visible_units(user)
        .valid_on(day)
        .filter(level__in=[UnitLevel.DISTRICT, UnitLevel.COMMUNE], province__isnull=False)
        .values("province_id", "level", "unit_type")
        .annotate(total=Count("id"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for row in grouped:
        per_province = counts.setdefault(row["province_id"], {})
        if row["level"] == UnitLevel.DISTRICT:
            key = "districts"
        else:
            key = _COUNTED_FIELD_BY_TYPE.get(row["unit_type"], "rural_communes")
        per_province[key] = per_province.get(key, 0) + row["total"]
    return [ProvinceCounts(province, **counts.get(province.pk, {})) for province in provinces]


@dataclass(frozen=True)
class UnitHistory:
    """Where a unit came from, what it went into, and what it was called when."""

    unit: AdministrativeUnit
    predecessors: list[UnitSuccession] = field(default_factory=list)
    successors: list[UnitSuccession] = field(default_factory=list)
    names: list[UnitName] = field(default_factory=list)
    legacy_districts: list[AdministrativeUnit] = field(default_factory=list)

    def name_on(self, day: datetime.date) -> str:
        """The name the unit carried on ``day``: a later rename does not rewrite old pages."""
        for name in self.names:
            if (name.valid_from is None or name.valid_from <= day) and (
                name.valid_until is None or day <= name.valid_until
            ):
                return name.name
        return self.unit.name


def unit_history(unit: AdministrativeUnit) -> UnitHistory:
    """The crosswalk around ``unit`` in both directions, in a fixed number of queries.

    For a current commune, ``legacy_districts`` are the old districts its predecessors lay in,
    because people still write "huyện Lục Ngạn" years after districts were abolished.
    """
    related_unit = ("parent", "province", "district")
    predecessors = list(
        UnitSuccession.objects.filter(successor=unit)
        .select_related("change", *(f"predecessor__{name}" for name in related_unit))
        .select_related("predecessor__district__province")
        .order_by(vi_ordered("predecessor__short_name"), "predecessor__code", "id")
    )
    successors = list(
        UnitSuccession.objects.filter(predecessor=unit)
        .select_related("change", *(f"successor__{name}" for name in related_unit))
        .order_by(vi_ordered("successor__short_name"), "successor__code", "id")
    )
    names = list(
        unit.names.select_related("change").order_by(F("valid_from").asc(nulls_first=True), "id")
    )
    legacy_districts: dict[int, AdministrativeUnit] = {}
    if unit.level == UnitLevel.COMMUNE:
        for succession in predecessors:
            district = succession.predecessor.district
            if district is not None and district.is_legacy:
                legacy_districts.setdefault(district.pk, district)
    return UnitHistory(
        unit=unit,
        predecessors=predecessors,
        successors=successors,
        names=names,
        legacy_districts=sorted(
            legacy_districts.values(), key=lambda district: vi_sort_key(district.short_name)
        ),
    )
