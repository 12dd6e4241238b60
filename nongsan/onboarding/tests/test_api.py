"""The onboarding API: a household's channels and training sessions, scoped and idempotent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import UserFactory, grant, officer
from nongsan.onboarding.models import StageEvent, StageSource, TrainingSession
from nongsan.onboarding.tests.factories import (
    channel,
    course,
    current_commune,
    household,
    session,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("nongsan.onboarding.tests.urls")]


def _channels_url(row) -> str:
    return reverse("api-household-channels", args=[row.pk])


def test_a_partner_records_a_stage_idempotently(admin_units, client):
    commune = current_commune()
    partner = UserFactory.create()
    grant(partner, Role.PARTNER_PLATFORM)
    row = household(commune, registered_by=partner)
    postmart = channel("postmart")
    postmart.partner = partner
    postmart.save(update_fields=["partner"])
    client.force_login(partner)
    body = {"channel": "postmart", "stage": "first_listing", "occurred_on": "2026-05-02"}
    first = client.post(_channels_url(row), body, content_type="application/json")
    assert first.status_code == 201, first.content
    assert first.json()["source"] == StageSource.PARTNER
    assert first.json()["skipped_stages"] == ["registered", "trained", "account_created"]
    again = client.post(_channels_url(row), body, content_type="application/json")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert StageEvent.objects.count() == 1
    listing = client.get(_channels_url(row)).json()
    postmart = next(item for item in listing if item["channel"] == "postmart")
    assert postmart["stage"] == "first_listing"
    assert postmart["reached_on"] == "2026-05-02"
    assert len(postmart["events"]) == 1
    voso = next(item for item in listing if item["channel"] == "voso")
    assert voso["stage"] is None
    assert voso["events"] == []


@pytest.mark.parametrize("channel_code", ["voso", "nong-san"])
def test_a_partner_cannot_record_on_a_channel_it_does_not_own(admin_units, client, channel_code):
    commune = current_commune()
    partner = UserFactory.create()
    grant(partner, Role.PARTNER_PLATFORM)
    postmart = channel("postmart")
    postmart.partner = partner
    postmart.save(update_fields=["partner"])
    row = household(commune, registered_by=partner)
    client.force_login(partner)
    body = {"channel": channel_code, "stage": "trained", "occurred_on": "2026-05-02"}
    response = client.post(_channels_url(row), body, content_type="application/json")
    assert response.status_code == 403, response.content
    assert "chỉ được ghi nhận giai đoạn trên kênh của chính mình" in response.json()["detail"]
    assert not StageEvent.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"channel": "shopee", "stage": "trained", "occurred_on": "2026-05-02"},
            "channel",
            "Không có kênh này.",
        ),
        (
            {"channel": "voso", "stage": "famous", "occurred_on": "2026-05-02"},
            "stage",
            "Giai đoạn không hợp lệ.",
        ),
        (
            {"channel": "voso", "stage": "trained", "occurred_on": "02/05/2026"},
            "occurred_on",
            "Ngày không hợp lệ",
        ),
        (
            {"channel": "voso", "stage": "trained", "occurred_on": "2999-01-01"},
            "occurred_on",
            "không được ở tương lai",
        ),
        (
            {"channel": "nong-san", "stage": "first_sale", "occurred_on": "2026-05-02"},
            "stage",
            "được suy ra",
        ),
    ],
)
def test_bad_stage_records_answer_400_in_vietnamese(admin_units, client, body, field, message):
    commune = current_commune()
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    response = client.post(_channels_url(household(commune)), body, content_type="application/json")
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])
    assert not StageEvent.objects.exists()


def test_a_backward_move_needs_a_reason_over_the_api(admin_units, client):
    commune = current_commune()
    row = household(commune)
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    url = _channels_url(row)
    client.post(
        url,
        {"channel": "voso", "stage": "account_created", "occurred_on": "2026-05-01"},
        content_type="application/json",
    )
    refused = client.post(
        url,
        {"channel": "voso", "stage": "registered", "occurred_on": "2026-05-02"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "Không thể lùi giai đoạn khi chưa ghi lý do" in refused.json()["detail"]
    accepted = client.post(
        url,
        {"channel": "voso", "stage": "registered", "occurred_on": "2026-05-02", "reason": "Nhầm"},
        content_type="application/json",
    )
    assert accepted.status_code == 201
    assert accepted.json()["is_backward"] is True


def test_another_areas_household_channels_answer_404(admin_units, client):
    far = household(current_commune("79"))
    client.force_login(officer(Role.PROVINCE_OFFICER, current_commune().province))
    assert client.get(_channels_url(far)).status_code == 404
    body = {"channel": "voso", "stage": "registered", "occurred_on": "2026-05-02"}
    assert client.post(_channels_url(far), body, content_type="application/json").status_code == 404
    assert client.get(_channels_url(far)).status_code == 404


def test_anonymous_callers_are_refused(admin_units, client):
    row = household(current_commune())
    assert client.get(_channels_url(row)).status_code in (401, 403)
    assert client.get(reverse("api-training-session-list")).status_code in (401, 403)


def test_training_sessions_are_listed_by_area_and_scheduled(admin_units, client):
    commune = current_commune()
    mine = session(commune)
    far = session(current_commune("79"))
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    listing = client.get(reverse("api-training-session-list")).json()
    assert [item["id"] for item in listing["results"]] == [mine.pk]
    assert client.get(reverse("api-training-session-detail", args=[far.pk])).status_code == 404
    assert client.get(reverse("api-training-session-detail", args=[mine.pk])).status_code == 200
    body = {
        "course": course().pk,
        "held_on": "2026-06-10",
        "place": "Nhà văn hoá",
        "commune": commune.code,
        "organiser": "community_tech_team",
    }
    created = client.post(
        reverse("api-training-session-list"), body, content_type="application/json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["commune"] == commune.code
    province = commune.province
    assert province is not None
    assert created.json()["province"] == province.code
    elsewhere = client.post(
        reverse("api-training-session-list"),
        {**body, "commune": current_commune("79").code},
        content_type="application/json",
    )
    assert elsewhere.status_code == 403
    unknown = client.post(
        reverse("api-training-session-list"),
        {**body, "commune": "99999"},
        content_type="application/json",
    )
    assert unknown.status_code == 400
    assert "Không có xã, phường hiện hành với mã này." in unknown.json()["detail"]
    bad = client.post(
        reverse("api-training-session-list"),
        {**body, "organiser": "circus"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "Đơn vị tổ chức không hợp lệ." in bad.json()["errors"]["organiser"]
    assert TrainingSession.objects.count() == 3


def test_the_session_list_costs_the_same_for_more_sessions(
    admin_units, client, django_assert_max_num_queries
):
    commune = current_commune()
    for _index in range(25):
        session(commune)
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("api-training-session-list"))
    assert response.json()["count"] == 25


def test_the_schema_documents_the_endpoints(admin_units, client):
    client.force_login(officer(Role.COMMUNE_OFFICER, current_commune()))
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    paths = schema["paths"]
    assert set(paths["/api/v1/households/{id}/channels/"]) == {"get", "post"}
    assert set(paths["/api/v1/training-sessions/"]) == {"get", "post"}
    assert "get" in paths["/api/v1/training-sessions/{id}/"]
