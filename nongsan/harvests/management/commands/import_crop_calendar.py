"""manage.py import_crop_calendar: derive the calendar file from the reference crop data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nongsan.harvests.calendar_data import DATA_DIR, derive_calendar, read_calendar, write_calendar


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = (
        "Đọc crop_calendar.csv trong FOLDER, in mọi dòng không ánh xạ được hoặc phải diễn giải,"
        " rồi ghi tệp lịch mùa vụ gọn của dự án. / Read crop_calendar.csv in FOLDER, print every"
        " row that could not be mapped or had to be interpreted, and write the project's file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="e.g. ../shared/data/crops")
        parser.add_argument("--output", type=Path, default=None, help=f"default: {DATA_DIR}")
        parser.add_argument(
            "--check", action="store_true", help="write nothing; fail if the shipped file differs"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = derive_calendar(options["folder"])
        except (FileNotFoundError, ValueError, KeyError) as error:
            raise CommandError(str(error)) from error
        for finding in result.findings:
            self.stdout.write(str(finding))
        self.stdout.write(
            f"{len(result.records)} mục / entries; không ánh xạ được loại sản phẩm / unmapped"
            f" produce: {', '.join(result.unmapped_produce()) or '—'}"
        )
        output = options["output"] or DATA_DIR
        if options["check"]:
            if read_calendar(output) != result.records:
                raise CommandError(f"{output} khác với kết quả dẫn xuất / differs from the source")
            self.stdout.write(self.style.SUCCESS(f"{output} khớp với nguồn / matches the source"))
            return
        write_calendar(result.records, output)
        self.stdout.write(self.style.SUCCESS(f"Đã ghi / written: {output}"))
