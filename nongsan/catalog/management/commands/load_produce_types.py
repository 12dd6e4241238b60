"""manage.py load_produce_types: upsert the curated produce types from the shipped CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nongsan.catalog.produce_types import DATA_FILE, ProduceTypeFileError, produce_types_load


class Command(BaseCommand):
    help = (
        "Nạp (thêm hoặc cập nhật theo mã) các loại sản phẩm từ tệp CSV đi kèm. / Upsert the "
        "produce types of the shipped CSV by slug."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=DATA_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"Không thấy tệp / file not found: {path}")
        try:
            report = produce_types_load(path=path)
        except ProduceTypeFileError as error:
            raise CommandError("\n".join(error.problems)) from error
        self.stdout.write(
            f"Loại sản phẩm / produce types: {len(report.created)} mới / created, "
            f"{len(report.updated)} cập nhật / updated, {report.unchanged} không đổi / unchanged"
        )
        for slug in report.updated:
            self.stdout.write(f"  ~ {slug}")
        if report.not_in_file:
            self.stdout.write(
                f"Không có trong tệp (giữ nguyên) / not in the file (kept): "
                f"{', '.join(report.not_in_file)}"
            )
