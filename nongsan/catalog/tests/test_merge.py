"""A household merge moves the absorbed household's listings and lots to the survivor."""

from __future__ import annotations

import pytest

from nongsan.audit.models import AuditEntry
from nongsan.catalog.models import ListingSearchRow
from nongsan.catalog.search import listing_search
from nongsan.catalog.tests.factories import (
    current_commune,
    listing,
    lot,
    produce_type,
    selling_household,
)
from nongsan.producers import services as producer_services
from nongsan.producers.models import CooperativeMembership, HouseholdStatus
from nongsan.producers.tests.factories import cooperative, staff_user

pytestmark = pytest.mark.django_db


def test_merging_households_moves_listings_and_lots_to_the_survivor(admin_units):
    survivor = selling_household(current_commune("01"))
    absorbed = selling_household(current_commune("79"))
    kind = produce_type(slug="sau-rieng", name_vi="Sầu riêng")
    on_sale = listing(absorbed, produce_type=kind, title="Sầu riêng Ri6", publish=True)
    draft = listing(absorbed, produce_type=kind, title="Sầu riêng nháp")
    batch = lot(on_sale)
    staff = staff_user()
    merge = producer_services.households_merge(
        merged_by=staff, survivor=survivor, absorbed=absorbed
    )
    absorbed.refresh_from_db()
    assert absorbed.status == HouseholdStatus.MERGED
    for row in (on_sale, draft):
        row.refresh_from_db()
        assert row.household_id == survivor.pk
        assert (row.province_id, row.commune_id) == (survivor.province_id, survivor.commune_id)
    batch.refresh_from_db()
    assert batch.listing_id == on_sale.pk
    assert batch.commune_id == survivor.commune_id
    assert merge.moved["listings"] == 2
    assert ListingSearchRow.objects.get(listing=on_sale).household_id == survivor.pk
    found = listing_search(query="sau rieng")
    assert [row.pk for row in found.listings] == [on_sale.pk]  # still on sale, now the survivor's
    assert AuditEntry.objects.filter(action="catalog.listing_transfer").count() == 2


def test_merging_a_grower_moves_the_cooperative_listings_it_grows(admin_units):
    commune = current_commune("01")
    survivor, absorbed = selling_household(commune), selling_household(commune)
    coop = cooperative(commune)
    staff = staff_user()
    producer_services.cooperative_member_add(
        added_by=staff, cooperative=coop, household=absorbed, sells_on_behalf=True
    )
    row = listing(coop, grower=absorbed, publish=True)
    producer_services.households_merge(merged_by=staff, survivor=survivor, absorbed=absorbed)
    row.refresh_from_db()
    assert (row.cooperative_id, row.grower_id) == (coop.pk, survivor.pk)
    assert row.commune_id == coop.commune_id
    assert CooperativeMembership.objects.get(cooperative=coop).household_id == survivor.pk
