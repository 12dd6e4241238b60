"""Demo households for seed_demo."""

from __future__ import annotations

import random

import pytest

from nongsan.producers.demo import seed_households
from nongsan.producers.models import Cooperative, Household, Purpose
from nongsan.producers.services import household_reveal_citizen_id
from nongsan.producers.tests.factories import staff_user

pytestmark = pytest.mark.django_db


def test_seed_households_creates_consenting_households_in_current_communes(admin_units):
    assert seed_households(random.Random(7), 250) == 250
    households = Household.objects.select_related("commune")
    assert households.count() == 250
    assert all(row.commune.valid_until is None for row in households)
    assert Household.objects.with_consent(Purpose.REGISTRY).count() == 250
    assert Cooperative.objects.count() == 2
    with_id = households.exclude(citizen_id_encrypted="").first()
    assert with_id is not None
    number = household_reveal_citizen_id(user=staff_user(), household=with_id)
    assert with_id.citizen_id_masked == number[:3] + "*******" + number[-2:]
