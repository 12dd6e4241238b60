"""Derive the dashboards' compact 34-province map from ../shared/data/geo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from nongsan.programme.mapdata import (
    SHIPPED,
    default_source,
    province_map_derive,
    province_map_text,
)


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Derive static/programme/provinces.geojson from the shared 34-province GeoJSON."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("source", nargs="?", help="vn-provinces-2025.geojson")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["source"]) if options["source"] else default_source()
        if not source.is_file():
            raise CommandError(f"Không thấy tệp {source}.")
        document = province_map_derive(source)
        text = province_map_text(document)
        SHIPPED.write_text(text, encoding="utf-8")
        self.stdout.write(
            f"{len(document['features'])} tỉnh, {len(text.encode()) // 1024} KB → {SHIPPED}"
        )
