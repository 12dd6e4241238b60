"""The 34-province map the dashboards draw, carried into the project as a compact file.

``province_map_derive`` reads ``../shared/data/geo/vn-provinces-2025.geojson`` (see its
SOURCE.md: CC BY-SA 4.0, attribution required on the map, given by ``MAP_ATTRIBUTION``),
keeps each feature's code and names, rounds coordinates to 0.01° (about 1.1 km: enough for a
choropleth; shared borders stay shared because both sides round alike), drops the points
that rounding made repeat and the rings that collapsed. ``manage.py import_province_map``
writes the result to ``static/programme/provinces.geojson``; a test re-derives it when
``../shared`` is present and checks the shipped file is the same.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings

DIGITS = 2
SOURCE_NAME = "vn-provinces-2025.geojson"
SHIPPED = Path(__file__).resolve().parent / "static" / "programme" / "provinces.geojson"
MAP_ATTRIBUTION = (
    "Province boundaries: © Open Development Mekong / Open Development Vietnam, "
    "“Địa phận tỉnh” (source: Department of Survey and Mapping, Viet Nam), via "
    "geoBoundaries (VNM ADM1), CC BY-SA 4.0. Modified: merged into the 34 units of "
    "Resolution 202/2025/QH15 and simplified."
)
MINIMUM_RING = 4


def default_source() -> Path:
    return Path(settings.BASE_DIR).parent / "shared" / "data" / "geo" / SOURCE_NAME


def _ring(points: list[list[float]]) -> list[list[float]] | None:
    rounded: list[list[float]] = []
    for x, y in points:
        point = [round(x, DIGITS), round(y, DIGITS)]
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if rounded[0] != rounded[-1]:
        rounded.append(rounded[0])
    return rounded if len(rounded) >= MINIMUM_RING else None


def _polygon(rings: list[list[list[float]]]) -> list[list[list[float]]] | None:
    outer = _ring(rings[0])
    if outer is None:
        return None
    holes = [ring for ring in (_ring(hole) for hole in rings[1:]) if ring is not None]
    return [outer, *holes]


def _geometry(geometry: dict[str, Any]) -> dict[str, Any]:
    if geometry["type"] == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        raise ValueError(f"unexpected geometry {geometry['type']}")
    kept = [polygon for polygon in (_polygon(p) for p in polygons) if polygon is not None]
    if len(kept) == 1:
        return {"type": "Polygon", "coordinates": kept[0]}
    return {"type": "MultiPolygon", "coordinates": kept}


def province_map_derive(source: Path) -> dict[str, Any]:
    """The compact map from the shared GeoJSON (34 features, sorted by code)."""
    document = json.loads(source.read_text(encoding="utf-8"))
    features: list[dict[str, Any]] = []
    for feature in document["features"]:
        properties = feature["properties"]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "code": properties["code"],
                    "name": properties["name"],
                    "short_name": properties["short_name"],
                },
                "geometry": _geometry(feature["geometry"]),
            }
        )
    features.sort(key=lambda feature: str(feature["properties"]["code"]))
    return {"type": "FeatureCollection", "attribution": MAP_ATTRIBUTION, "features": features}


def province_map_text(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
