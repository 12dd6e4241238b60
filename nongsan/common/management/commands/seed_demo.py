"""manage.py seed_demo: deterministic, realistic demo data for the parts that exist."""

from __future__ import annotations

import random
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from nongsan.accounts.demo import DEMO_ADMIN_PHONE, DEMO_PASSWORD, seed_people
from nongsan.geo.loading import load_units
from nongsan.geo.models import AdministrativeUnit

SCALES = {"small": 50, "medium": 2_000, "large": 50_000}


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu xác định (cùng --seed cho cùng dữ liệu): đơn vị hành chính thật, người"
        " dùng tên Việt. / Create deterministic demo data (the same --seed gives the same data):"
        " real administrative units, people with Vietnamese names. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(options["seed"])  # noqa: S311 - demo data, not secrets
        with transaction.atomic():
            if not AdministrativeUnit.objects.exists():
                self.stdout.write(f"Nạp đơn vị hành chính / loading units: {load_units()}")
            people = seed_people(rng, SCALES[options["scale"]])
        self.stdout.write(
            self.style.SUCCESS(
                f"Dữ liệu mẫu ({options['scale']}, seed {options['seed']}):"
                f" {people} người dùng mới."
                f" Đăng nhập quản trị / admin login: {DEMO_ADMIN_PHONE} / {DEMO_PASSWORD}"
            )
        )
