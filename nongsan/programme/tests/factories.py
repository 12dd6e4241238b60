"""A small hand-checkable world for programme tests: a few units before and after the reform,
households, listings, orders and training written straight to the tables."""

from __future__ import annotations

import datetime
import itertools
import zoneinfo
from dataclasses import dataclass
from typing import Any

from nongsan.catalog.models import Listing, ListingStatus
from nongsan.catalog.tests.factories import produce_type
from nongsan.common.text import fold
from nongsan.geo.models import AdministrativeUnit, UnitLevel, UnitSuccession, UnitType
from nongsan.geo.tests.factories import (  # re-exported for tests
    AdministrativeChangeFactory,
    AdministrativeUnitFactory,
    UnitSuccessionFactory,
)
from nongsan.onboarding.models import Attendance, Course, Organiser, TrainingSession
from nongsan.orders.models import Checkout, Order, OrderEvent, OrderStatus, PaymentMethod
from nongsan.producers.models import Household

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
_numbers = itertools.count(1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=VIETNAM)


@dataclass
class World:
    """Current province P (communes A, B) and legacy province Q (communes Q1..Q4) that went
    into P: Q1 and Q2 whole into A, Q3 split between A and B, Q4 renamed into B.
    Also current province R with commune R1 (unchanged from legacy S / S1)."""

    province: AdministrativeUnit
    commune_a: AdministrativeUnit
    commune_b: AdministrativeUnit
    legacy_province: AdministrativeUnit
    legacy: list[AdministrativeUnit]
    other_province: AdministrativeUnit
    other_commune: AdministrativeUnit
    other_legacy_province: AdministrativeUnit
    other_legacy_commune: AdministrativeUnit


def world() -> World:
    change = AdministrativeChangeFactory.create()
    province = AdministrativeUnitFactory.create(level=UnitLevel.PROVINCE, short_name="Mới")
    commune_a = AdministrativeUnitFactory.create(parent=province, short_name="An")
    commune_b = AdministrativeUnitFactory.create(
        parent=province, short_name="Bình", unit_type=UnitType.WARD
    )
    legacy_province = AdministrativeUnitFactory.create(
        level=UnitLevel.PROVINCE, short_name="Cũ", legacy=True
    )
    legacy = [
        AdministrativeUnitFactory.create(parent=legacy_province, short_name=f"Cũ {n}", legacy=True)
        for n in range(1, 5)
    ]
    lines = [
        (legacy[0], commune_a, UnitSuccession.Kind.MERGED_WHOLE),
        (legacy[1], commune_a, UnitSuccession.Kind.MERGED_WHOLE),
        (legacy[2], commune_a, UnitSuccession.Kind.MERGED_PART),
        (legacy[2], commune_b, UnitSuccession.Kind.MERGED_PART),
        (legacy[3], commune_b, UnitSuccession.Kind.RENAMED),
    ]
    UnitSuccessionFactory.create(
        predecessor=legacy_province,
        successor=province,
        kind=UnitSuccession.Kind.MERGED_WHOLE,
        change=change,
    )
    for before, after, kind in lines:
        UnitSuccessionFactory.create(predecessor=before, successor=after, kind=kind, change=change)
    other_province = AdministrativeUnitFactory.create(level=UnitLevel.PROVINCE, short_name="Khác")
    other_commune = AdministrativeUnitFactory.create(parent=other_province, short_name="Khác")
    other_legacy_province = AdministrativeUnitFactory.create(
        level=UnitLevel.PROVINCE, short_name="Khác cũ", legacy=True
    )
    other_legacy_commune = AdministrativeUnitFactory.create(
        parent=other_legacy_province, short_name="Khác cũ", legacy=True
    )
    UnitSuccessionFactory.create(
        predecessor=other_legacy_province,
        successor=other_province,
        kind=UnitSuccession.Kind.UNCHANGED,
        change=change,
    )
    UnitSuccessionFactory.create(
        predecessor=other_legacy_commune,
        successor=other_commune,
        kind=UnitSuccession.Kind.UNCHANGED,
        change=change,
    )
    return World(
        province,
        commune_a,
        commune_b,
        legacy_province,
        legacy,
        other_province,
        other_commune,
        other_legacy_province,
        other_legacy_commune,
    )


def _province_id(unit: AdministrativeUnit) -> int:
    assert unit.province_id is not None  # noqa: S101 - communes have a province
    return unit.province_id


def household(commune: AdministrativeUnit, day: datetime.date, **fields: Any) -> Household:
    number = next(_numbers)
    name = fields.pop("head_name", f"Nguyễn Văn Thử {number}")
    return Household.objects.create(
        head_name=name,
        head_name_folded=fold(name),
        phone=f"+84913{number:06d}",
        province_id=_province_id(commune),
        commune=commune,
        created_at=at(day),
        **fields,
    )


def listing(holder: Household, day: datetime.date | None) -> Listing:
    return Listing.objects.create(
        household=holder,
        province_id=holder.province_id,
        commune_id=holder.commune_id,
        produce_type=produce_type(),
        title="Vải thiều",
        price_vnd=40000,
        unit="kg",
        stock_quantity=100,
        available_from=datetime.date(2026, 1, 1),
        available_until=datetime.date(2026, 12, 31),
        status=ListingStatus.ACTIVE if day else ListingStatus.DRAFT,
        published_at=at(day) if day else None,
    )


def order(
    seller: Household,
    day: datetime.date,
    *,
    status: str = OrderStatus.COMPLETED,
    goods_vnd: int = 100_000,
    shipping_vnd: int = 0,
    confirmed: bool = True,
) -> Order:
    number = next(_numbers)
    checkout = Checkout.objects.create(
        buyer_name="Người mua",
        buyer_phone="+84900000099",
        delivery_address="Hà Nội",
        delivery_province_id=seller.province_id,
        delivery_commune_id=seller.commune_id,
        payment_method=PaymentMethod.COD,
        created_at=at(day),
    )
    row = Order.objects.create(
        reference=f"T{number:09d}",
        checkout=checkout,
        buyer_phone="+84900000099",
        household=seller,
        province_id=seller.province_id,
        commune_id=seller.commune_id,
        delivery_province_id=seller.province_id,
        delivery_commune_id=seller.commune_id,
        status=status,
        payment_method=PaymentMethod.COD,
        goods_vnd=goods_vnd,
        shipping_vnd=shipping_vnd,
        total_vnd=goods_vnd + shipping_vnd,
        placed_at=at(day),
    )
    if confirmed:
        OrderEvent.objects.create(
            order=row,
            from_status=OrderStatus.PLACED,
            to_status=OrderStatus.CONFIRMED,
            actor_role="seller",
            occurred_at=at(day),
            province_id=seller.province_id,
            commune_id=seller.commune_id,
        )
    return row


def training(commune: AdministrativeUnit, day: datetime.date, attendees: list[Household]) -> None:
    session = TrainingSession.objects.create(
        course=Course.objects.create(topic="Bán hàng trên sàn"),
        held_on=day,
        place="Nhà văn hoá",
        commune=commune,
        province_id=_province_id(commune),
        organiser=Organiser.FARMERS_ASSOCIATION,
    )
    for attendee in attendees:
        Attendance.objects.create(
            session=session,
            household=attendee,
            province_id=attendee.province_id,
            commune_id=attendee.commune_id,
        )


def marketplace_consent(
    holder: Household, day: datetime.date, withdrawn_on: datetime.date | None = None
) -> None:
    from nongsan.producers.models import ConsentPurpose, ConsentRecord
    from nongsan.producers.models.consent import ConsentMethod, Purpose

    record = ConsentRecord.objects.create(
        household=holder,
        controller="Nông Sàn",
        given_at=at(day),
        method=ConsentMethod.IN_APP,
        province_id=holder.province_id,
        commune_id=holder.commune_id,
    )
    ConsentPurpose.objects.create(
        record=record,
        household=holder,
        purpose=Purpose.MARKETPLACE,
        withdrawn_at=at(withdrawn_on) if withdrawn_on else None,
    )


def ocop_certificate(holder: Household, day: datetime.date) -> None:
    from nongsan.producers.models import Certification, CertificationKind

    Certification.objects.create(
        kind=CertificationKind.OCOP,
        ocop_stars=4,
        household=holder,
        province_id=holder.province_id,
        commune_id=holder.commune_id,
        created_at=at(day),
    )
