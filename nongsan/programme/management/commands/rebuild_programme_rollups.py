"""Rebuild the programme's roll-up (the dashboards' figures) from the platform's tables."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from nongsan.programme.rollup import rollup_rebuild


class Command(BaseCommand):
    help = "Tính lại số liệu tổng hợp của các bảng điều khiển chương trình."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        run = rollup_rebuild()
        self.stdout.write(f"{run.rows} ô số liệu trong {time.perf_counter() - started:.1f} giây.")
