"""The report pages: the period overview per role, opening, writing, submitting, approving
and returning from a phone, and what others get (404 or an explanation)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import grant
from nongsan.reports.models import ProvincialReport, ReportStatus
from nongsan.reports.periods import last_ended_period
from nongsan.reports.tests.factories import (
    commune,
    draft,
    ministry_officer,
    person,
    province,
    province_officer,
    submitted,
)

pytestmark = pytest.mark.django_db
S = ReportStatus


def _last_month():
    return last_ended_period("month", timezone.localdate())


def test_the_overview_lists_every_province_for_the_ministry_with_status(client):
    first, second = province(name="Tỉnh Một"), province(name="Tỉnh Hai")
    period = _last_month()
    draft(first, period=period, now=timezone.now())
    client.force_login(ministry_officer())
    page = client.get(reverse("reports:list"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Tỉnh Một" in text
    assert "Tỉnh Hai" in text
    assert "Đang soạn" in text
    assert "Chưa lập" in text
    assert period.label in text
    assert second.name in text


def test_the_overview_costs_the_same_queries_for_many_provinces(
    client, django_assert_max_num_queries
):
    period = _last_month()
    for _ in range(3):
        draft(province(), period=period, now=timezone.now())
    client.force_login(ministry_officer())
    with django_assert_max_num_queries(12):
        client.get(reverse("reports:list"))
    for _ in range(12):
        draft(province(), period=period, now=timezone.now())
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:list")).status_code == 200


def test_a_province_officer_sees_only_their_province_and_can_open_its_report(client):
    unit, other = province(name="Tỉnh Nhà"), province(name="Tỉnh Khác")
    officer = province_officer(unit)
    client.force_login(officer)
    page = client.get(reverse("reports:list")).content.decode()
    assert "Tỉnh Nhà" in page
    assert "Tỉnh Khác" not in page
    assert "Lập báo cáo" in page
    period = _last_month()
    answer = client.post(reverse("reports:open"), {"province": unit.pk, "period": period.code})
    report = ProvincialReport.objects.get(province=unit)
    assert answer.status_code == 302
    assert answer.url == reverse("reports:edit", args=[report.pk])
    stolen = client.post(reverse("reports:open"), {"province": other.pk, "period": period.code})
    assert stolen.status_code == 404
    assert not ProvincialReport.objects.filter(province=other).exists()


def test_a_bad_period_in_the_overview_gets_a_vietnamese_error(client):
    province_officer_user = province_officer(province())
    client.force_login(province_officer_user)
    page = client.get(reverse("reports:list"), {"period": "tháng ba"}).content.decode()
    assert "Kỳ báo cáo viết dạng năm-tháng (2026-03) hoặc năm-quý (2026-Q1)." in page


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("0000-01", "Không có kỳ báo cáo trước năm 2021."),
        ("9999-12", "Không có kỳ báo cáo sau năm 2100."),
        ("9999-Q4", "Không có kỳ báo cáo sau năm 2100."),
    ],
)
def test_a_period_outside_the_calendar_is_refused_not_a_crash(client, period, message):
    client.force_login(ministry_officer())
    page = client.get(reverse("reports:list"), {"period": period})
    assert page.status_code == 200
    assert message in page.content.decode()


def test_choosing_the_quarter_shows_the_quarter_of_the_month_in_the_box(client):
    client.force_login(ministry_officer())
    page = client.get(reverse("reports:list"), {"kind": "quarter", "period": "2026-11"})
    assert page.context["period"].code == "2026-Q4"
    month = client.get(reverse("reports:list"), {"kind": "month", "period": "2026-Q2"})
    assert month.context["period"].code == "2026-04"


def test_others_get_an_explanation_not_the_list(client):
    unit = province()
    draft(unit, period=_last_month(), now=timezone.now())
    someone = person()
    grant(someone, Role.COMMUNE_OFFICER, commune(unit))
    client.force_login(someone)
    page = client.get(reverse("reports:list")).content.decode()
    assert "dành cho cán bộ tỉnh (Sở) và Bộ" in page
    assert unit.name not in page


def test_writing_and_submitting_from_the_edit_form(client):
    unit = province()
    officer = province_officer(unit)
    report = draft(unit, officer=officer, now=timezone.now() - datetime.timedelta(days=40))
    client.force_login(officer)
    form = client.get(reverse("reports:edit", args=[report.pk]))
    assert "Tóm tắt kết quả" in form.content.decode()
    answer = client.post(
        reverse("reports:edit", args=[report.pk]),
        {
            "summary": "Đã tập huấn 300 hộ.",
            "difficulties": "Phí vận chuyển cao.",
            "proposals": "",
            "next_plan": "",
            "submit": "1",
        },
    )
    assert answer.status_code == 302
    report.refresh_from_db()
    assert (report.summary, report.status) == ("Đã tập huấn 300 hộ.", S.SUBMITTED)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Số liệu chốt khi nộp lúc" in page
    assert "1.200" in page  # the frozen figure, Vietnamese digits grouping
    assert "Nộp báo cáo" not in page


def test_an_oversized_narrative_is_shown_on_the_field(client):
    unit = province()
    officer = province_officer(unit)
    report = draft(unit, officer=officer)
    client.force_login(officer)
    page = client.post(
        reverse("reports:edit", args=[report.pk]),
        {"summary": "x" * 5001, "difficulties": "", "proposals": "", "next_plan": ""},
    )
    assert page.status_code == 200
    assert "dài 5001 ký tự, tối đa 5000 ký tự" in page.content.decode()
    report.refresh_from_db()
    assert report.summary == "Tháng 3 các xã đã tập huấn cho 120 hộ."


def test_the_ministry_returns_with_a_comment_and_the_province_sees_it(client):
    unit = province()
    officer = province_officer(unit)
    report = submitted(unit, officer=officer)
    ministry = ministry_officer()
    client.force_login(ministry)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Trả lại cho tỉnh" in page
    assert "Duyệt" in page
    empty = client.post(reverse("reports:return", args=[report.pk]), {"comment": ""}, follow=True)
    assert "Vui lòng ghi lý do trả lại báo cáo." in empty.content.decode()
    client.post(reverse("reports:return", args=[report.pk]), {"comment": "Bổ sung số hộ bán hàng."})
    report.refresh_from_db()
    assert report.status == S.RETURNED
    client.force_login(officer)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Bổ sung số hộ bán hàng." in page
    assert "Sửa báo cáo" in page


def test_the_ministry_approves(client):
    report = submitted(province())
    client.force_login(ministry_officer())
    client.post(reverse("reports:approve", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == S.APPROVED


def test_the_province_cannot_approve_its_own_report_nor_the_ministry_edit_it(client):
    unit = province()
    officer = province_officer(unit)
    report = submitted(unit, officer=officer)
    client.force_login(officer)
    assert client.post(reverse("reports:approve", args=[report.pk])).status_code == 404
    client.force_login(ministry_officer())
    assert client.get(reverse("reports:edit", args=[report.pk])).status_code == 404
    assert client.post(reverse("reports:submit", args=[report.pk])).status_code == 404
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


def test_an_illegal_step_from_a_page_is_explained(client):
    unit = province()
    officer = province_officer(unit)
    report = submitted(unit, officer=officer)
    client.force_login(officer)
    page = client.post(reverse("reports:submit", args=[report.pk]), follow=True).content.decode()
    assert "Không thể chuyển báo cáo từ “Đã nộp, chờ duyệt” sang “Đã nộp, chờ duyệt”." in page


def test_pages_need_a_login(client):
    assert client.get(reverse("reports:list")).status_code == 302
