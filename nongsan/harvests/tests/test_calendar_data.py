"""Reading the reference crop calendar: its date forms, numbers, places and crop names."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from nongsan.harvests.calendar_data import (
    DATA_DIR,
    derive_calendar,
    parse_bound,
    parse_number,
    read_calendar,
)
from nongsan.harvests.sources import place_parse, produce_slug, region_province_codes

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "crops"
needs_shared = pytest.mark.skipif(
    not (SHARED / "crop_calendar.csv").exists(), reason="../shared/data/crops is not beside"
)


@pytest.mark.parametrize(
    ("text", "is_end", "expected"),
    [
        ("11-mid", False, (11, 11, False)),
        ("11-mid", True, (11, 20, False)),
        ("04-late", True, (4, 31, False)),
        ("04-late", False, (4, 21, False)),
        ("06-early", True, (6, 10, False)),
        ("05-25", False, (5, 25, False)),
        ("06", False, (6, 1, False)),
        ("06", True, (6, 31, False)),
        ("L03-early", False, (3, 1, True)),
        ("", False, (None, None, False)),
    ],
)
def test_a_bound_reads_as_month_and_day(text, is_end, expected):
    assert parse_bound(text, is_end=is_end) == expected


@pytest.mark.parametrize("text", ["13", "05-40", "spring", "5-late-ish"])
def test_an_unreadable_bound_is_refused(text):
    with pytest.raises(ValueError, match=text):
        parse_bound(text, is_end=False)


def test_figures_keep_their_range_and_drop_marks_and_notes():
    assert parse_number("~30") == (Decimal(30), Decimal(30))
    assert parse_number("10-20 (Hòa Lộc)") == (Decimal(10), Decimal(20))
    assert parse_number("80-85 (from fruit set)") == (Decimal(80), Decimal(85))
    assert parse_number("unknown") is None


def test_an_old_province_maps_to_todays_through_the_crosswalk():
    place = place_parse("Bắc Giang (Tân Yên)")
    assert place is not None
    assert place.province_codes == ("24",)  # Bắc Giang is part of Bắc Ninh since 2025
    assert place.detail == "Tân Yên"


def test_a_region_is_kept_as_a_region_of_todays_provinces():
    place = place_parse("Đồng bằng sông Cửu Long")
    assert place is not None
    assert place.region == "dbscl"
    assert "96" in region_province_codes("dbscl")  # Cà Mau
    assert "01" not in region_province_codes("dbscl")


def test_a_place_that_is_no_province_or_region_is_not_guessed():
    assert place_parse("Quảng Ninh - Thừa Thiên Huế") is None


def test_crop_names_map_through_the_catalog_synonyms():
    assert produce_slug("Vải thiều sớm (early lychee)") == "vai-thieu"
    assert produce_slug("Sắn (khoai mì)") == "san"
    assert produce_slug("Cà phê (Robusta)") == "ca-phe-nhan-robusta"
    assert produce_slug("Bơ") == "trai-bo"  # folded "bo" is also beef; the written name decides


def test_a_crop_name_that_fits_several_types_or_none_is_left_unmapped():
    assert produce_slug("Xoài") == ""
    assert produce_slug("Rau các loại") == ""


def test_the_shipped_calendar_reads_without_shared_data():
    records = read_calendar()
    assert len(records) > 50
    lychee = [r for r in records if r.produce_slug == "vai-thieu" and r.season_name == "sớm"]
    assert lychee
    assert all(r.province_code for r in lychee)


@needs_shared
def test_the_shipped_calendar_is_what_the_importer_derives_from_shared():
    assert derive_calendar(SHARED).records == read_calendar(DATA_DIR)


@needs_shared
def test_the_importer_reports_what_it_could_not_map(tmp_path, capsys):
    shutil.copy(SHARED / "crop_calendar.csv", tmp_path / "crop_calendar.csv")
    call_command("import_crop_calendar", str(tmp_path), "--output", str(tmp_path / "out"))
    output = capsys.readouterr().out
    assert "[produce-unmapped] Xoài" in output
    assert "[place-unmapped] Quảng Ninh - Thừa Thiên Huế" in output
    assert "[lunar]" in output
    assert read_calendar(tmp_path / "out") == read_calendar(DATA_DIR)
