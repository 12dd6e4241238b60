"""The registry list's onboarding filters: channel and stage, trained or not."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import officer
from nongsan.geo.models import AdministrativeUnit
from nongsan.onboarding.models import Attendance, ChannelStage, Stage, StageEvent, StageSource
from nongsan.onboarding.tests.factories import channel, session, stage_row
from nongsan.producers.models import Household
from nongsan.producers.selectors import household_list
from nongsan.producers.tests.factories import current_commune, household, staff_user

pytestmark = [pytest.mark.django_db, pytest.mark.urls("nongsan.producers.tests.urls")]


def _attend(row: Household, attended: bool = True) -> Attendance:
    sitting = session(row.commune)
    return Attendance.objects.create(
        session=sitting,
        household=row,
        attended=attended,
        province_id=row.province_id,
        commune_id=row.commune_id,
    )


def _passed_through_training(row: Household, channel_code: str) -> None:
    """A household moved registered → trained → account created (its history says so)."""
    platform = channel(channel_code)
    stage_row(row, platform, Stage.ACCOUNT_CREATED)
    for from_stage, to_stage in [
        (Stage.REGISTERED, Stage.TRAINED),
        (Stage.TRAINED, Stage.ACCOUNT_CREATED),
    ]:
        StageEvent.objects.create(
            household=row,
            channel=platform,
            from_stage=from_stage,
            to_stage=to_stage,
            occurred_on=datetime.date(2026, 2, 1),
            source=StageSource.OFFICER,
            province_id=row.province_id,
            commune_id=row.commune_id,
        )


@pytest.fixture
def dataset(admin_units) -> dict[str, Household]:
    """Seven households of one commune, each on a different footing."""
    commune = current_commune()
    registrar = staff_user()
    rows = {
        name: household(commune, registered_by=registrar, head_name=f"Hộ {name}")
        for name in (
            "registered",
            "trained",
            "selling",
            "passed",
            "attended",
            "absent",
            "nothing",
        )
    }
    # Registering records "registered" on this platform (tested in test_data_protection);
    # this dataset sets every footing itself, so it starts from no stage at all.
    ChannelStage.objects.filter(household__in=rows.values()).delete()
    StageEvent.objects.filter(household__in=rows.values()).delete()
    postmart = channel("postmart")
    stage_row(rows["registered"], postmart, Stage.REGISTERED)
    stage_row(rows["trained"], postmart, Stage.TRAINED)
    # Reached a sale on Postmart without training (the partner skipped it).
    stage_row(rows["selling"], postmart, Stage.FIRST_SALE)
    stage_row(rows["selling"], channel("nong-san"), Stage.REGISTERED)
    _passed_through_training(rows["passed"], "nong-san")
    _attend(rows["attended"])
    _attend(rows["absent"], attended=False)
    return rows


def _names(households, rows: dict[str, Household]) -> set[str]:
    by_pk = {row.pk: name for name, row in rows.items()}
    return {by_pk[pk] for pk in households.values_list("pk", flat=True)}


def test_the_stage_on_a_channel_matches_exactly_or_at_least(dataset):
    user = staff_user()
    postmart = channel("postmart")
    exact = household_list(user=user, channel=postmart, stage=Stage.TRAINED)
    assert _names(exact, dataset) == {"trained"}
    at_least = household_list(user=user, channel=postmart, stage=Stage.TRAINED, stage_at_least=True)
    assert _names(at_least, dataset) == {"trained", "selling"}
    beyond_sale = household_list(
        user=user, channel=postmart, stage=Stage.ACTIVE_SELLER, stage_at_least=True
    )
    assert _names(beyond_sale, dataset) == set()


def test_a_stage_without_a_channel_looks_at_every_channel(dataset):
    user = staff_user()
    registered = household_list(user=user, stage=Stage.REGISTERED)
    assert _names(registered, dataset) == {"registered", "selling"}
    account = household_list(user=user, stage=Stage.ACCOUNT_CREATED, stage_at_least=True)
    assert _names(account, dataset) == {"selling", "passed"}


def test_a_channel_without_a_stage_keeps_every_household_on_it(dataset):
    on_postmart = household_list(user=staff_user(), channel=channel("postmart"))
    assert _names(on_postmart, dataset) == {"registered", "trained", "selling"}


def test_trained_means_at_trained_passed_through_it_or_attended_a_session(dataset):
    user = staff_user()
    trained = household_list(user=user, trained=True)
    assert _names(trained, dataset) == {"trained", "passed", "attended"}
    untrained = household_list(user=user, trained=False)
    assert _names(untrained, dataset) == {"registered", "selling", "absent", "nothing"}


def test_the_filters_combine(dataset):
    both = household_list(
        user=staff_user(),
        channel=channel("postmart"),
        stage=Stage.REGISTERED,
        stage_at_least=True,
        trained=False,
    )
    assert _names(both, dataset) == {"registered", "selling"}


def test_an_unknown_stage_is_refused_by_the_selector(dataset):
    with pytest.raises(ValueError, match="unknown stage"):
        household_list(user=staff_user(), stage="famous")


def test_the_filters_keep_to_the_persons_area(dataset):
    elsewhere: AdministrativeUnit = current_commune("79")
    stranger = household(elsewhere, head_name="Hộ xa")
    stage_row(stranger, channel("postmart"), Stage.TRAINED)
    user = officer(Role.COMMUNE_OFFICER, current_commune())
    trained = household_list(user=user, trained=True)
    assert stranger.pk not in set(trained.values_list("pk", flat=True))
    assert _names(trained, dataset) == {"trained", "passed", "attended"}


def test_the_page_filters_by_channel_stage_and_training(dataset, client):
    client.force_login(officer(Role.COMMUNE_OFFICER, current_commune()))
    url = reverse("producers:household-list")
    response = client.get(
        url, {"channel": "postmart", "stage": "trained", "stage_match": "at_least"}
    )
    assert response.status_code == 200
    shown = {dataset["trained"].pk, dataset["selling"].pk}
    assert response.content.count(b"data-household=") == 2
    for pk in shown:
        assert f'data-household="{pk}"'.encode() in response.content
    response = client.get(url, {"trained": "no"})
    assert response.content.count(b"data-household=") == 4
    response = client.get(url, {"trained": "yes", "page": "1"})
    assert response.content.count(b"data-household=") == 3


def test_the_filtered_page_costs_the_same_for_more_rows(dataset, client):
    commune = current_commune()
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    url = reverse("producers:household-list")
    filters = {"channel": "postmart", "stage": "registered", "stage_match": "at_least"}
    filters["trained"] = "no"
    with CaptureQueriesContext(connection) as few:
        response = client.get(url, filters)
    assert response.content.count(b"data-household=") == 2
    registrar = staff_user()
    for _index in range(20):
        row = household(commune, registered_by=registrar)
        stage_row(row, channel("postmart"), Stage.FIRST_LISTING)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, filters)
    assert response.content.count(b"data-household=") == 22
    assert len(many) == len(few)
    assert len(many) <= 12


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"channel": "facebook"}, "Không có kênh bán hàng này."),
        ({"stage": "famous"}, "Giai đoạn không hợp lệ."),
        ({"stage": "trained", "stage_match": "roughly"}, "Cách so giai đoạn không hợp lệ."),
        ({"trained": "maybe"}, "Lựa chọn tập huấn không hợp lệ."),
        ({"certification": "gold"}, "Loại chứng nhận không hợp lệ."),
    ],
)
def test_a_bad_filter_value_is_a_vietnamese_form_error(dataset, client, parameters, message):
    client.force_login(officer(Role.COMMUNE_OFFICER, current_commune()))
    response = client.get(reverse("producers:household-list"), parameters)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert b"data-household=" not in response.content
