"""Demo households and cooperatives for ``manage.py seed_demo``, in real current communes.

Rows are written in batches straight to the tables (no audit entries, no duplicate checks),
so that the large scale (a million households) loads in minutes; every household gets a
consent for the registry and most for the marketplace, recorded in the app.
"""

from __future__ import annotations

import random
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from nongsan.accounts.demo import person
from nongsan.common.bulk_insert import insert_rows
from nongsan.common.identity import CITIZEN_ID_PROVINCE_CODES
from nongsan.common.text import fold
from nongsan.geo.models import AdministrativeUnit
from nongsan.producers.banks import banks
from nongsan.producers.models import (
    Certification,
    CertificationKind,
    ConsentMethod,
    ConsentPurpose,
    ConsentRecord,
    Cooperative,
    CooperativeMembership,
    DataType,
    Household,
    Purpose,
    RegistrationChannel,
)
from nongsan.producers.personal_data import citizen_id_encrypt, citizen_id_index

BATCH_SIZE = 2_000
PRODUCE = [
    "Vải thiều", "Nhãn lồng", "Thanh long", "Sầu riêng", "Xoài cát", "Bưởi da xanh", "Cà phê",
    "Hồ tiêu", "Chè", "Gạo ST25", "Rau cải", "Cam sành", "Chuối", "Mít", "Khoai lang", "Nấm",
]  # fmt: skip
PROVINCE_CODES = sorted(CITIZEN_ID_PROVINCE_CODES)
VILLAGES = ["Thôn Đông", "Thôn Tây", "Thôn Trung", "Xóm Chợ", "Ấp 3", "Bản Lầu", "Thôn Mới"]


def _citizen_ids_available() -> bool:
    try:
        citizen_id_index("001090000001")
        citizen_id_encrypt("001090000001")
    except ImproperlyConfigured:
        return False
    return True


def seed_households(rng: random.Random, count: int) -> int:
    """Create ``count`` households with consent, and a cooperative per 200 of them."""
    communes = list(
        AdministrativeUnit.objects.filter(level="commune", valid_until__isnull=True)
        .order_by("code")
        .values_list("pk", "province_id")
    )
    if not communes or count <= 0:
        return 0
    with_citizen_ids = _citizen_ids_available()
    bank_bins = list(banks())[:10]
    now = timezone.now()
    created = 0
    while created < count:
        size = min(BATCH_SIZE, count - created)
        with transaction.atomic():
            households = []
            for _index in range(size):
                commune_id, province_id = rng.choice(communes)
                someone = person(rng)
                village = rng.choice(VILLAGES)
                household = Household(
                    head_name=someone.full_name,
                    head_name_folded=fold(someone.full_name),
                    phone=someone.phone,
                    province_id=province_id,
                    commune_id=commune_id,
                    village=village,
                    village_folded=fold(village),
                    main_produce=rng.choice(PRODUCE),
                    farm_area_hectares=Decimal(rng.randint(5, 500)) / 100,
                    registered_via=RegistrationChannel.DEMO,
                    created_at=now,
                    updated_at=now,
                )
                if with_citizen_ids and rng.random() < 0.3:
                    number = (
                        rng.choice(PROVINCE_CODES)
                        + rng.choice("01")
                        + f"{rng.randint(50, 99)}{rng.randint(0, 999999):06d}"
                    )
                    household.citizen_id_encrypted = citizen_id_encrypt(number)
                    household.citizen_id_index = citizen_id_index(number)
                    household.citizen_id_masked = number[:3] + "*" * 7 + number[-2:]
                if rng.random() < 0.2:
                    household.bank_bin = rng.choice(bank_bins)
                    household.bank_account_number = str(rng.randint(10**9, 10**12))
                    household.bank_account_holder = fold(someone.full_name).upper()
                households.append(household)
            insert_rows(Household, households)
            records = [
                ConsentRecord(
                    household=household,
                    controller="Đơn vị vận hành nền tảng Nông Sàn",
                    data_types=[DataType.NAME, DataType.PHONE, DataType.ADDRESS, DataType.FARM],
                    given_at=now,
                    method=ConsentMethod.IN_APP,
                    province_id=household.province_id,
                    commune_id=household.commune_id,
                )
                for household in households
            ]
            insert_rows(ConsentRecord, records)
            purposes = []
            for record in records:
                purposes.append(
                    ConsentPurpose(
                        record=record, household_id=record.household_id, purpose=Purpose.REGISTRY
                    )
                )
                if rng.random() < 0.8:
                    purposes.append(
                        ConsentPurpose(
                            record=record,
                            household_id=record.household_id,
                            purpose=Purpose.MARKETPLACE,
                        )
                    )
            insert_rows(ConsentPurpose, purposes)
            certifications = [
                Certification(
                    kind=CertificationKind.VIETGAP,
                    number=f"VG-{household.pk:07d}",
                    issuer="Trung tâm Chứng nhận VietGAP",
                    household=household,
                    province_id=household.province_id,
                    commune_id=household.commune_id,
                )
                for household in households
                if rng.random() < 0.1
            ]
            insert_rows(Certification, certifications)
            _seed_cooperatives(rng, households)
        created += size
    return created


def _seed_cooperatives(rng: random.Random, households: list[Household]) -> None:
    """One cooperative per 200 households, with the households of its commune as members."""
    for start in range(0, len(households), 200):
        founder = households[start]
        cooperative = Cooperative.objects.create(
            name=f"Hợp tác xã {founder.main_produce} {founder.pk}",
            name_folded=fold(f"Hợp tác xã {founder.main_produce} {founder.pk}"),
            province_id=founder.province_id,
            commune_id=founder.commune_id,
        )
        group = households[start : start + 200]
        members = [founder, *rng.sample(group, k=min(5, len(group)))]
        CooperativeMembership.objects.bulk_create(
            CooperativeMembership(
                cooperative=cooperative,
                household=member,
                sells_on_behalf=rng.random() < 0.5,
                province_id=cooperative.province_id,
                commune_id=cooperative.commune_id,
            )
            for member in {member.pk: member for member in members}.values()
        )
