"""Load carriers' rate tables from a CSV (the shipped sample by default)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nongsan.shipping.services import RATES_FILE, shipping_rates_load


class Command(BaseCommand):
    help = "Load carriers and their rate tables (replaces the tables of the carriers named)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", default=str(RATES_FILE))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = shipping_rates_load(path=Path(options["path"]))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"{counts['carriers']} carriers, {counts['rates']} rates")
