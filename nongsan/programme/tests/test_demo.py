"""Demo programme data: the roll-up is built, targets seeded once around what was reached."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from nongsan.programme.demo import seed_programme
from nongsan.programme.models import Fact, PartnerFigure, Target
from nongsan.programme.tests import factories as make

pytestmark = pytest.mark.django_db


def test_demo_builds_the_rollup_and_seeds_targets_once():
    world = make.world()
    today = timezone.localdate()
    seller = make.household(world.commune_a, today)
    make.order(seller, today)
    rows, targets = seed_programme(random.Random(1))
    assert rows == Fact.objects.count() > 0
    assert targets > 0
    assert Target.objects.filter(unit=world.province).exists()
    assert Target.objects.filter(unit=world.commune_a).exists()
    assert PartnerFigure.objects.filter(unit=world.province).exists()
    assert seed_programme(random.Random(1))[1] == 0
