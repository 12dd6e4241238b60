"""The reference prices: ranges, bounds, imprecise dates and regions, as decision 0017 says."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from nongsan.prices.reference_data import DATA_DIR, derive_prices, read_prices

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "crops"
needs_shared = pytest.mark.skipif(
    not (SHARED / "prices.csv").exists(), reason="../shared/data/crops is not beside"
)


def _write(folder: Path, *rows: str) -> Path:
    header = "date,crop,province,price_vnd_per_kg,kind,source,notes\n"
    (folder / "prices.csv").write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return folder


def test_a_range_becomes_its_low_and_its_high_report_of_the_same_day(tmp_path):
    result = derive_prices(
        _write(tmp_path, "2024-06-18,Vải thiều sớm,Bắc Giang,25000-70000,farm-gate,s,")
    )
    assert [(r.price_vnd, r.province_code, r.reported_on) for r in result.reports] == [
        (25000, "24", datetime.date(2024, 6, 18)),
        (70000, "24", datetime.date(2024, 6, 18)),
    ]


def test_bounds_seasons_and_regions_are_skipped_and_reported(tmp_path):
    result = derive_prices(
        _write(
            tmp_path,
            "2022-06,Vải thiều VietGAP,Bắc Giang,up to 35000,farm-gate,s,",
            "2024/25 season,Cam Cao Phong,Hòa Bình,18000-20000,farm-gate,s,",
            "2024-11-01,Cà phê nhân xô,Tây Nguyên,108800-109200,farm-gate,s,",
            "2017-04-17,Lợn hơi,Toàn quốc,<25000,farm-gate,s,",
        )
    )
    assert result.reports == []
    assert [finding.kind for finding in result.findings] == [
        "price-not-observed",
        "date-imprecise",
        "place-not-a-province",
        "place-not-a-province",
    ]


def test_a_month_is_dated_its_first_day_and_said_so(tmp_path):
    result = derive_prices(
        _write(tmp_path, "2023-06,Măng cụt,Bình Dương (Thuận An),70000,farm-gate,s,")
    )
    assert result.reports[0].reported_on == datetime.date(2023, 6, 1)
    assert result.reports[0].market_name == "Thuận An"
    assert result.findings[0].kind == "month-only"


def test_the_shipped_prices_read_without_shared_data():
    assert len(read_prices()) > 40


@needs_shared
def test_the_shipped_prices_are_what_the_importer_derives_from_shared():
    assert derive_prices(SHARED).reports == read_prices(DATA_DIR)
