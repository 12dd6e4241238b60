"""The price board page, its chart data, the report form and the officers' review."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import officer
from nongsan.catalog.tests.factories import lychee
from nongsan.prices.models import PriceReport, ReportStatus
from nongsan.prices.tests.factories import DAY, price_report, trader
from nongsan.producers.tests.factories import current_commune, make_user, province_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(
        "django.utils.timezone.localdate",
        lambda *args, **kwargs: DAY + datetime.timedelta(days=2),
    )


def test_the_board_shows_the_latest_day_of_each_series(
    admin_units, client, django_assert_max_num_queries, today
):
    price_report(30000, reported_on=DAY - datetime.timedelta(days=1))
    price_report(40000)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("prices:board"))
    assert response.status_code == 200
    rows = list(response.context["statistics"])
    assert [(row.day, row.modal_vnd) for row in rows] == [(DAY, 40000)]
    assert "40.000" in response.content.decode()


def test_the_chart_loads_from_our_own_files_without_inline_script(admin_units, client):
    price_report(40000)
    response = client.get(
        reverse("prices:board"), {"produce": "vai-thieu", "province": "24", "compare": "01"}
    )
    html = response.content.decode()
    assert 'data-url="/gia/du-lieu.json?' in html
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.S)
    assert scripts
    assert all(body.strip() == "" for body in scripts)
    assert "prices/vendor/chart.umd.min.js" in html
    assert "cdn" not in html.lower()


def test_the_chart_data_compares_two_provinces(admin_units, client, today):
    price_report(40000)
    price_report(38000, province=province_of(current_commune("01")))
    response = client.get(
        reverse("prices:chart-data"), {"produce": "vai-thieu", "province": "24", "compare": "01"}
    )
    body = response.json()
    assert body["days"] == [DAY.isoformat()]
    assert [(series["province"], series["modal"]) for series in body["series"]] == [
        ("24", [40000]),
        ("01", [38000]),
    ]


def test_the_chart_data_without_a_produce_says_what_is_missing(admin_units, client):
    response = client.get(reverse("prices:chart-data"), {"province": "24"})
    assert response.status_code == 400
    assert "sản phẩm" in response.json()["detail"]


def test_a_trader_reports_a_price_from_the_form(admin_units, client, today):
    lychee()
    client.force_login(trader())
    response = client.post(
        reverse("prices:report-create"),
        {
            "produce": "vai-thieu",
            "province": "24",
            "kind": "farm_gate",
            "price_vnd": "42.000",
            "reported_on": DAY.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    assert PriceReport.objects.get().price_vnd == 42000


def test_the_form_explains_a_bad_price_and_writes_nothing(admin_units, client, today):
    lychee()
    client.force_login(trader())
    response = client.post(
        reverse("prices:report-create"),
        {"produce": "vai-thieu", "province": "24", "kind": "farm_gate", "price_vnd": "bốn mươi",
         "reported_on": DAY.strftime("%d/%m/%Y")},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Giá phải là số đồng" in response.content.decode()
    assert not PriceReport.objects.exists()


def test_the_form_is_not_there_for_people_who_may_not_report(admin_units, client):
    client.force_login(make_user())
    assert client.get(reverse("prices:report-create")).status_code == 404


def test_an_officer_confirms_a_flagged_price_from_the_review_page(admin_units, client):
    for price in (40000, 41000, 42000):
        price_report(price, reported_on=DAY - datetime.timedelta(days=3))
    typo = price_report(410000)
    client.force_login(officer(Role.PROVINCE_OFFICER, typo.province))
    page = client.get(reverse("prices:flagged"))
    assert list(page.context["reports"]) == [typo]
    client.post(reverse("prices:report-review", args=[typo.pk]), {"decision": "confirm"})
    typo.refresh_from_db()
    assert typo.status == ReportStatus.CONFIRMED


def test_another_provinces_officer_cannot_review_from_the_page(admin_units, client):
    for price in (40000, 41000, 42000):
        price_report(price, reported_on=DAY - datetime.timedelta(days=3))
    typo = price_report(410000)
    client.force_login(officer(Role.PROVINCE_OFFICER, province_of(current_commune("79"))))
    response = client.post(reverse("prices:report-review", args=[typo.pk]), {"decision": "confirm"})
    assert response.status_code == 404
    typo.refresh_from_db()
    assert typo.status == ReportStatus.FLAGGED


def test_the_review_page_pages_every_flagged_report_instead_of_stopping(
    admin_units, client, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr("nongsan.prices.views.FLAGGED_PAGE_SIZE", 2)
    reports = [price_report(40000 + day, reported_on=DAY - datetime.timedelta(days=day))
               for day in range(3)]  # fmt: skip
    PriceReport.objects.update(status=ReportStatus.FLAGGED)
    client.force_login(officer(Role.PROVINCE_OFFICER, reports[0].province))
    with django_assert_max_num_queries(10):
        first = client.get(reverse("prices:flagged"))
    assert list(first.context["reports"]) == reports[:2]
    assert first.context["next_url"] == "?page=2"
    second = client.get(reverse("prices:flagged"), {"page": "2"})
    assert list(second.context["reports"]) == reports[2:]
    assert second.context["next_url"] == ""
    assert 'rel="prev"' in second.content.decode()


def test_a_commune_officer_reports_from_the_form_with_their_commune_preselected(
    admin_units, client, today
):
    lychee()
    commune = current_commune("24")
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    page = client.get(reverse("prices:report-create"))
    assert page.status_code == 200
    form = page.context["form"]
    assert (form["province"].value(), form["commune"].value()) == ("24", commune.code)
    other_province_commune = current_commune("79")
    assert other_province_commune.code not in {
        choice.code for choice in form.fields["commune"].queryset
    }
    response = client.post(
        reverse("prices:report-create"),
        {
            "produce": "vai-thieu",
            "province": "24",
            "commune": commune.code,
            "kind": "farm_gate",
            "price_vnd": "42.000",
            "reported_on": DAY.strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    assert PriceReport.objects.get().commune == commune


def test_a_commune_from_another_province_is_refused_by_the_form(admin_units, client, today):
    lychee()
    client.force_login(trader())
    response = client.post(
        reverse("prices:report-create"),
        {"produce": "vai-thieu", "province": "24", "commune": current_commune("79").code,
         "kind": "farm_gate", "price_vnd": "42.000", "reported_on": DAY.strftime("%d/%m/%Y")},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["form"].errors["commune"]
    assert not PriceReport.objects.exists()


@pytest.mark.parametrize("decision", ["", "confirmed", "xoá"])
def test_a_review_without_confirm_or_reject_is_refused_and_changes_nothing(
    admin_units, client, decision
):
    for price in (40000, 41000, 42000):
        price_report(price, reported_on=DAY - datetime.timedelta(days=3))
    typo = price_report(410000)
    client.force_login(officer(Role.PROVINCE_OFFICER, typo.province))
    response = client.post(reverse("prices:report-review", args=[typo.pk]), {"decision": decision})
    assert response.status_code == 400
    assert "xác nhận" in response.content.decode()
    typo.refresh_from_db()
    assert typo.status == ReportStatus.FLAGGED


def test_the_board_leaves_out_series_without_a_recent_day_and_pages_the_rest(
    admin_units, client, today, monkeypatch
):
    price_report(30000, kind="retail", reported_on=DAY - datetime.timedelta(days=61))
    price_report(40000)
    price_report(41000, province=province_of(current_commune("79")))
    monkeypatch.setattr("nongsan.prices.views.BOARD_PAGE_SIZE", 1)
    first = client.get(reverse("prices:board"))
    assert [row.modal_vnd for row in first.context["statistics"]] == [40000]
    second = client.get(reverse("prices:board") + first.context["next_url"])
    assert [row.modal_vnd for row in second.context["statistics"]] == [41000]
    assert second.context["next_url"] == ""
    assert list(client.get(reverse("prices:board"), {"kind": "retail"}).context["statistics"]) == []
    monkeypatch.setattr("nongsan.prices.views.BOARD_DAYS", 64)
    page = client.get(reverse("prices:board"), {"kind": "retail"})
    assert [row.modal_vnd for row in page.context["statistics"]] == [30000]
