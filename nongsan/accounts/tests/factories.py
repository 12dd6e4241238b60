"""Factories for people and their grants."""

from __future__ import annotations

import factory
from django.utils import timezone

from nongsan.accounts.models import Role, RoleGrant, User


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    phone = factory.Sequence(lambda number: f"+8491{number:07d}")
    full_name = factory.Faker("name", locale="vi_VN")
    phone_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", "mat-khau-dai-123")

    @factory.post_generation
    def save_password(user: User, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805 - factory_boy passes the built object
        if create:
            user.save(update_fields=["password"])


def grant(user: User, role: str, unit=None, **fields) -> RoleGrant:
    """Give ``user`` a role directly (tests only: the service checks who grants)."""
    province = None
    if unit is not None:
        province = unit if unit.level == "province" else unit.province
    return RoleGrant.objects.create(user=user, role=role, unit=unit, province=province, **fields)


def officer(role: str, unit) -> User:
    user = UserFactory.create()
    grant(user, role, unit)
    return user


def ministry_user() -> User:
    user = UserFactory.create()
    grant(user, Role.MINISTRY)
    return user
