"""Demo people for ``manage.py seed_demo``: Vietnamese names, valid phone numbers."""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from nongsan.accounts.models import User

SURNAMES = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
    "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Lò", "Hà", "Triệu", "Mai", "Đinh", "Lương",
]  # fmt: skip
MIDDLE_NAMES = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Xuân"]
GIVEN_NAMES = [
    "An", "Bình", "Chi", "Dũng", "Đào", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Hương",
    "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Nhung", "Phúc", "Phương", "Quang",
    "Sơn", "Tâm", "Thảo", "Thắng", "Thủy", "Tiến", "Trang", "Trung", "Tú", "Tuấn", "Vân", "Yến",
]  # fmt: skip
MOBILE_PREFIXES = ["032", "033", "034", "035", "036", "037", "038", "039", "070", "076", "077",
                   "078", "079", "081", "082", "083", "084", "085", "086", "088", "089", "090",
                   "091", "093", "094", "096", "097", "098"]  # fmt: skip

DEMO_ADMIN_PHONE = "+84900000001"
DEMO_PASSWORD = "nongsan-demo"  # noqa: S105 - printed to the person running the demo


@dataclass(frozen=True)
class Person:
    full_name: str
    phone: str


def person(rng: random.Random) -> Person:
    """A plausible Vietnamese person with a valid, deterministic mobile number."""
    surname = rng.choice(SURNAMES)
    middle = rng.choice(MIDDLE_NAMES)
    given = rng.choice(GIVEN_NAMES)
    number = f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**7):07d}"
    return Person(full_name=f"{surname} {middle} {given}", phone="+84" + number[1:])


def seed_people(rng: random.Random, count: int) -> int:
    """Create the demo administrator and ``count`` people; return how many were new."""
    created = 0
    admin, is_new = User.objects.get_or_create(
        phone=DEMO_ADMIN_PHONE,
        defaults={"full_name": "Quản trị viên demo", "is_staff": True, "is_superuser": True},
    )
    if is_new:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
        created += 1
    people: dict[str, Person] = {}
    while len(people) < count:
        someone = person(rng)
        people.setdefault(someone.phone, someone)
    existing = set(User.objects.filter(phone__in=people).values_list("phone", flat=True))
    unusable = make_password(None)  # demo people sign in only after a password reset
    new_users = [
        User(phone=phone, full_name=someone.full_name, password=unusable)
        for phone, someone in people.items()
        if phone not in existing
    ]
    User.objects.bulk_create(new_users, batch_size=1000)
    return created + len(new_users)
