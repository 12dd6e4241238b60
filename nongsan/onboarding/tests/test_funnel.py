"""The funnel: households at or beyond each stage per channel, with conversion, by area."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import UserFactory, ministry_user, officer
from nongsan.onboarding.models import Stage
from nongsan.onboarding.selectors import funnel
from nongsan.onboarding.tests.factories import channel, current_commune, household, stage_row
from nongsan.producers.models import HouseholdStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(admin_units):
    """Two communes of Hà Nội and one of Hồ Chí Minh City, stages on Postmart only."""
    postmart = channel("postmart")
    first, second, far = current_commune("01", 0), current_commune("01", 1), current_commune("79")
    for stage in [
        Stage.REGISTERED,
        Stage.TRAINED,
        Stage.TRAINED,
        Stage.FIRST_SALE,
        Stage.ACTIVE_SELLER,
        None,
    ]:
        row = household(first)
        if stage:
            stage_row(row, postmart, stage)
    for stage in [Stage.REGISTERED, Stage.ACCOUNT_CREATED, None, None]:
        row = household(second)
        if stage:
            stage_row(row, postmart, stage)
    for _index in range(3):
        stage_row(household(far), postmart, Stage.REGISTERED)
    # A merged-away record counts neither as a household nor on a channel.
    survivor = household(first)
    stage_row(survivor, channel("voso"), Stage.REGISTERED)
    merged = household(first, status=HouseholdStatus.MERGED, merged_into=survivor)
    stage_row(merged, postmart, Stage.ACTIVE_SELLER)
    return {"first": first, "second": second, "far": far}


def _by_channel(result):
    return {row.channel.code: row for row in result}


def _counts(row):
    return [stage.households for stage in row.stages]


def test_the_province_funnel_counts_households_at_or_beyond_each_stage(dataset):
    user = officer(Role.PROVINCE_OFFICER, dataset["first"].province)
    result = _by_channel(funnel(user=user))
    postmart = result["postmart"]
    assert postmart.households_total == 11
    assert _counts(postmart) == [7, 5, 3, 2, 2, 1]
    assert postmart.not_registered == 4
    assert [stage.conversion_percent for stage in postmart.stages] == [
        63.6,
        71.4,
        60.0,
        66.7,
        100.0,
        50.0,
    ]
    assert [stage.stage for stage in postmart.stages] == list(Stage.values)
    assert postmart.stages[0].share_percent == 63.6
    assert _counts(result["voso"]) == [1, 0, 0, 0, 0, 0]
    assert result["voso"].stages[1].conversion_percent == 0.0
    assert result["voso"].stages[2].conversion_percent is None
    assert _counts(result["nong-san"]) == [0] * 6
    assert result["nong-san"].not_registered == 11


def test_a_commune_officer_sees_only_their_commune(dataset):
    user = officer(Role.COMMUNE_OFFICER, dataset["first"])
    postmart = _by_channel(funnel(user=user))["postmart"]
    assert postmart.households_total == 7
    assert _counts(postmart) == [5, 4, 2, 2, 2, 1]


def test_filters_narrow_to_a_commune_and_a_channel(dataset):
    user = ministry_user()
    result = funnel(user=user, commune=dataset["second"], channel=channel("postmart"))
    assert [row.channel.code for row in result] == ["postmart"]
    assert result[0].households_total == 4
    assert _counts(result[0]) == [2, 1, 1, 0, 0, 0]
    national = _by_channel(funnel(user=user))["postmart"]
    assert national.households_total == 14
    assert national.stages[0].households == 10


def test_a_filter_outside_the_area_shows_nothing_of_it(dataset):
    user = officer(Role.COMMUNE_OFFICER, dataset["first"])
    postmart = _by_channel(funnel(user=user, commune=dataset["far"]))["postmart"]
    assert postmart.households_total == 0
    assert _counts(postmart) == [0] * 6
    assert postmart.stages[0].conversion_percent is None


def test_people_without_an_area_get_no_funnel(dataset):
    assert funnel(user=UserFactory.create()) == []


def test_the_funnel_costs_the_same_queries_for_more_households(admin_units):
    commune = current_commune()
    user = officer(Role.COMMUNE_OFFICER, commune)
    postmart = channel("postmart")

    def queries() -> int:
        user.__dict__.pop("_area_scope_cache", None)
        with CaptureQueriesContext(connection) as context:
            funnel(user=user)
        return len(context.captured_queries)

    stage_row(household(commune), postmart, Stage.TRAINED)
    few = queries()
    for index in range(40):
        stage_row(household(commune), postmart, list(Stage.values)[index % 6])
    assert queries() == few
    assert few <= 5
