"""Audit entries and small geographies for the audit tests."""

from __future__ import annotations

from dataclasses import dataclass

import factory
from factory.django import DjangoModelFactory

from nongsan.accounts.models import RoleGrant, User
from nongsan.audit.models import AuditEntry
from nongsan.geo.models import AdministrativeUnit, UnitLevel
from nongsan.geo.tests.factories import AdministrativeUnitFactory


class AuditEntryFactory(DjangoModelFactory[AuditEntry]):
    """An entry as ``audit_record`` would write it; services write real ones."""

    class Meta:
        model = AuditEntry

    action = factory.Sequence(lambda number: f"test.action_{number}")
    target_repr = factory.Sequence(lambda number: f"Đối tượng {number}")
    target_id = factory.Sequence(str)
    changes = factory.LazyFunction(dict)


@dataclass(frozen=True)
class Area:
    """A province with two of its communes."""

    province: AdministrativeUnit
    commune: AdministrativeUnit
    other_commune: AdministrativeUnit


def area(name: str) -> Area:
    province = AdministrativeUnitFactory.create(level=UnitLevel.PROVINCE, short_name=name)
    return Area(
        province=province,
        commune=AdministrativeUnitFactory.create(parent=province, short_name=f"{name} Một"),
        other_commune=AdministrativeUnitFactory.create(parent=province, short_name=f"{name} Hai"),
    )


def grant_role(user: User, role: str, unit: AdministrativeUnit | None = None) -> RoleGrant:
    """A grant written directly, as the permission tests need (the service checks granters)."""
    province = None
    if unit is not None:
        province = unit if unit.level == UnitLevel.PROVINCE else unit.province
    return RoleGrant.objects.create(user=user, role=role, unit=unit, province=province)
