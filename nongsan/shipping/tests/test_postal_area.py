"""Postal staff work in their postal area: they see, gather and move only the orders leaving
from or going to it (pages, API, services); officers see their area's pickups read only;
buyers and sellers only their own."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import officer
from nongsan.orders.models import Order, OrderStatus
from nongsan.orders.permissions import editable_orders, visible_orders
from nongsan.orders.services import order_transition
from nongsan.orders.tests.factories import buyer, on_sale, place, postal_staff
from nongsan.producers.tests.factories import current_commune, make_user, staff_user
from nongsan.shipping.consolidation import pickup_consolidate, pickup_groups
from nongsan.shipping.models import CollectionPoint, ConsolidatedPickup, PickupShare
from nongsan.shipping.permissions import (
    editable_pickups,
    handled_orders,
    visible_pickups,
    visible_tracking_events,
)
from nongsan.shipping.services import shipping_rates_load, tracking_event_add
from nongsan.shipping.tests.factories import pickup_in

pytestmark = pytest.mark.django_db


def _packed(commune) -> Order:
    order = place(buyer(), (on_sale(commune), 3), shipping_service="standard").orders.get()
    staff = staff_user()
    for status in (OrderStatus.CONFIRMED, OrderStatus.PACKED):
        order_transition(order=order, to_status=status, by=staff)
    return order


@pytest.fixture
def two_areas(admin_units):
    """Packed orders from a Hà Nội commune and from a Đà Nẵng commune (both delivered to
    Hồ Chí Minh City, as the factories deliver), each with its collection point."""
    shipping_rates_load()
    home, elsewhere = current_commune("01"), current_commune("48")
    for commune in (home, elsewhere):
        assert commune.province is not None
        CollectionPoint.objects.create(
            commune=commune, province=commune.province, name="Bưu điện xã", address="Chợ xã"
        )
    return {
        "home": home,
        "elsewhere": elsewhere,
        "ours": [_packed(home), _packed(home)],
        "theirs": [_packed(elsewhere), _packed(elsewhere)],
    }


def test_postal_staff_see_and_move_only_the_orders_of_their_postal_area(two_areas):
    carrier = postal_staff(two_areas["home"])
    ours, theirs = two_areas["ours"][0], two_areas["theirs"][0]
    for queryset in (visible_orders, editable_orders, handled_orders):
        assert queryset(carrier).filter(pk=ours.pk).exists()
        assert not queryset(carrier).filter(pk=theirs.pk).exists()
    tracking_event_add(order=ours, recorded_by=carrier, kind="picked_up")
    with pytest.raises(PermissionDenied):
        tracking_event_add(order=theirs, recorded_by=carrier, kind="picked_up")
    with pytest.raises(PermissionDenied):
        order_transition(order=theirs, to_status=OrderStatus.HANDED_TO_CARRIER, by=carrier)
    assert visible_tracking_events(carrier).filter(order=ours).exists()
    assert not visible_tracking_events(carrier).filter(order=theirs).exists()


def test_the_delivery_end_of_the_route_sees_the_orders_coming_to_it(two_areas):
    province = current_commune("79").province
    assert province is not None
    carrier = postal_staff(province)
    for order in two_areas["ours"] + two_areas["theirs"]:
        assert handled_orders(carrier).filter(pk=order.pk).exists()


def test_the_delivery_permission_without_a_postal_area_reaches_nothing(two_areas, client):
    from django.contrib.auth.models import Permission

    person = make_user()
    person.user_permissions.add(Permission.objects.get(codename="handle_delivery"))
    person = type(person).objects.get(pk=person.pk)
    assert not visible_orders(person).exists()
    assert not handled_orders(person).exists()
    with pytest.raises(PermissionDenied):
        tracking_event_add(order=two_areas["ours"][0], recorded_by=person, kind="picked_up")
    client.force_login(person)
    assert client.get(reverse("shipping:deliveries")).status_code == 403


def test_the_phone_pages_list_and_open_only_the_postal_area(two_areas, client):
    client.force_login(postal_staff(two_areas["home"]))
    page = client.get(reverse("shipping:deliveries")).content.decode()
    assert all(order.reference in page for order in two_areas["ours"])
    assert not any(order.reference in page for order in two_areas["theirs"])
    theirs = two_areas["theirs"][0]
    assert client.get(reverse("shipping:delivery", args=[theirs.pk])).status_code == 404
    answer = client.post(reverse("shipping:delivery", args=[theirs.pk]), {"kind": "picked_up"})
    assert answer.status_code == 404
    assert not theirs.tracking_events.exists()


def test_the_deliveries_page_pages(two_areas, client):
    from nongsan.shipping import views

    client.force_login(postal_staff(two_areas["home"]))
    views_size = views.PAGE_SIZE
    views.PAGE_SIZE = 1
    try:
        first = client.get(reverse("shipping:deliveries")).content.decode()
        second = client.get(reverse("shipping:deliveries"), {"page": 2}).content.decode()
    finally:
        views.PAGE_SIZE = views_size
    assert 'rel="next"' in first
    assert 'rel="prev"' in second
    first_ref, second_ref = (order.reference for order in two_areas["ours"])
    assert (first_ref in first) != (first_ref in second)


def test_postal_staff_gather_only_at_their_collection_points(two_areas, client):
    carrier = postal_staff(two_areas["home"])
    groups = pickup_groups(carrier)
    assert [{order.pk for order in group.orders} for group in groups] == [
        {order.pk for order in two_areas["ours"]}
    ]
    theirs = two_areas["theirs"]
    their_point = CollectionPoint.objects.get(commune=two_areas["elsewhere"])
    with pytest.raises(PermissionDenied):
        pickup_consolidate(
            collection_point=their_point,
            order_ids=[order.pk for order in theirs],
            created_by=carrier,
        )
    client.force_login(carrier)
    answer = client.post(
        reverse("shipping:pickups"),
        {"collection_point": their_point.pk, "orders": [order.pk for order in theirs]},
    )
    assert answer.status_code == 404
    assert not PickupShare.objects.exists()


def test_the_pickups_page_lists_only_the_postal_areas_pickups(two_areas, client):
    ours, theirs = pickup_in(two_areas["home"]), pickup_in(two_areas["elsewhere"])
    carrier = postal_staff(two_areas["home"])
    assert set(visible_pickups(carrier)) == {ours}
    assert set(editable_pickups(carrier)) == {ours}
    client.force_login(carrier)
    page = client.get(reverse("shipping:pickups")).content.decode()
    assert ours.shares.get().order.reference in page
    assert theirs.shares.get().order.reference not in page


def test_officers_see_their_areas_pickups_read_only_and_sellers_their_own(two_areas):
    ours, theirs = pickup_in(two_areas["home"]), pickup_in(two_areas["elsewhere"])
    province_officer = officer(Role.PROVINCE_OFFICER, two_areas["home"].province)
    assert set(visible_pickups(province_officer)) == {ours}
    assert not editable_pickups(province_officer).exists()
    household = ours.shares.get().order.household
    assert household is not None
    household.user = household.user or make_user()
    household.save(update_fields=["user"])
    seller = household.user
    assert set(visible_pickups(seller)) == {ours}
    assert set(visible_pickups(ours.shares.get().order.buyer)) == {ours}
    assert not visible_pickups(buyer()).exists()
    assert set(visible_pickups(staff_user())) == {ours, theirs}
    assert ConsolidatedPickup.objects.count() == 2
