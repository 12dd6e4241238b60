"""manage.py seed_demo: deterministic, realistic demo data for the parts that exist."""

from __future__ import annotations

import random
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from nongsan.accounts.demo import DEMO_ADMIN_PHONE, DEMO_PASSWORD, seed_people
from nongsan.accounts.models import User
from nongsan.catalog.demo import seed_listings
from nongsan.catalog.models import Listing
from nongsan.catalog.produce_types import produce_types_load
from nongsan.geo.loading import load_units
from nongsan.geo.models import AdministrativeUnit
from nongsan.harvests.demo import seed_calendar, seed_harvests
from nongsan.onboarding.demo import seed_onboarding
from nongsan.orders.demo import seed_orders
from nongsan.prices.demo import seed_prices, seed_reference_prices
from nongsan.producers.demo import seed_households
from nongsan.producers.models import Household
from nongsan.programme.demo import seed_programme
from nongsan.reports.demo import seed_reports
from nongsan.shipping.services import shipping_rates_load
from nongsan.trade.demo import seed_trade

# (people, households) per scale; large is the national order of magnitude for benchmarks.
SCALES = {"small": (50, 200), "medium": (2_000, 20_000), "large": (50_000, 1_000_000)}
# Listings per scale: None is up to three for each of 2,000 households; a number is exactly
# that many, shared by every household that agreed to selling.
LISTINGS = {"small": None, "medium": None, "large": 1_000_000}


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu xác định (cùng --seed cho cùng dữ liệu): đơn vị hành chính thật, người"
        " dùng tên Việt, hộ sản xuất có đồng ý, hợp tác xã. / Create deterministic demo data"
        " (the same --seed gives the same data): real administrative units, people with"
        " Vietnamese names, households with consent and cooperatives. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(options["seed"])  # noqa: S311 - demo data, not secrets
        with transaction.atomic():
            if not AdministrativeUnit.objects.exists():
                self.stdout.write(f"Nạp đơn vị hành chính / loading units: {load_units()}")
            people_count, household_count = SCALES[options["scale"]]
            people = seed_people(rng, people_count)
            # Households are seeded once: a second run must not register them twice.
            households = 0
            if not Household.objects.exists():
                households = seed_households(rng, household_count)
                seed_onboarding(
                    rng, Household.objects.only("pk", "province_id", "commune_id").iterator()
                )
            # The curated produce types are upserted on every run (idempotent); listings
            # are seeded once (a million at the large scale, see LISTINGS).
            types = produce_types_load()
            listings = 0
            if not Listing.objects.exists():
                total = LISTINGS[options["scale"]]
                listings = (
                    seed_listings(rng, max_households=household_count, total=total)
                    if total
                    else seed_listings(rng)
                )
            shipping_rates_load()
            orders = seed_orders(rng, acting=User.objects.get(phone=DEMO_ADMIN_PHONE))
            # The harvest calendar and reference prices load on every run (idempotent);
            # demo plantings and daily prices are seeded once.
            calendar = seed_calendar()
            harvests = seed_harvests(rng)
            seed_reference_prices()
            prices = seed_prices(rng)
            trade = seed_trade(rng)
            rollup_rows, targets = seed_programme(rng)
            reports = seed_reports()
        self.stdout.write(
            self.style.SUCCESS(
                f"Dữ liệu mẫu ({options['scale']}, seed {options['seed']}):"
                f" {people} người dùng mới, {households} hộ sản xuất mới,"
                f" {len(types.created)} loại sản phẩm mới, {listings} tin đăng bán mới,"
                f" {orders} đơn hàng mới, {calendar.created} mục lịch mùa vụ mới,"
                f" {harvests} báo thu hoạch mới, {prices} báo giá mới,"
                f" {trade} yêu cầu thu mua mới, {reports} báo cáo của tỉnh mới,"
                f" {targets} chỉ tiêu mẫu, {rollup_rows} ô số liệu tổng hợp."
                f" Đăng nhập quản trị / admin login: {DEMO_ADMIN_PHONE} / {DEMO_PASSWORD}"
            )
        )
