"""Derive nongsan/trade/data/province_centroids.csv from the shared province boundaries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from nongsan.trade.distances import CENTROIDS_FILE, centroids_derive, centroids_write


class Command(BaseCommand):
    help = "Tính tâm của 34 tỉnh từ tệp ranh giới GeoJSON (../shared/data/geo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("geojson", type=Path)
        parser.add_argument("--output", type=Path, default=CENTROIDS_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        centroids = centroids_derive(options["geojson"])
        centroids_write(centroids, options["output"])
        self.stdout.write(f"{len(centroids)} provinces → {options['output']}")
