"""manage.py load_admin_units: load the shipped administrative units into the database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nongsan.geo.dataset import DATA_DIR
from nongsan.geo.loading import load_units


class Command(BaseCommand):
    help = (
        "Nạp đơn vị hành chính (trước và sau 01/7/2025, bảng chuyển đổi và các thay đổi về sau)"
        " từ tệp dữ liệu của dự án; chạy lại nhiều lần vẫn an toàn. / Load the administrative"
        " units, the 2025 crosswalk and later dated changes from the project's data files;"
        " safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--data", type=Path, default=DATA_DIR, help=f"default: {DATA_DIR}")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = load_units(options["data"])
        except FileNotFoundError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Đã nạp / loaded: {summary}"))
