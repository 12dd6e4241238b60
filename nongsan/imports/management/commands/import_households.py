"""``manage.py import_households FILE [--dry-run] [--report PATH] [--map ...] [--as PHONE]``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nongsan.accounts.models import User
from nongsan.audit.context import acting
from nongsan.common.phone import normalize_phone
from nongsan.imports.columns import parse_mapping_option
from nongsan.imports.exporting import XLSX, report_header, report_row, write_table
from nongsan.imports.models import RowStatus
from nongsan.imports.reading import SpreadsheetError
from nongsan.imports.services import ImportSummary, import_file, open_sheet

_STATUS_LABELS = {value: str(label) for value, label in RowStatus.choices}


class Command(BaseCommand):
    help = (
        "Nhập danh sách hộ từ tệp .xlsx/.csv (đoán cách ghép cột như trang tải lên). "
        "--dry-run chỉ kiểm tra; --report ghi báo cáo từng dòng (.xlsx hoặc .json)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")
        parser.add_argument("--report", type=Path, help="báo cáo từng dòng: .xlsx hoặc .json")
        parser.add_argument("--map", default="", help='ghép cột: "Cột A=phone,Cột B=name"')
        parser.add_argument(
            "--as", dest="acting_phone", default="", help="số điện thoại cán bộ thực hiện"
        )

    def _actor(self, phone: str) -> User:
        if not phone:
            actor = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
            if actor is None:
                raise CommandError(
                    "Cần --as SỐ_ĐIỆN_THOẠI của cán bộ thực hiện (chưa có quản trị viên)."
                )
            return actor
        try:
            number = normalize_phone(phone)
        except ValidationError as error:
            raise CommandError(f"--as: {error.messages[0]}") from error
        actor = User.objects.filter(phone=number, is_active=True).first()
        if actor is None:
            raise CommandError(f"Không có tài khoản nào với số {phone}.")
        return actor

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Không thấy tệp {path}.")
        report: Path | None = options["report"]
        if report is not None and report.suffix.lower() not in (".json", ".xlsx"):
            raise CommandError("--report phải là tệp .json hoặc .xlsx.")
        actor = self._actor(options["acting_phone"])
        try:
            sheet, rows = open_sheet(path, path.name)
            rows.close()  # type: ignore[attr-defined]
            overrides = (
                parse_mapping_option(options["map"], sheet.headers) if options["map"] else {}
            )
            with acting(actor=actor):
                mapping, outcomes = import_file(
                    path=path, actor=actor, overrides=overrides, dry_run=options["dry_run"]
                )
                summary, collected = self._run(outcomes, keep=report is not None)
        except (SpreadsheetError, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            "Ghép cột: " + ", ".join(f"{header} → {field}" for header, field in mapping.items())
        )
        counts = summary.as_dict()
        verb = "Kiểm tra (không ghi)" if options["dry_run"] else "Đã nhập"
        self.stdout.write(
            f"{verb}: {counts['total']} dòng — hợp lệ {counts['valid']}, đã nhập "
            f"{counts['imported']}, không đổi {counts['unchanged']}, lỗi {counts['error']}, "
            f"trùng {counts['duplicate']}; {counts['converted_cells']} ô đổi mã TCVN3/VNI."
        )
        if report is not None:
            self._write_report(report, counts, collected)
            self.stdout.write(f"Báo cáo: {report}")

    def _run(self, outcomes: Any, *, keep: bool) -> tuple[ImportSummary, list[Any]]:
        summary = ImportSummary()
        collected = []
        for outcome in outcomes:
            summary.add(outcome)
            if keep:
                collected.append(outcome)
        return summary, collected

    def _write_report(self, path: Path, counts: dict[str, int], outcomes: list[Any]) -> None:
        if path.suffix.lower() == ".json":
            document = {
                "summary": counts,
                "rows": [
                    {
                        "row": outcome.row_number,
                        "status": outcome.status,
                        "errors": outcome.errors,
                        "household": outcome.public_household(),
                    }
                    for outcome in outcomes
                ],
            }
            path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
            return
        with path.open("wb") as stream:
            write_table(
                report_header(),
                (
                    report_row(
                        outcome.row_number,
                        _STATUS_LABELS[outcome.status],
                        outcome.errors,
                        outcome.data,
                        outcome.conversions,
                    )
                    for outcome in outcomes
                ),
                XLSX,
                stream,
            )
