"""Shipping: zones from the regions, rates by weight band and service, perishables refused a
slow service, the cost on the order, tracking by carrier staff."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from nongsan.geo.models import AdministrativeUnit
from nongsan.orders.tests.factories import buyer as make_buyer
from nongsan.orders.tests.factories import on_sale, place, placed_order, postal_staff
from nongsan.producers.tests.factories import current_commune, staff_user
from nongsan.shipping.models import Carrier, ShippingRate, TrackingEvent, Zone
from nongsan.shipping.services import (
    parcel_weight_grams,
    shipping_quote,
    shipping_rates_load,
    tracking_event_add,
)
from nongsan.shipping.zones import province_regions, zone_between

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates():
    shipping_rates_load()


def test_every_current_province_has_a_region(admin_units):
    current = set(
        AdministrativeUnit.objects.filter(level="province", valid_until__isnull=True).values_list(
            "code", flat=True
        )
    )
    assert current == set(province_regions())


@pytest.mark.parametrize(
    ("origin", "destination", "zone"),
    [
        (("01", "00001"), ("01", "00001"), Zone.SAME_COMMUNE),
        (("01", "00001"), ("01", "00004"), Zone.SAME_PROVINCE),
        (("01", "00001"), ("38", "14000"), Zone.NEAR_REGION),  # Hà Nội → Thanh Hóa
        (("79", "26734"), ("96", "32000"), Zone.NEAR_REGION),  # TP.HCM → Cà Mau
        (("01", "00001"), ("79", "26734"), Zone.FAR_REGION),  # Hà Nội → TP.HCM
        (("20", "06000"), ("92", "31000"), Zone.FAR_REGION),  # Lạng Sơn → Cần Thơ
    ],
)
def test_zones_follow_communes_provinces_and_regions(origin, destination, zone):
    assert (
        zone_between(
            from_province=origin[0],
            from_commune=origin[1],
            to_province=destination[0],
            to_commune=destination[1],
        )
        == zone
    )


def test_loading_the_sample_table_replaces_it(rates):
    count = ShippingRate.objects.count()
    shipping_rates_load()
    assert ShippingRate.objects.count() == count
    assert Carrier.objects.count() == 1


def test_a_broken_rate_file_loads_nothing(tmp_path):
    broken = tmp_path / "rates.csv"
    broken.write_text(
        "carrier,carrier_name,service,zone,max_weight_grams,price_vnd,transit_days\n"
        "x,X,standard,same_province,1000,10000,1\n"
        "x,X,teleport,same_province,1000,10000,1\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError, match="Dòng 3"):
        shipping_rates_load(path=broken)
    assert not Carrier.objects.exists()


def test_the_load_command_reports_what_it_loaded(capsys):
    call_command("load_shipping_rates")
    assert "1 carriers" in capsys.readouterr().out


def test_the_quote_uses_the_smallest_band_that_fits(admin_units, rates):
    hanoi, other = current_commune("01"), current_commune("01", 4)
    light = shipping_quote(
        from_commune=hanoi, to_commune=other, weight_grams=2000, service="standard"
    )
    heavy = shipping_quote(
        from_commune=hanoi, to_commune=other, weight_grams=2001, service="standard"
    )
    assert (light.zone, light.price_vnd, heavy.price_vnd) == ("same_province", 22000, 38000)


def test_a_parcel_too_heavy_for_every_band_is_refused(admin_units, rates):
    with pytest.raises(ValidationError, match="Chưa có giá cước"):
        shipping_quote(
            from_commune=current_commune("01"),
            to_commune=current_commune("79"),
            weight_grams=50000,
            service="standard",
        )


def test_a_perishable_refuses_a_service_slower_than_it_keeps(admin_units, rates):
    with pytest.raises(ValidationError, match="chỉ giữ được 2 ngày"):
        shipping_quote(
            from_commune=current_commune("01"),
            to_commune=current_commune("79"),
            weight_grams=5000,
            service="standard",
            shelf_life_days=2,
        )
    express = shipping_quote(
        from_commune=current_commune("01"),
        to_commune=current_commune("79"),
        weight_grams=5000,
        service="express",
        shelf_life_days=2,
    )
    assert express.transit_days == 2
    cold = shipping_quote(
        from_commune=current_commune("01"),
        to_commune=current_commune("79"),
        weight_grams=5000,
        service="cold_chain",
        shelf_life_days=1,
    )
    assert cold.price_vnd == 220000


def test_produce_sold_by_count_is_not_weighed_by_guess():
    assert parcel_weight_grams([(Decimal("2.5"), "kg")]) == 2500
    with pytest.raises(ValidationError, match="cần khối lượng"):
        parcel_weight_grams([(Decimal(3), "qua")])


def test_checkout_with_a_service_adds_the_shipping_to_the_order(admin_units, rates):
    row = on_sale(current_commune("79", 2), price_vnd=30000)
    order = place(make_buyer(), (row, 3), shipping_service="standard").orders.get()
    assert (order.shipping_vnd, order.total_vnd) == (38000, 90000 + 38000)
    assert order.carrier is not None
    assert order.shipping_service == "standard"


def test_checkout_of_a_fast_perishing_produce_refuses_slow_delivery(admin_units, rates):
    from nongsan.catalog.tests.factories import produce_type

    row = on_sale(current_commune("01"), kind=produce_type(shelf_life_days=2))
    with pytest.raises(ValidationError) as raised:
        place(make_buyer(), (row, 3), shipping_service="standard")
    assert "chỉ giữ được 2 ngày" in " ".join(raised.value.message_dict["shipping_service"])


def test_carrier_staff_push_tracking_events_others_may_not(admin_units):
    order = placed_order()
    carrier = postal_staff()
    tracking_event_add(order=order, description="Đã nhận tại bưu cục", recorded_by=carrier)
    tracking_event_add(order=order, description="Đến kho Hà Nội", recorded_by=staff_user())
    with pytest.raises(PermissionDenied):
        tracking_event_add(order=order, description="Giả", recorded_by=order.buyer)
    with pytest.raises(ValidationError):
        tracking_event_add(order=order, description="  ", recorded_by=carrier)
    assert list(TrackingEvent.objects.values_list("description", flat=True)) == [
        "Đã nhận tại bưu cục",
        "Đến kho Hà Nội",
    ]
