"""Consolidation: packed orders of one commune to one province share one pickup at the
commune's collection point; its cost is split by weight in whole đồng that add up."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from nongsan.orders.models import OrderStatus
from nongsan.orders.services import order_transition
from nongsan.orders.tests.factories import buyer, on_sale, place, postal_staff
from nongsan.producers.tests.factories import current_commune, make_user, staff_user
from nongsan.shipping.consolidation import pickup_consolidate, pickup_groups, split_by_weight
from nongsan.shipping.models import CollectionPoint, PickupShare
from nongsan.shipping.services import shipping_rates_load


@given(
    total=st.integers(min_value=0, max_value=10**12),
    weights=st.lists(st.integers(min_value=1, max_value=10**7), min_size=1, max_size=60),
)
def test_the_parts_always_add_up_to_the_whole_and_stay_within_a_dong(total, weights):
    parts = list(enumerate(weights))
    shares = split_by_weight(total, parts)
    assert sum(shares.values()) == total
    whole = sum(weights)
    for key, weight in parts:
        exact = total * weight / whole
        assert abs(shares[key] - exact) < 1
    assert split_by_weight(total, list(reversed(parts))) == shares  # order does not matter


def test_the_leftover_dong_go_to_the_largest_remainders_then_the_heavier_then_the_first():
    assert split_by_weight(100, [(1, 1), (2, 1), (3, 1)]) == {1: 34, 2: 33, 3: 33}
    assert split_by_weight(10, [(7, 1), (3, 2)]) == {7: 3, 3: 7}
    assert split_by_weight(5, [(1, 3), (2, 3)]) == {1: 3, 2: 2}


@pytest.mark.parametrize("weights", [[], [(1, 0)], [(1, -5)], [(1, 2), (1, 3)]])
def test_a_split_without_positive_weights_or_with_repeated_keys_is_refused(weights):
    with pytest.raises(ValueError, match="weights|key"):
        split_by_weight(100, weights)


def _carrier():
    return postal_staff(current_commune("01"))


def _packed(row, quantity):
    order = place(buyer(), (row, quantity), shipping_service="standard").orders.get()
    staff = staff_user()
    for status in (OrderStatus.CONFIRMED, OrderStatus.PACKED):
        order_transition(order=order, to_status=status, by=staff)
    return order


@pytest.fixture
def village(db, admin_units):
    shipping_rates_load()
    commune = current_commune("01")
    assert commune.province is not None
    point = CollectionPoint.objects.create(
        commune=commune, province=commune.province, name="Bưu điện xã", address="Chợ xã"
    )
    first, second = on_sale(commune), on_sale(commune)
    return {"point": point, "orders": [_packed(first, 3), _packed(second, 7)]}


def test_postal_staff_gather_two_orders_and_the_cost_is_split_by_weight(village):
    carrier = _carrier()
    groups = pickup_groups(carrier)
    assert [len(group.orders) for group in groups] == [2]
    first, second = village["orders"]
    pickup = pickup_consolidate(
        collection_point=village["point"], order_ids=[first.pk, second.pk], created_by=carrier
    )
    assert pickup.weight_grams == 10000
    assert pickup.separate_cost_vnd == first.shipping_vnd + second.shipping_vnd
    shares = {share.order_id: share.share_vnd for share in pickup.shares.all()}
    assert sum(shares.values()) == pickup.cost_vnd
    assert shares == split_by_weight(pickup.cost_vnd, [(first.pk, 3000), (second.pk, 7000)])
    assert pickup_groups(carrier) == []  # gathered orders leave the list


def test_nobody_but_postal_staff_gathers(village):
    ids = [order.pk for order in village["orders"]]
    for person in (buyer(), make_user()):
        assert pickup_groups(person) == []
        with pytest.raises(PermissionDenied):
            pickup_consolidate(collection_point=village["point"], order_ids=ids, created_by=person)
    assert not PickupShare.objects.exists()


def test_orders_that_do_not_belong_together_are_refused(village):
    carrier = _carrier()
    first, _second = village["orders"]
    with pytest.raises(ValidationError, match="ít nhất hai"):
        pickup_consolidate(
            collection_point=village["point"], order_ids=[first.pk], created_by=carrier
        )
    elsewhere = _packed(on_sale(current_commune("01", 4)), 2)
    with pytest.raises(ValidationError, match="xã của điểm gom"):
        pickup_consolidate(
            collection_point=village["point"],
            order_ids=[first.pk, elsewhere.pk],
            created_by=carrier,
        )
    placed = place(buyer(), (on_sale(current_commune("01")), 2), shipping_service="standard")
    with pytest.raises(ValidationError, match="không gom được"):
        pickup_consolidate(
            collection_point=village["point"],
            order_ids=[first.pk, placed.orders.get().pk],
            created_by=carrier,
        )
    assert not PickupShare.objects.exists()


def test_an_order_joins_one_pickup_only(village):
    carrier = _carrier()
    ids = [order.pk for order in village["orders"]]
    pickup_consolidate(collection_point=village["point"], order_ids=ids, created_by=carrier)
    with pytest.raises(ValidationError, match="chuyến khác"):
        pickup_consolidate(collection_point=village["point"], order_ids=ids, created_by=carrier)
    assert PickupShare.objects.count() == 2


def test_the_postal_staff_page_creates_the_pickup(village, client):
    client.force_login(_carrier())
    page = client.get(reverse("shipping:pickups")).content.decode()
    for order in village["orders"]:
        assert order.reference in page
    client.post(
        reverse("shipping:pickups"),
        {
            "collection_point": village["point"].pk,
            "orders": [order.pk for order in village["orders"]],
            "service": "standard",
        },
    )
    assert PickupShare.objects.count() == 2
    assert "Chuyến gom gần đây" in client.get(reverse("shipping:pickups")).content.decode()


def test_the_pickup_page_is_for_postal_staff_only(village, client):
    client.force_login(buyer())
    assert client.get(reverse("shipping:pickups")).status_code == 403


def test_a_malformed_collection_point_is_not_found_and_nothing_is_made(village, client):
    client.force_login(_carrier())
    answer = client.post(
        reverse("shipping:pickups"),
        {"collection_point": "abc", "orders": [order.pk for order in village["orders"]]},
    )
    assert answer.status_code == 404
    assert not PickupShare.objects.exists()
