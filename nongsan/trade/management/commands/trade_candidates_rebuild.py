"""Rebuild the supply candidate table from supply offers, harvests and listings."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nongsan.trade.candidates import candidates_rebuild


class Command(BaseCommand):
    help = "Dựng lại bảng nguồn hàng để ghép với yêu cầu thu mua."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{candidates_rebuild()} candidates")
