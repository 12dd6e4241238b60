"""Prices from a spreadsheet: every row checked first, all or nothing, errors by row."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import officer
from nongsan.catalog.tests.factories import lychee
from nongsan.prices.bulk import price_reports_import
from nongsan.prices.models import DailyPriceStatistic, PriceReport
from nongsan.prices.tests.factories import DAY, price_report, trader
from nongsan.producers.tests.factories import current_commune, province_of

pytestmark = pytest.mark.django_db
TODAY = DAY + datetime.timedelta(days=1)
HEADER = "Ngày,Sản phẩm,Tỉnh,Loại giá,Giá,Chợ\n"


def _file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "gia.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_sheet_of_prices_is_imported_with_names_or_codes(admin_units, tmp_path):
    lychee()
    path = _file(
        tmp_path,
        "15/06/2026,vải thiều,Bắc Ninh,tại vườn,40.000,Lục Ngạn",
        "15/06/2026,vai-thieu,24,Tại vườn,42000,",
        "15/06/2026,vai-thieu,24,bán lẻ,60000,",
    )
    result = price_reports_import(user=trader(), path=path, name="gia.csv", today=TODAY)
    assert (result.created, result.errors) == (3, [])
    # Both farm-gate rows are the same person's, produce, province and day: the later one
    # replaces the earlier in the statistics (one voice per reporter); both are kept.
    assert DailyPriceStatistic.objects.get(day=DAY, kind="farm_gate").mean_vnd == 42000
    assert PriceReport.objects.filter(is_superseded=True).get().price_vnd == 40000
    assert DailyPriceStatistic.objects.get(day=DAY, kind="retail").mean_vnd == 60000


def test_one_bad_row_writes_nothing_and_every_problem_is_named(admin_units, tmp_path):
    lychee()
    path = _file(
        tmp_path,
        "15/06/2026,vải thiều,Bắc Ninh,tại vườn,40.000,",
        "31/02/2026,sầu riêng xanh,Tỉnh Không Có,đấu giá,abc,",
    )
    result = price_reports_import(user=trader(), path=path, name="gia.csv", today=TODAY)
    assert result.created == 0
    assert len(result.errors) == 1
    assert result.errors[0].startswith("Dòng 3:")
    for words in ("dd/mm/yyyy", "sản phẩm", "tỉnh", "loại giá", "Giá"):
        assert words in result.errors[0]
    assert not PriceReport.objects.exists()


def test_a_sheet_without_a_price_column_is_refused(admin_units, tmp_path):
    path = tmp_path / "gia.csv"
    path.write_text("Ngày,Sản phẩm,Tỉnh,Loại giá\n15/06/2026,vải,24,tại vườn\n", encoding="utf-8")
    result = price_reports_import(user=trader(), path=path, name="gia.csv", today=TODAY)
    assert result.errors == ["Thiếu cột: giá."]


def test_the_import_page_takes_a_file(admin_units, client, monkeypatch):
    lychee()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    client.force_login(trader())
    upload = SimpleUploadedFile(
        "gia.csv", (HEADER + "15/06/2026,vải thiều,24,bán buôn,50.000,\n").encode("utf-8")
    )
    response = client.post(reverse("prices:report-import"), {"file": upload})
    assert response.status_code == 302
    assert PriceReport.objects.get().kind == "wholesale"


def _commune_sheet(tmp_path: Path, communes: list, name: str) -> Path:
    path = tmp_path / name
    rows = [f"15/06/2026,vai-thieu,24,tại vườn,{40000 + index},{unit.code}"
            for index, unit in enumerate(communes)]  # fmt: skip
    path.write_text("Ngày,Sản phẩm,Tỉnh,Loại giá,Giá,Xã\n" + "\n".join(rows) + "\n", "utf-8")
    return path


def test_the_import_costs_the_same_queries_for_4_rows_as_for_16(admin_units, tmp_path):
    lychee()
    province = province_of(current_commune("24"))
    communes = [current_commune("24", index) for index in range(20)]
    for price in (40000, 41000, 42000):  # enough for a usual price in both imports
        price_report(price, province=province)
    counts = []
    for size, name in ((4, "nho.csv"), (16, "lon.csv")):
        user = officer(Role.PROVINCE_OFFICER, province)
        path = _commune_sheet(tmp_path, communes[:size], name)
        with CaptureQueriesContext(connection) as queries:
            result = price_reports_import(user=user, path=path, name=name, today=TODAY)
        assert (result.created, result.errors) == (size, [])
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert PriceReport.objects.filter(commune=communes[3]).count() == 2


def test_a_commune_column_names_the_commune_by_code_or_name(admin_units, tmp_path):
    lychee()
    commune = current_commune("24", 1)
    path = tmp_path / "gia.csv"
    path.write_text(
        "Ngày,Sản phẩm,Tỉnh,Loại giá,Giá,Xã\n"
        f"15/06/2026,vai-thieu,24,tại vườn,40000,{commune.name}\n"
        f"15/06/2026,vai-thieu,24,tại vườn,41000,{current_commune('79').code}\n",
        encoding="utf-8",
    )
    result = price_reports_import(user=trader(), path=path, name="gia.csv", today=TODAY)
    assert result.created == 0
    assert result.errors == [
        f"Dòng 3: không nhận ra xã / phường “{current_commune('79').code}” trong tỉnh này."
    ]
    row = f"15/06/2026,vai-thieu,24,tại vườn,40000,{commune.name}\n"
    path.write_text("Ngày,Sản phẩm,Tỉnh,Loại giá,Giá,Xã\n" + row, encoding="utf-8")
    result = price_reports_import(user=trader(), path=path, name="gia.csv", today=TODAY)
    assert result.created == 1
    assert PriceReport.objects.get().commune == commune


def test_a_commune_officers_rows_are_their_communes(admin_units, tmp_path):
    lychee()
    commune = current_commune("24")
    user = officer(Role.COMMUNE_OFFICER, commune)
    path = _file(tmp_path, "15/06/2026,vai-thieu,24,tại vườn,40000,")
    result = price_reports_import(user=user, path=path, name="gia.csv", today=TODAY)
    assert (result.created, result.errors) == (1, [])
    assert PriceReport.objects.get().commune == commune
    path = _file(tmp_path, "15/06/2026,vai-thieu,79,tại vườn,40000,")
    result = price_reports_import(user=user, path=path, name="gia.csv", today=TODAY)
    assert result.errors == ["Dòng 2: bạn không được báo giá ở địa bàn này."]
