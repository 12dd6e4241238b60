"""Distances between provinces, from the centroid of each province's mainland polygon.

``data/province_centroids.csv`` is derived from ``../shared/data/geo/vn-provinces-2025.geojson``
by :func:`centroids_derive` (``manage.py derive_province_centroids``): the area-weighted
centroid of each province's largest polygon, so that Hoàng Sa and Trường Sa do not pull
Đà Nẵng and Khánh Hòa out to sea. Distances are great-circle kilometres between centroids:
a ranking signal ("about 120 km"), not a road distance.
"""

from __future__ import annotations

import csv
import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

from nongsan.shipping.zones import province_regions

CENTROIDS_FILE = Path(__file__).resolve().parent / "data" / "province_centroids.csv"
EARTH_RADIUS_KM = 6371.0

Ring = list[list[float]]


def _ring_area_and_centroid(ring: Ring) -> tuple[float, float, float]:
    """Signed-area-free (absolute) area and centroid (lon, lat) of a closed ring."""
    doubled = centre_x = centre_y = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        cross = x0 * y1 - x1 * y0
        doubled += cross
        centre_x += (x0 + x1) * cross
        centre_y += (y0 + y1) * cross
    if doubled == 0:
        return 0.0, ring[0][0], ring[0][1]
    return abs(doubled / 2), centre_x / (3 * doubled), centre_y / (3 * doubled)


def _polygons(geometry: dict[str, Any]) -> list[list[Ring]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def centroids_derive(geojson_path: Path) -> dict[str, tuple[float, float]]:
    """Province code → (latitude, longitude) of its largest polygon's centroid, 4 decimals."""
    collection = json.loads(geojson_path.read_text(encoding="utf-8"))
    result: dict[str, tuple[float, float]] = {}
    for feature in collection["features"]:
        best = max(
            (_ring_area_and_centroid(polygon[0]) for polygon in _polygons(feature["geometry"])),
            key=lambda found: found[0],
        )
        result[feature["properties"]["code"]] = (round(best[2], 4), round(best[1], 4))
    return dict(sorted(result.items()))


def centroids_write(centroids: dict[str, tuple[float, float]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["province_code", "latitude", "longitude"])
        for code, (latitude, longitude) in centroids.items():
            writer.writerow([code, f"{latitude:.4f}", f"{longitude:.4f}"])


@lru_cache(maxsize=1)
def province_centroids() -> dict[str, tuple[float, float]]:
    with CENTROIDS_FILE.open(encoding="utf-8", newline="") as handle:
        return {
            row["province_code"]: (float(row["latitude"]), float(row["longitude"]))
            for row in csv.DictReader(handle)
        }


def great_circle_km(first: tuple[float, float], second: tuple[float, float]) -> float:
    latitude_1, longitude_1 = map(math.radians, first)
    latitude_2, longitude_2 = map(math.radians, second)
    haversine = (
        math.sin((latitude_2 - latitude_1) / 2) ** 2
        + math.cos(latitude_1)
        * math.cos(latitude_2)
        * math.sin((longitude_2 - longitude_1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(haversine))


@lru_cache(maxsize=1)
def _distance_table() -> dict[tuple[str, str], float]:
    centroids = province_centroids()
    return {
        (first, second): great_circle_km(centroids[first], centroids[second])
        for first in centroids
        for second in centroids
    }


def province_distance_km(from_code: str, to_code: str) -> float | None:
    """Kilometres between two current provinces' centroids (0 within one); None if unknown."""
    return _distance_table().get((from_code, to_code))


def provinces_by_distance(from_code: str) -> list[str]:
    """Every current province code, nearest first (the province itself first)."""
    table = _distance_table()
    return sorted(province_centroids(), key=lambda code: (table.get((from_code, code), 1e9), code))


def region_of(province_code: str) -> str:
    """The province's socio-economic region (nongsan/shipping's regions.csv), or ''."""
    return province_regions().get(province_code, "")
