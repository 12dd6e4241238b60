"""manage.py import_admin_units: derive the project's unit files from the official tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nongsan.geo.dataset import DATA_DIR, read_dataset, write_dataset
from nongsan.geo.importer import derive_dataset, summarize


class Command(BaseCommand):
    # It reads files and writes files; the database and URL checks have nothing to say here.
    requires_system_checks: list[str] = []
    help = (
        "Đọc hai bảng chính thức (danh mục xã 01/2025 và bảng chuyển đổi 01/7/2025) trong FOLDER,"
        " in mọi điểm không nhất quán và cách xử lý, rồi ghi tệp dữ liệu gọn của dự án."
        " / Read the two official CSVs in FOLDER, print every inconsistency and how it was"
        " resolved, and write the project's compact data files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="e.g. ../shared/data/admin-units")
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help=f"where to write units.csv and successions.csv (default: {DATA_DIR})",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="write nothing; exit with an error if the shipped files differ from the result",
        )
        parser.add_argument(
            "--summary-only", action="store_true", help="print counts, not each finding"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = derive_dataset(options["folder"])
        except (FileNotFoundError, ValueError) as error:
            raise CommandError(str(error)) from error
        if not options["summary_only"]:
            for finding in result.findings:
                self.stdout.write(str(finding))
        self.stdout.write("Số đơn vị / counts: " + _pairs(result.counts()))
        self.stdout.write("Điểm không nhất quán / findings: " + _pairs(summarize(result.findings)))
        output = options["output"] or DATA_DIR
        if options["check"]:
            if read_dataset(output) != result.dataset:
                raise CommandError(f"{output} khác với kết quả dẫn xuất / differs from the source")
            self.stdout.write(self.style.SUCCESS(f"{output} khớp với nguồn / matches the source"))
            return
        write_dataset(result.dataset, output)
        self.stdout.write(self.style.SUCCESS(f"Đã ghi / written: {output}"))


def _pairs(counts: dict[str, int]) -> str:
    return ", ".join(f"{key}={value}" for key, value in counts.items())
