"""Prices from a spreadsheet: every row checked first, all or nothing, errors by row."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nongsan.catalog.tests.factories import lychee
from nongsan.prices.bulk import price_reports_import
from nongsan.prices.models import DailyPriceStatistic, PriceReport
from nongsan.prices.tests.factories import DAY, trader

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
