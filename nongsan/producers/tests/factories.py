"""Households and cooperatives for tests, made through the services so the rules hold."""

from __future__ import annotations

import itertools
from typing import Any, cast

from nongsan.accounts.models import User
from nongsan.accounts.tests.factories import UserFactory
from nongsan.geo.models import AdministrativeUnit
from nongsan.producers import services
from nongsan.producers.models import ConsentMethod, Cooperative, Household, Purpose

_phones = itertools.count(1)
# A small valid JPEG header is all the photo check reads.
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64


def make_user(**fields: Any) -> User:
    """A saved account (typed: factory_boy's stubs type the call as the factory)."""
    return cast(User, UserFactory(**fields))


def staff_user() -> User:
    return make_user(is_superuser=True, is_staff=True)


def current_commune(province_code: str = "01", index: int = 0) -> AdministrativeUnit:
    """A current commune of the province (the real units, loaded by ``admin_units``)."""
    return (
        AdministrativeUnit.objects.filter(
            level="commune", valid_until__isnull=True, province__code=province_code
        )
        .select_related("province")
        .order_by("code")[index]
    )


def province_of(commune: AdministrativeUnit) -> AdministrativeUnit:
    province = commune.province
    assert province is not None  # noqa: S101 - a current commune has a province
    return province


def registry_consent(*purposes: str) -> services.ConsentInput:
    return services.ConsentInput(
        purposes=list(purposes or [Purpose.REGISTRY]), method=ConsentMethod.IN_APP
    )


def unique_phone() -> str:
    return f"0912{next(_phones):06d}"


def household(
    commune: AdministrativeUnit | None = None, *, registered_by: User | None = None, **fields: Any
) -> Household:
    """A registered household with consent for the registry (and whatever ``fields`` say)."""
    fields.setdefault("head_name", f"Nguyễn Văn Thử {next(_phones)}")
    fields.setdefault("phone", unique_phone())
    fields.setdefault("consent", registry_consent())
    return services.household_register(
        registered_by=registered_by or staff_user(),
        commune=commune or current_commune(),
        **fields,
    )


def cooperative(commune: AdministrativeUnit | None = None, **fields: Any) -> Cooperative:
    fields.setdefault("name", "Hợp tác xã Thử nghiệm")
    return services.cooperative_create(
        created_by=fields.pop("created_by", None) or staff_user(),
        commune=commune or current_commune(),
        **fields,
    )
