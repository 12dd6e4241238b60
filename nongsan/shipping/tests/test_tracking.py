"""Tracking events: postal staff on the phone page and carriers' systems through the API
with their partner token; the events move the order along; repeated pushes count once."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from nongsan.accounts.tokens import token_create
from nongsan.orders.models import OrderStatus
from nongsan.orders.services import order_transition
from nongsan.orders.tests.factories import buyer, placed_order, postal_staff
from nongsan.producers.tests.factories import make_user, staff_user
from nongsan.shipping.models import TrackingEvent
from nongsan.shipping.services import tracking_event_add

pytestmark = pytest.mark.django_db

S = OrderStatus


def _carrier():
    return postal_staff()


def _packed():
    order = placed_order()
    staff = staff_user()
    for status in (S.CONFIRMED, S.PACKED):
        order_transition(order=order, to_status=status, by=staff)
    return order


def _bearer(user):
    _token, secret = token_create(user=user, name="Hệ thống bưu điện")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_events_move_the_order_through_delivery(admin_units):
    order, carrier = _packed(), _carrier()
    tracking_event_add(order=order, recorded_by=carrier, kind="picked_up", location="Bưu cục xã")
    order.refresh_from_db()
    assert order.status == S.HANDED_TO_CARRIER
    tracking_event_add(order=order, recorded_by=carrier, kind="at_hub")
    order.refresh_from_db()
    assert order.status == S.IN_TRANSIT
    tracking_event_add(
        order=order, recorded_by=carrier, kind="failed", reason="Không liên lạc được"
    )
    tracking_event_add(order=order, recorded_by=carrier, kind="delivered")
    order.refresh_from_db()
    assert order.status == S.DELIVERED
    assert order.payment_status == "paid"  # COD collected by the carrier
    assert list(order.events.values_list("to_status", flat=True))[-3:] == [
        S.HANDED_TO_CARRIER,
        S.IN_TRANSIT,
        S.DELIVERED,
    ]


def test_a_delivered_event_walks_a_packed_order_all_the_way(admin_units):
    order = _packed()
    tracking_event_add(order=order, recorded_by=_carrier(), kind="delivered")
    order.refresh_from_db()
    assert order.status == S.DELIVERED


def test_impossible_or_incomplete_events_are_refused_and_write_nothing(admin_units):
    carrier = _carrier()
    with pytest.raises(ValidationError, match="không ghi được"):
        tracking_event_add(order=placed_order(), recorded_by=carrier, kind="delivered")
    order = _packed()
    with pytest.raises(ValidationError, match="không ghi được"):
        tracking_event_add(order=order, recorded_by=carrier, kind="failed", reason="Vắng nhà")
    tracking_event_add(order=order, recorded_by=carrier, kind="picked_up")
    with pytest.raises(ValidationError, match="lý do"):
        tracking_event_add(order=order, recorded_by=carrier, kind="failed")
    with pytest.raises(ValidationError, match="Không có loại"):
        tracking_event_add(order=order, recorded_by=carrier, kind="teleported")
    assert TrackingEvent.objects.count() == 1


def test_a_carrier_system_pushes_events_with_its_partner_token(admin_units, client):
    order, carrier = _packed(), _carrier()
    url = reverse("api-shipment-events", args=[order.pk])
    body = {"kind": "picked_up", "location": "Bưu cục Sóc Sơn", "external_id": "VNP-1"}
    first = client.post(url, body, content_type="application/json", **_bearer(carrier))
    assert first.status_code == 201
    assert first.json()["kind"] == "picked_up"
    again = client.post(url, body, content_type="application/json", **_bearer(carrier))
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert TrackingEvent.objects.count() == 1
    order.refresh_from_db()
    assert order.status == S.HANDED_TO_CARRIER
    listed = client.get(url, **_bearer(carrier))
    assert [event["external_id"] for event in listed.json()] == ["VNP-1"]


def test_a_token_without_the_carrier_permission_cannot_push(admin_units, client):
    order = _packed()
    url = reverse("api-shipment-events", args=[order.pk])
    stranger = client.post(
        url, {"kind": "delivered"}, content_type="application/json", **_bearer(make_user())
    )
    assert stranger.status_code == 404  # not even visible
    owner = order.buyer
    as_buyer = client.post(
        url, {"kind": "delivered"}, content_type="application/json", **_bearer(owner)
    )
    assert as_buyer.status_code == 403
    anonymous = client.post(url, {"kind": "delivered"}, content_type="application/json")
    assert anonymous.status_code in (401, 403)
    forged = client.post(
        url,
        {"kind": "delivered"},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer ns_abcdefgh_forged",
    )
    assert forged.status_code == 401
    assert not TrackingEvent.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "lost_in_space"}, "kind"),
        ({"kind": "failed"}, "reason"),
        ({"kind": "at_hub", "location": "x" * 151}, "location"),
        ({"kind": "at_hub", "occurred_at": "tomorrow"}, "occurred_at"),
        ({"kind": "at_hub", "occurred_at": "2999-01-01T00:00:00+07:00"}, "occurred_at"),
    ],
)
def test_bad_pushes_are_refused_in_vietnamese(admin_units, client, body, field):
    order = _packed()
    if body["kind"] == "failed":
        tracking_event_add(order=order, recorded_by=staff_user(), kind="picked_up")
    answer = client.post(
        reverse("api-shipment-events", args=[order.pk]),
        body,
        content_type="application/json",
        **_bearer(_carrier()),
    )
    assert answer.status_code == 400
    assert field in answer.json()["errors"]


def test_a_pushed_time_is_kept(admin_units, client):
    order = _packed()
    when = timezone.now() - datetime.timedelta(hours=2)
    client.post(
        reverse("api-shipment-events", args=[order.pk]),
        {"kind": "picked_up", "occurred_at": when.isoformat()},
        content_type="application/json",
        **_bearer(_carrier()),
    )
    assert TrackingEvent.objects.get().occurred_at == when


def test_postal_staff_record_the_delivery_on_the_phone_page(admin_units, client):
    order = _packed()
    client.force_login(_carrier())
    listing = client.get(reverse("shipping:deliveries"), {"ma": order.reference[:5]})
    assert order.reference in listing.content.decode()
    page = reverse("shipping:delivery", args=[order.pk])
    refused = client.post(page, {"kind": "failed"})
    assert refused.status_code == 400
    client.post(page, {"kind": "picked_up", "location": "Bưu cục xã"})
    client.post(page, {"kind": "delivered"})
    order.refresh_from_db()
    assert order.status == S.DELIVERED
    assert "Bưu cục xã" in client.get(page).content.decode()


def test_the_phone_page_is_for_postal_staff(admin_units, client):
    order = _packed()
    client.force_login(buyer())
    assert client.get(reverse("shipping:delivery", args=[order.pk])).status_code == 403
    assert client.get(reverse("shipping:deliveries")).status_code == 403


def test_a_carrier_numbering_events_per_parcel_records_each_parcels_own(admin_units, client):
    first_order, second_order, carrier = _packed(), _packed(), _carrier()
    body = {"kind": "picked_up", "external_id": "1"}
    for order in (first_order, second_order):
        url = reverse("api-shipment-events", args=[order.pk])
        answer = client.post(url, body, content_type="application/json", **_bearer(carrier))
        assert answer.status_code == 201
    assert TrackingEvent.objects.filter(order=second_order, external_id="1").count() == 1
    second_order.refresh_from_db()
    assert second_order.status == S.HANDED_TO_CARRIER


def test_an_event_keeps_its_kind_and_speaks_the_readers_language(admin_units, client):
    from django.utils.translation import override

    order = _packed()
    with override("en"):  # whoever records it, nothing of their language is frozen in
        event = tracking_event_add(order=order, recorded_by=_carrier(), kind="picked_up")
    event.refresh_from_db()
    assert (event.kind, event.description) == ("picked_up", "")
    with override("vi"):
        assert event.label == "Đã lấy hàng"
    with override("en"):
        assert event.label == "Picked up"
    client.force_login(order.buyer)
    page = reverse("orders:order", args=[order.pk])
    assert "Đã lấy hàng" in client.get(page).content.decode()
    assert "Picked up" in client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    url = reverse("api-shipment-events", args=[order.pk])
    answer = client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert answer[0]["kind"] == "picked_up"
    assert answer[0]["kind_label"] == "Picked up"
    assert answer[0]["description"] == ""


def test_a_written_description_follows_the_kind(admin_units):
    from django.utils.translation import override

    event = tracking_event_add(
        order=_packed(), recorded_by=_carrier(), kind="at_hub", description="Kho Tân Bình"
    )
    with override("en"):
        assert event.label == "At a post office or hub: Kho Tân Bình"


def test_the_admin_shows_the_kind_and_its_label(admin_units, client):
    order = _packed()
    client.force_login(make_user(is_staff=True, is_superuser=True))
    tracking_event_add(order=order, recorded_by=_carrier(), kind="picked_up", location="Xã A")
    page = client.get(reverse("admin:shipping_trackingevent_changelist")).content.decode()
    assert "column-kind" in page
    assert "Đã lấy hàng" in page
    assert "column-label" in page
