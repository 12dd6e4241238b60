"""The KPI, indicator, target and partner-figure API: scoped reads, scoped writes, clear
Vietnamese refusals."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import UserFactory, grant, officer
from nongsan.programme import rollup
from nongsan.programme.models import PartnerFigure, Target
from nongsan.programme.tests import factories as make

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 15)
D = datetime.date


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> make.World:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    w = make.world()
    make.order(make.household(w.commune_a, D(2026, 1, 10)), D(2026, 2, 20))
    rollup.rollup_rebuild(today=TODAY)
    return w


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def ministry():
    user = UserFactory.create()
    grant(user, Role.MINISTRY)
    return user


def test_indicators_are_listed(world):
    rows = client_for(ministry()).get("/api/v1/indicators/").json()
    assert "households_first_sale" in {row["code"] for row in rows}


def test_kpis_of_a_province_for_a_quarter(world):
    body = (
        client_for(ministry())
        .get(
            "/api/v1/kpis/",
            {"unit": world.province.code, "period": "2026-Q1", "indicator": "orders"},
        )
        .json()
    )
    assert body["period"] == "2026-Q1"
    assert body["figures"] == [
        {
            "code": "orders",
            "name": "Đơn hàng",
            "value": 1.0,
            "target": None,
            "progress": None,
            "source": "platform",
            "estimated": False,
        }
    ]
    assert body["computed_at"]


def test_kpis_of_another_area_are_not_found(world):
    user = officer(Role.PROVINCE_OFFICER, world.other_province)
    response = client_for(user).get(
        "/api/v1/kpis/", {"unit": world.province.code, "period": "2026-Q1"}
    )
    assert response.status_code == 404
    nation = client_for(user).get("/api/v1/kpis/", {"period": "2026-Q1"})
    assert nation.status_code == 404


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "Q1-2026"}, "Kỳ không hợp lệ"),
        ({"period": "2026-13"}, "Tháng phải từ 01 đến 12"),
        ({"period": "2026", "unit": "1"}, "Mã đơn vị gồm 2 chữ số"),
        ({"period": "2026", "unit": "99"}, "Không có đơn vị"),
        ({"period": "2026", "indicator": "nope"}, "Không có chỉ tiêu"),
        ({"period": "2026", "geography": "old", "unit": "01"}, "Địa giới"),
        ({"period": "2026", "geography": "old"}, "Địa giới"),
    ],
)
def test_bad_kpi_queries_get_a_vietnamese_error(world, params, message):
    response = client_for(ministry()).get("/api/v1/kpis/", params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def _target(client, unit_code, **extra):
    body = {"indicator": "orders", "unit": unit_code, "period": "2026-Q3", "value": 100, **extra}
    return client.post("/api/v1/targets/", body, format="json")


def test_the_ministry_sets_province_targets_not_commune_ones(world):
    client = client_for(ministry())
    assert _target(client, world.province.code).status_code == 201
    refused = _target(client, world.commune_a.code)
    assert refused.status_code == 403
    assert "tỉnh giao chỉ tiêu cho xã" in refused.json()["detail"]
    assert Target.objects.count() == 1


def test_a_province_sets_targets_for_its_own_communes_only(world):
    client = client_for(officer(Role.PROVINCE_OFFICER, world.province))
    assert _target(client, world.commune_a.code).status_code == 201
    assert _target(client, world.province.code).status_code == 403
    assert _target(client, world.other_commune.code).status_code == 403
    again = _target(client, world.commune_a.code, value=150)
    assert again.status_code == 201
    assert Target.objects.get().value == 150  # changed, not duplicated


def test_commune_officers_set_no_targets(world):
    client = client_for(officer(Role.COMMUNE_OFFICER, world.commune_a))
    assert _target(client, world.commune_a.code).status_code == 403


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"value": -1}, "Dữ liệu gửi lên không hợp lệ"),
        ({"period": "2024"}, "phải ghi theo đơn vị hành chính cũ"),
        ({"indicator": "households_with_account"}, "hãy chọn kênh"),
        ({"channel": "postmart"}, "không tính theo kênh"),
        ({"value": 10**16}, "quá lớn"),
    ],
)
def test_bad_targets_are_refused_and_nothing_is_written(world, extra, message):
    response = _target(client_for(ministry()), world.province.code, **extra)
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Target.objects.exists()


def test_a_legacy_province_target_is_accepted_for_a_period_before_the_reform(world):
    client = client_for(ministry())
    response = _target(client, world.legacy_province.code, geography="legacy", period="2024")
    assert response.status_code == 201
    assert response.json()["geography"] == "legacy"
    late = _target(client, world.legacy_province.code, geography="legacy", period="2026")
    assert late.status_code == 400


def test_targets_are_listed_by_area_and_deleted_by_who_set_them(world):
    ministry_client = client_for(ministry())
    own = _target(ministry_client, world.province.code).json()
    _target(ministry_client, world.other_province.code)
    province_client = client_for(officer(Role.PROVINCE_OFFICER, world.province))
    listed = province_client.get("/api/v1/targets/").json()["results"]
    assert [row["id"] for row in listed] == [own["id"]]
    assert province_client.delete(f"/api/v1/targets/{own['id']}/").status_code == 404
    assert ministry_client.delete(f"/api/v1/targets/{own['id']}/").status_code == 204


def test_partner_figures_are_recorded_and_labelled(world):
    client = client_for(ministry())
    body = {
        "indicator": "households_with_account",
        "channel": "postmart",
        "unit": world.province.code,
        "month": "2026-03-15",
        "value": 120,
    }
    response = client.post("/api/v1/partner-figures/", body, format="json")
    assert response.status_code == 201
    assert response.json()["source"] == "partner"
    assert PartnerFigure.objects.get().month == D(2026, 3, 1)
    this_platform = client.post(
        "/api/v1/partner-figures/", {**body, "channel": "nong-san"}, format="json"
    )
    assert this_platform.status_code == 400
    rate = client.post(
        "/api/v1/partner-figures/", {**body, "indicator": "shipping_share"}, format="json"
    )
    assert rate.status_code == 400
    rollup.rollup_rebuild(today=TODAY)
    kpis = client.get("/api/v1/kpis/", {"unit": world.province.code, "period": "2026-03"}).json()
    partner = [row for row in kpis["figures"] if row["source"] == "partner"]
    assert partner == [
        {
            "code": "households_with_account.postmart.partner",
            "name": "Hộ có tài khoản trên kênh · Postmart (đối tác báo cáo)",
            "value": 120.0,
            "target": None,
            "progress": None,
            "source": "partner",
            "estimated": False,
        }
    ]


def test_the_api_is_in_the_openapi_schema(world):
    schema = client_for(ministry()).get("/api/v1/schema/").content.decode()
    for path in ("/api/v1/indicators/", "/api/v1/kpis/", "/api/v1/targets/"):
        assert path in schema
