"""manage.py import_reference_prices: derive the price file from the reference crop data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nongsan.prices.reference_data import DATA_DIR, derive_prices, read_prices, write_prices


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = (
        "Đọc prices.csv trong FOLDER, in mọi dòng bỏ qua hoặc phải diễn giải, rồi ghi tệp giá"
        " tham khảo của dự án. / Read prices.csv in FOLDER, print every skipped or interpreted"
        " row, and write the project's reference price file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="e.g. ../shared/data/crops")
        parser.add_argument("--output", type=Path, default=None, help=f"default: {DATA_DIR}")
        parser.add_argument(
            "--check", action="store_true", help="write nothing; fail if the shipped file differs"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = derive_prices(options["folder"])
        except (FileNotFoundError, ValueError, KeyError) as error:
            raise CommandError(str(error)) from error
        for finding in result.findings:
            self.stdout.write(str(finding))
        self.stdout.write(f"{len(result.reports)} báo giá / reports")
        output = options["output"] or DATA_DIR
        if options["check"]:
            if read_prices(output) != result.reports:
                raise CommandError(f"{output} khác với kết quả dẫn xuất / differs from the source")
            self.stdout.write(self.style.SUCCESS(f"{output} khớp với nguồn / matches the source"))
            return
        write_prices(result.reports, output)
        self.stdout.write(self.style.SUCCESS(f"Đã ghi / written: {output}"))
