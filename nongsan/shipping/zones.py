"""How far a parcel goes: same commune, same province, a neighbouring region, a far one.

Provinces are placed in the six socio-economic regions from ``data/regions.csv`` (see
``data/SOURCE.md``); two regions are neighbours when they share a land border."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from nongsan.shipping.models import Zone

REGIONS_FILE = Path(__file__).resolve().parent / "data" / "regions.csv"

NEIGHBOURS: dict[str, frozenset[str]] = {
    "northern_midlands_mountains": frozenset({"red_river_delta", "north_central_coast"}),
    "red_river_delta": frozenset({"northern_midlands_mountains", "north_central_coast"}),
    "north_central_coast": frozenset(
        {"northern_midlands_mountains", "red_river_delta", "central_highlands"}
    ),
    "central_highlands": frozenset({"north_central_coast", "southeast"}),
    "southeast": frozenset({"central_highlands", "mekong_delta"}),
    "mekong_delta": frozenset({"southeast"}),
}


@lru_cache(maxsize=1)
def province_regions() -> dict[str, str]:
    """Province code → region, for the 34 current provinces."""
    with REGIONS_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["province_code"]: row["region"] for row in csv.DictReader(handle)}


def zone_between(
    *, from_province: str, from_commune: str, to_province: str, to_commune: str
) -> str:
    """The zone from one commune to another, by their codes."""
    if from_commune == to_commune:
        return Zone.SAME_COMMUNE
    if from_province == to_province:
        return Zone.SAME_PROVINCE
    regions = province_regions()
    origin, destination = regions.get(from_province), regions.get(to_province)
    if origin is None or destination is None:
        raise ValueError(f"province without a region: {from_province} or {to_province}")
    if origin == destination or destination in NEIGHBOURS[origin]:
        return Zone.NEAR_REGION
    return Zone.FAR_REGION
