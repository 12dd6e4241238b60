"""Small administrative geographies for tests that do not need the 14,000 real units.

Units are current (valid from 1 July 2025) unless built with ``legacy=True`` (valid until
30 June 2025), and their folded names are derived the way the loader derives them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import factory
from django.db import transaction
from factory.django import DjangoModelFactory

from nongsan.common.text import fold
from nongsan.geo.models import (
    LEGACY_LAST_DAY,
    REFORM_DATE,
    AdministrativeChange,
    AdministrativeUnit,
    UnitLevel,
    UnitName,
    UnitSuccession,
    UnitType,
)

_TYPE_PREFIX = {
    UnitType.PROVINCE: "Tỉnh",
    UnitType.MUNICIPALITY: "Thành phố",
    UnitType.RURAL_DISTRICT: "Huyện",
    UnitType.URBAN_DISTRICT: "Quận",
    UnitType.DISTRICT_TOWN: "Thị xã",
    UnitType.PROVINCIAL_CITY: "Thành phố",
    UnitType.COMMUNE: "Xã",
    UnitType.WARD: "Phường",
    UnitType.TOWNSHIP: "Thị trấn",
    UnitType.SPECIAL_ZONE: "Đặc khu",
}
_CODE_WIDTH = {UnitLevel.PROVINCE: 2, UnitLevel.DISTRICT: 3, UnitLevel.COMMUNE: 5}
_DEFAULT_TYPE = {
    UnitLevel.PROVINCE: UnitType.PROVINCE,
    UnitLevel.DISTRICT: UnitType.RURAL_DISTRICT,
    UnitLevel.COMMUNE: UnitType.COMMUNE,
}


class AdministrativeChangeFactory(DjangoModelFactory[AdministrativeChange]):
    class Meta:
        model = AdministrativeChange

    reference = factory.Sequence(lambda number: f"test-change-{number}")
    kind = AdministrativeChange.Kind.REFORM
    effective_date = REFORM_DATE
    legal_basis = "Nghị quyết thử nghiệm"


class AdministrativeUnitFactory(DjangoModelFactory[AdministrativeUnit]):
    """A unit; pass ``short_name`` and ``level`` and the rest follows."""

    class Meta:
        model = AdministrativeUnit
        skip_postgeneration_save = True

    class Params:
        legacy = False

    level = UnitLevel.COMMUNE
    code = factory.LazyAttributeSequence(
        lambda unit, number: str(90000 + number)[-_CODE_WIDTH[UnitLevel(unit.level)] :]
    )
    unit_type = factory.LazyAttribute(lambda unit: _DEFAULT_TYPE[UnitLevel(unit.level)])
    short_name = factory.Sequence(lambda number: f"Đơn vị {number}")
    name = factory.LazyAttribute(
        lambda unit: f"{_TYPE_PREFIX[UnitType(unit.unit_type)]} {unit.short_name}"
    )
    name_folded = factory.LazyAttribute(lambda unit: fold(unit.name))
    short_name_folded = factory.LazyAttribute(lambda unit: fold(unit.short_name))
    province = factory.LazyAttribute(
        lambda unit: (
            None
            if unit.parent is None
            else unit.parent
            if unit.parent.level == UnitLevel.PROVINCE
            else unit.parent.province
        )
    )
    district = factory.LazyAttribute(
        lambda unit: (
            unit.parent
            if unit.parent is not None and unit.parent.level == UnitLevel.DISTRICT
            else None
        )
    )
    parent = None
    valid_from = factory.LazyAttribute(lambda unit: None if unit.legacy else REFORM_DATE)
    valid_until = factory.LazyAttribute(lambda unit: LEGACY_LAST_DAY if unit.legacy else None)

    @factory.post_generation
    def with_name(
        unit: AdministrativeUnit, create: bool, extracted: bool | None, **kwargs: object
    ) -> None:
        """Give each unit its dated name row, as the loader does."""
        if create and extracted is not False:
            UnitName.objects.create(
                unit=unit,
                name=unit.name,
                unit_type=unit.unit_type,
                valid_from=unit.valid_from,
                valid_until=unit.valid_until,
            )


class UnitSuccessionFactory(DjangoModelFactory[UnitSuccession]):
    class Meta:
        model = UnitSuccession

    predecessor = factory.SubFactory(AdministrativeUnitFactory, legacy=True)
    successor = factory.SubFactory(AdministrativeUnitFactory)
    kind = UnitSuccession.Kind.MERGED_WHOLE
    is_partial = factory.LazyAttribute(lambda line: line.kind == UnitSuccession.Kind.MERGED_PART)
    note = factory.LazyAttribute(lambda line: UnitSuccession.Kind(line.kind).label)
    change = factory.SubFactory(AdministrativeChangeFactory)


def load_real_units_for_module(django_db_blocker: Any) -> Iterator[None]:
    """Load the shipped units once for a whole test module, and remove them afterwards.

    The suite-wide ``admin_units`` fixture reloads the 14,000 units inside every test's
    transaction (about four seconds each); read-only HTTP tests share one load instead.
    Everything is deleted at the end so later modules start from an empty database.
    """
    from nongsan.geo.address import clear_address_index
    from nongsan.geo.loading import load_units

    with django_db_blocker.unblock():
        load_units()
        clear_address_index()
    try:
        yield
    finally:
        with django_db_blocker.unblock(), transaction.atomic():
            UnitSuccession.objects.all().delete()
            UnitName.objects.all().delete()
            for level in (UnitLevel.COMMUNE, UnitLevel.DISTRICT, UnitLevel.PROVINCE):
                AdministrativeUnit.objects.filter(level=level).delete()
            AdministrativeChange.objects.all().delete()
            clear_address_index()
