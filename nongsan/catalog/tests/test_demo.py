"""Demo listings for seed_demo: deterministic, searchable, only for consenting households."""

from __future__ import annotations

import random

import pytest

from nongsan.catalog.demo import seed_listings
from nongsan.catalog.models import Listing, Lot
from nongsan.catalog.produce_types import produce_types_load
from nongsan.catalog.search import listing_search
from nongsan.producers.demo import seed_households
from nongsan.producers.models import Purpose

pytestmark = pytest.mark.django_db


def test_seed_listings_lists_for_consenting_households_and_is_searchable(admin_units):
    produce_types_load()
    seed_households(random.Random(5), 30)
    created = seed_listings(random.Random(5))
    assert created >= 20
    assert not Listing.objects.exclude(
        household__consent_purposes__purpose=Purpose.MARKETPLACE
    ).exists()
    assert Lot.objects.exists()
    some = Listing.objects.filter(status="active").order_by("pk").first()
    assert some is not None
    words = some.title.split()[0]
    assert listing_search(query=words).total >= 1


def test_seed_listings_is_deterministic(admin_units):
    produce_types_load()
    seed_households(random.Random(5), 10)
    seed_listings(random.Random(9))
    first = list(Listing.objects.order_by("pk").values_list("title", "price_vnd"))
    Lot.objects.all().delete()
    Listing.objects.all().delete()
    seed_listings(random.Random(9))
    assert list(Listing.objects.order_by("pk").values_list("title", "price_vnd")) == first


def test_seed_listings_writes_exactly_the_total_asked_and_their_search_rows(admin_units):
    from nongsan.catalog.models import ListingSearchRow

    produce_types_load()
    seed_households(random.Random(3), 20)
    created = seed_listings(random.Random(3), max_households=20, total=57)
    assert created == Listing.objects.count() == 57
    codes = list(Lot.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes))
    assert ListingSearchRow.objects.count() == Listing.objects.filter(status="active").count()
