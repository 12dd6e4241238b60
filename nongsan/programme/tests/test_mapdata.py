"""The shipped province map is what the importer derives from ../shared, and says whose
boundaries it draws."""

from __future__ import annotations

import json

import pytest

from nongsan.programme.mapdata import (
    MAP_ATTRIBUTION,
    SHIPPED,
    default_source,
    province_map_derive,
    province_map_text,
)


def test_the_shipped_map_has_the_34_provinces_and_the_attribution():
    document = json.loads(SHIPPED.read_text(encoding="utf-8"))
    codes = [feature["properties"]["code"] for feature in document["features"]]
    assert len(codes) == 34
    assert len(set(codes)) == 34
    assert "CC BY-SA 4.0" in document["attribution"]
    assert document["attribution"] == MAP_ATTRIBUTION


def test_every_ring_is_closed_and_rounded():
    document = json.loads(SHIPPED.read_text(encoding="utf-8"))
    for feature in document["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for polygon in polygons:
            for ring in polygon:
                assert ring[0] == ring[-1]
                assert len(ring) >= 4
                assert all(round(x, 2) == x and round(y, 2) == y for x, y in ring)


@pytest.mark.skipif(not default_source().is_file(), reason="../shared is not present")
def test_the_shipped_map_is_re_derived_from_shared_data():
    derived = province_map_text(province_map_derive(default_source()))
    assert derived == SHIPPED.read_text(encoding="utf-8")
