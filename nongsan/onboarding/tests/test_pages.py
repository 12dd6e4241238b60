"""The onboarding pages through the HTTP layer."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import ministry_user, officer
from nongsan.onboarding.models import Attendance, ChannelStage, Stage
from nongsan.onboarding.tests.factories import (
    channel,
    current_commune,
    household,
    session,
    stage_row,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("nongsan.onboarding.tests.urls")]


def test_the_funnel_page_shows_counts_conversion_and_bars_without_inline_styles(
    admin_units, client
):
    commune = current_commune()
    postmart = channel("postmart")
    for stage in [Stage.REGISTERED, Stage.TRAINED, None, None]:
        row = household(commune)
        if stage:
            stage_row(row, postmart, stage)
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    response = client.get(reverse("onboarding:funnel"))
    assert response.status_code == 200
    page = response.content.decode()
    section = page[page.index('data-channel="postmart"') :]
    section = section[: section.index("</article>")]
    assert re.search(
        r'data-stage="registered">.*?data-count>2<.*?data-conversion>50%<', section, re.S
    )
    assert re.search(r'data-stage="trained">.*?data-count>1<.*?data-conversion>50%<', section, re.S)
    assert 'width="50" height="16" fill="#1b5e20" data-bar' in section
    assert 'width="25" height="16" fill="#1b5e20" data-bar' in section
    assert "style=" not in page
    assert "<script>" not in page


def test_the_funnel_page_filters_and_refuses_a_province_outside_the_area(admin_units, client):
    commune = current_commune()
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    response = client.get(reverse("onboarding:funnel"), {"channel": "voso"})
    assert 'data-channel="voso"' in response.content.decode()
    assert 'data-channel="postmart"' not in response.content.decode()
    refused = client.get(reverse("onboarding:funnel"), {"province": "79"})
    assert "Tỉnh này không thuộc địa bàn của bạn." in refused.content.decode()
    assert "data-channel=" not in refused.content.decode()
    unknown = client.get(reverse("onboarding:funnel"), {"channel": "shopee"})
    assert "Không có kênh này." in unknown.content.decode()


def test_the_funnel_page_needs_a_login(admin_units, client):
    response = client.get(reverse("onboarding:funnel"))
    assert response.status_code == 302


def test_an_officer_records_a_stage_on_the_household_page(admin_units, client):
    commune = current_commune()
    row = household(commune)
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    url = reverse("onboarding:household-stages", args=[row.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"channel": "postmart", "stage": "account_created", "occurred_on": "02/05/2026"}
    )
    assert response.status_code == 302
    current = ChannelStage.objects.get(household=row)
    assert (current.stage, current.reached_on) == ("account_created", datetime.date(2026, 5, 2))
    page = client.get(url).content.decode()
    assert 'data-current-stage="account_created"' in page
    assert "bỏ qua 2 giai đoạn" in page


def test_the_household_page_refuses_a_backward_move_without_reason_in_vietnamese(
    admin_units, client
):
    commune = current_commune()
    row = household(commune)
    stage_row(row, channel("voso"), Stage.FIRST_SALE)
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    url = reverse("onboarding:household-stages", args=[row.pk])
    response = client.post(
        url, {"channel": "voso", "stage": "trained", "occurred_on": "2026-05-02"}
    )
    assert response.status_code == 400
    assert "Không thể lùi giai đoạn khi chưa ghi lý do" in response.content.decode()
    bad_date = client.post(
        url, {"channel": "voso", "stage": "trained", "occurred_on": "32/13/2026"}
    )
    assert "Ngày không hợp lệ (dd/mm/yyyy)." in bad_date.content.decode()
    assert ChannelStage.objects.get(household=row).stage == Stage.FIRST_SALE


def test_another_areas_household_stages_answer_404_and_the_ministry_may_only_look(
    admin_units, client
):
    far = household(current_commune("79"))
    client.force_login(officer(Role.PROVINCE_OFFICER, current_commune().province))
    url = reverse("onboarding:household-stages", args=[far.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"channel": "voso", "stage": "registered"}).status_code == 404
    client.force_login(ministry_user())
    page = client.get(url)
    assert page.status_code == 200
    assert "Ghi nhận giai đoạn" not in page.content.decode()
    form = {"channel": "voso", "stage": "registered", "occurred_on": "2026-05-02"}
    assert client.post(url, form).status_code == 403


def test_training_sessions_list_and_attendance_make_households_trained(
    admin_units, client, django_assert_max_num_queries
):
    commune = current_commune()
    came, absent = household(commune, head_name="Lò Văn Đến"), household(commune)
    sitting = session(commune, held_on=timezone.localdate() - datetime.timedelta(days=1))
    session(current_commune("79"), course=sitting.course)
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    with django_assert_max_num_queries(10):
        listing = client.get(reverse("onboarding:session-list"))
    assert listing.content.decode().count("data-session=") == 1
    detail = client.get(reverse("onboarding:session-detail", args=[sitting.pk])).content.decode()
    assert "Lò Văn Đến" in detail
    response = client.post(
        reverse("onboarding:attendance-record", args=[sitting.pk]),
        {"household": [came.pk, absent.pk], "attended": [came.pk]},
    )
    assert response.status_code == 302
    assert set(Attendance.objects.values_list("household_id", "attended")) == {
        (came.pk, True),
        (absent.pk, False),
    }
    assert ChannelStage.objects.get(household=came, channel=channel("nong-san")).stage == "trained"
    again = client.get(reverse("onboarding:session-detail", args=[sitting.pk])).content.decode()
    assert f'value="{came.pk}" checked' in again


def test_bad_attendance_sheets_are_refused_in_vietnamese(admin_units, client):
    commune = current_commune()
    sitting = session(commune)
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    url = reverse("onboarding:attendance-record", args=[sitting.pk])
    response = client.post(url, {"household": ["abc"]})
    assert response.status_code == 400
    assert "Danh sách hộ gửi lên không hợp lệ." in response.content.decode()
    empty = client.post(url, {})
    assert "Chưa có hộ nào trong danh sách điểm danh." in empty.content.decode()
    far = household(current_commune("79"))
    outside = client.post(url, {"household": [far.pk], "attended": [far.pk]})
    assert "trong địa bàn của bạn" in outside.content.decode()
    assert not Attendance.objects.exists()


def test_another_areas_sessions_answer_404(admin_units, client):
    far = session(current_commune("79"))
    client.force_login(officer(Role.COMMUNE_OFFICER, current_commune()))
    assert client.get(reverse("onboarding:session-detail", args=[far.pk])).status_code == 404
    assert client.post(reverse("onboarding:attendance-record", args=[far.pk])).status_code == 404


def test_the_attendance_sheet_finds_any_household_of_a_large_commune(
    admin_units, client, monkeypatch
):
    from nongsan.onboarding import views

    monkeypatch.setattr(views, "CANDIDATES_PER_PAGE", 2)
    commune = current_commune()
    for name in ("Hà Văn An", "Hà Văn Bình", "Hà Văn Cường"):
        household(commune, head_name=name)
    late = household(commune, head_name="Vũ Thị Xuân")
    sitting = session(commune, held_on=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    url = reverse("onboarding:session-detail", args=[sitting.pk])
    first = client.get(url).content.decode()
    assert first.count('name="attended"') == 2
    assert "Vũ Thị Xuân" not in first
    assert "trang=2" in first
    second = client.get(url + "?trang=2").content.decode()
    assert "Vũ Thị Xuân" in second  # reached by paging
    assert "trang=3" not in second
    found = client.get(url + "?q=vu+thi+xuan").content.decode()
    assert found.count('name="attended"') == 1
    assert "Vũ Thị Xuân" in found
    response = client.post(
        reverse("onboarding:attendance-record", args=[sitting.pk]) + "?q=vu+thi+xuan",
        {"household": [late.pk], "attended": [late.pk]},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?q=vu+thi+xuan")
    assert Attendance.objects.get().household == late
    assert "Không có hộ nào khớp" in client.get(url + "?q=khong+ai").content.decode()


def test_the_sessions_list_pages(admin_units, client, monkeypatch):
    from nongsan.onboarding import views

    monkeypatch.setattr(views, "SESSIONS_PER_PAGE", 2)
    commune = current_commune()
    for days in range(3):
        session(commune, held_on=datetime.date(2026, 3, 1) + datetime.timedelta(days=days))
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    first = client.get(reverse("onboarding:session-list")).content.decode()
    assert first.count("data-session=") == 2
    assert "trang=2" in first
    second = client.get(reverse("onboarding:session-list") + "?trang=2").content.decode()
    assert second.count("data-session=") == 1
