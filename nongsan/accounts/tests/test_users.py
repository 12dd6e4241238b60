"""The phone-number login and the demo people."""

from __future__ import annotations

import random

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError

from nongsan.accounts.demo import person
from nongsan.accounts.models import User
from nongsan.producers.models import Household

pytestmark = pytest.mark.django_db


def test_create_user_stores_the_phone_in_e164():
    user = User.objects.create_user("0912 345 678", password="mat-khau-dai-123")
    assert user.phone == "+84912345678"
    assert user.check_password("mat-khau-dai-123")
    assert not user.is_staff


def test_login_accepts_the_phone_as_people_write_it():
    User.objects.create_user("+84912345678", password="mat-khau-dai-123")
    assert authenticate(username="0912.345.678", password="mat-khau-dai-123") is not None
    assert authenticate(username="84912345678", password="mat-khau-dai-123") is not None
    assert authenticate(username="0912345679", password="mat-khau-dai-123") is None
    assert authenticate(username="không phải số", password="mat-khau-dai-123") is None


def test_the_same_phone_cannot_have_two_accounts():
    User.objects.create_user("0912345678")
    with pytest.raises(IntegrityError):
        User.objects.create_user("+84 912 345 678")


def test_create_user_refuses_an_invalid_phone():
    with pytest.raises(ValidationError):
        User.objects.create_user("12345")
    assert not User.objects.exists()


def test_create_superuser_is_staff():
    admin = User.objects.create_superuser("0900000002", password="mat-khau-dai-123")
    assert admin.is_staff
    assert admin.is_superuser


def test_demo_people_are_deterministic_and_valid():
    first = [person(random.Random(7)) for _ in range(3)]
    second = [person(random.Random(7)) for _ in range(3)]
    assert first == second
    for someone in first:
        User(phone=someone.phone).clean_fields(exclude=["password"])


def test_seed_demo_is_deterministic_and_safe_to_run_again(admin_units, capsys):
    call_command("seed_demo", "--scale", "small", "--seed", "3")
    phones = set(User.objects.values_list("phone", flat=True))
    assert len(phones) == 52  # the demo administrator, the demo trader and 50 people
    assert Household.objects.count() == 200
    call_command("seed_demo", "--scale", "small", "--seed", "3")
    assert set(User.objects.values_list("phone", flat=True)) == phones
    output = capsys.readouterr().out
    assert "0 người dùng mới, 0 hộ sản xuất mới" in output
