"""The audit trail page: officers read their area's entries, filter them, and change nothing."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import UserFactory
from nongsan.audit.context import acting
from nongsan.audit.services import audit_record, audit_reveal
from nongsan.audit.tests.factories import AuditEntryFactory, area, grant_role
from nongsan.common.formatting import DISPLAY_TIMEZONE

pytestmark = [pytest.mark.django_db, pytest.mark.urls("nongsan.audit.tests.urls")]

PAGE = "/nhat-ky/"


def _entry_ids(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr data-entry="(\d+)">', response.content.decode())]


def _text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


@pytest.fixture
def places():
    return {"a": area("An Giang"), "b": area("Cà Mau")}


@pytest.fixture
def province_officer(places):
    officer = UserFactory.create(full_name="Phạm Văn Sở")
    grant_role(officer, Role.PROVINCE_OFFICER, places["a"].province)
    return officer


def test_the_page_is_mounted_at_nhat_ky():
    assert reverse("audit:entry-list") == PAGE


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert response.url.startswith(resolve_url(settings.LOGIN_URL))
    assert "next=/nhat-ky/" in response.url


def test_a_person_without_an_officer_role_gets_an_explanation_not_an_error(client, places):
    audit_record(action="test.hidden", province=places["a"].province)
    client.force_login(UserFactory.create())

    response = client.get(PAGE)

    assert response.status_code == 200
    assert "data-empty-scope" in response.content.decode()
    assert "chưa được cấp vai trò" in _text(response)
    assert _entry_ids(response) == []


def test_a_province_officer_sees_the_provinces_entries_and_not_another_provinces(
    client, places, province_officer
):
    mine = audit_record(action="test.mine", commune=places["a"].commune)
    theirs = audit_record(action="test.theirs", province=places["b"].province)
    client.force_login(province_officer)

    response = client.get(PAGE)

    assert response.status_code == 200
    assert _entry_ids(response) == [mine.pk]
    assert theirs.pk not in _entry_ids(response)
    assert places["a"].commune.name in _text(response)


def test_an_entry_shows_vietnam_time_actor_principal_changes_and_source(
    client, places, province_officer
):
    assistant = UserFactory.create(full_name="Nguyễn Thị Hỗ Trợ")
    household = UserFactory.create(full_name="", phone="+84912345678")
    with acting(actor=assistant, on_behalf_of=household):
        entry = audit_record(
            action="accounts.profile_update",
            target=household,
            changes={"full_name": ["", "Hộ Lò Văn Bán"]},
            province=places["a"].province,
        )
    # 01:00 UTC is 08:00 in Vietnam.
    AuditEntryFactory.create(
        occurred_at=datetime.datetime(2026, 11, 23, 1, 0, tzinfo=datetime.UTC),
        action="test.timed",
        province=places["a"].province,
    )
    client.force_login(province_officer)

    text = _text(client.get(PAGE))

    assert "23/11/2026 08:00" in text
    assert "Nguyễn Thị Hỗ Trợ" in text
    assert "thay cho +8491****678" in text
    assert "+84912345678" not in text
    assert re.search(r"họ và tên\s*:\s*— → Hộ Lò Văn Bán", text)
    assert entry.action in text


def test_a_reveal_is_marked_and_can_be_listed_alone(client, places, province_officer):
    household = UserFactory.create()
    audit_record(action="accounts.profile_update", province=places["a"].province)
    reveal = audit_reveal(
        actor=province_officer, target=household, field_name="phone", province=places["a"].province
    )
    client.force_login(province_officer)

    response = client.get(PAGE, {"reveals_only": "on"})

    assert _entry_ids(response) == [reveal.pk]
    assert "Xem dữ liệu cá nhân" in _text(response)


def test_the_action_and_date_filters_narrow_the_list(client, places, province_officer):
    province = places["a"].province
    day = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=DISPLAY_TIMEZONE)
    grant = AuditEntryFactory.create(
        action="accounts.role_grant", occurred_at=day, province=province
    )
    AuditEntryFactory.create(action="geo.unit_rename", occurred_at=day, province=province)
    AuditEntryFactory.create(
        action="accounts.role_revoke",
        occurred_at=day + datetime.timedelta(days=2),
        province=province,
    )
    client.force_login(province_officer)

    response = client.get(
        PAGE, {"action": "accounts", "date_from": "20/11/2026", "date_to": "21/11/2026"}
    )

    assert response.status_code == 200
    assert _entry_ids(response) == [grant.pk]
    assert 'value="20/11/2026"' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "2026-11-20"}, "Nhập ngày theo dạng ngày/tháng/năm"),
        ({"date_from": "31/02/2026"}, "Nhập ngày theo dạng ngày/tháng/năm"),
        ({"date_to": "hôm qua"}, "Nhập ngày theo dạng ngày/tháng/năm"),
        ({"date_from": "01/01/0001"}, "trong khoảng năm 2000 đến năm 2100"),
        ({"date_from": "21/11/2026", "date_to": "20/11/2026"}, "phải bằng hoặc sau ngày bắt đầu"),
        ({"action": "xóa'; DROP TABLE"}, "Mã hành động chỉ gồm"),
    ],
)
def test_bad_filters_get_a_vietnamese_error_not_a_crash(
    client, places, province_officer, query, message
):
    audit_record(action="test.listed", province=places["a"].province)
    client.force_login(province_officer)

    response = client.get(PAGE, query)

    assert response.status_code == 200
    assert message in _text(response)
    assert "has-error" in response.content.decode()
    assert _entry_ids(response) == []


def test_the_list_is_paginated_fifty_a_page(client, places, province_officer):
    province = places["a"].province
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    entries = [
        AuditEntryFactory.create(
            occurred_at=start + datetime.timedelta(minutes=number), province=province
        )
        for number in range(120)
    ]
    newest_first = [entry.pk for entry in reversed(entries)]
    client.force_login(province_officer)

    first = client.get(PAGE)
    third = client.get(PAGE, {"page": "3", "action": "test"})

    assert _entry_ids(first) == newest_first[:50]
    assert 'rel="next"' in first.content.decode()
    assert 'rel="prev"' not in first.content.decode()
    assert _entry_ids(third) == newest_first[100:]
    assert 'rel="next"' not in third.content.decode()
    assert "?action=test&amp;page=2" in third.content.decode()


@pytest.mark.parametrize("page", ["abc", "-3", "0", "99999999999999999999"])
def test_an_unusable_page_number_does_not_crash(client, places, province_officer, page):
    audit_record(action="test.listed", province=places["a"].province)
    client.force_login(province_officer)

    response = client.get(PAGE, {"page": page})

    assert response.status_code == 200


def test_a_page_of_fifty_costs_the_same_queries_as_a_page_of_three(
    client, places, province_officer, django_assert_max_num_queries, django_assert_num_queries
):
    province, commune = places["a"].province, places["a"].commune
    actor, principal = UserFactory.create(), UserFactory.create()
    client.force_login(province_officer)

    def add(count: int) -> None:
        with acting(actor=actor, on_behalf_of=principal):
            for _ in range(count):
                audit_record(
                    action="test.listed",
                    target=principal,
                    commune=commune,
                    changes={"province": [None, province]},
                )

    add(3)
    with django_assert_max_num_queries(8) as small:
        client.get(PAGE)
    add(60)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(PAGE)
    assert len(_entry_ids(response)) == 50


def test_the_page_has_no_edit_controls_and_refuses_writes(client, places, province_officer):
    audit_record(action="test.listed", province=places["a"].province)
    client.force_login(province_officer)

    body = client.get(PAGE).content.decode()
    page_forms = re.findall(r"<form\b[^>]*>", body)

    assert all('method="get"' in form or "language-switch" in form for form in page_forms)
    assert client.post(PAGE).status_code == 405
