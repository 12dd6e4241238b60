"""manage.py load_reference_prices: load the shipped reference price reports (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nongsan.prices.loading import reference_prices_load


class Command(BaseCommand):
    help = "Nạp giá tham khảo của dự án (chạy lại không sao). / Load the reference prices."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(self.style.SUCCESS(f"Giá tham khảo / prices: {reference_prices_load()}"))
