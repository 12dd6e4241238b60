"""Price reports and the daily statistics: computed in the database, outliers held back
until an officer confirms them, only those who may report or review."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import officer
from nongsan.catalog.produce_types import produce_types_load
from nongsan.catalog.tests.factories import lychee
from nongsan.prices.loading import reference_prices_load
from nongsan.prices.models import DailyPriceStatistic, PriceReport, ReportStatus
from nongsan.prices.services import price_report_review, usual_price
from nongsan.prices.tests.factories import DAY, price_report, trader
from nongsan.producers.tests.factories import current_commune, make_user, province_of

pytestmark = pytest.mark.django_db


def _statistic() -> DailyPriceStatistic:
    return DailyPriceStatistic.objects.get(day=DAY, kind="farm_gate")


def test_the_day_has_its_minimum_maximum_mean_and_modal_price(admin_units):
    for price in (30000, 40000, 40000, 45000):
        price_report(price)
    statistic = _statistic()
    assert (statistic.minimum_vnd, statistic.maximum_vnd) == (30000, 45000)
    assert statistic.mean_vnd == 38750
    assert statistic.modal_vnd == 40000
    assert statistic.report_count == 4


def test_equally_frequent_prices_give_the_lowest_as_modal(admin_units):
    for price in (45000, 30000, 45000, 30000):
        price_report(price)
    assert _statistic().modal_vnd == 30000


def test_the_mean_is_rounded_half_up_to_a_dong(admin_units):
    price_report(10000)
    price_report(10001)
    assert _statistic().mean_vnd == 10001


def test_a_price_ten_times_the_usual_is_flagged_and_left_out(admin_units):
    for price in (40000, 41000, 42000):
        price_report(price, reported_on=DAY - datetime.timedelta(days=3))
    typo = price_report(410000)
    assert typo.status == ReportStatus.FLAGGED
    assert typo.usual_price_vnd == 41000
    assert not DailyPriceStatistic.objects.filter(day=DAY).exists()


def test_a_price_tenth_of_the_usual_is_flagged_too(admin_units):
    for price in (40000, 41000, 42000):
        price_report(price, reported_on=DAY - datetime.timedelta(days=3))
    assert price_report(4100).status == ReportStatus.FLAGGED


def test_with_too_few_reports_nothing_is_flagged(admin_units):
    price_report(40000, reported_on=DAY - datetime.timedelta(days=1))
    assert price_report(400000).status == ReportStatus.ACCEPTED


def test_an_officer_confirms_a_flagged_price_and_it_counts(admin_units):
    for price in (40000, 41000, 42000):
        price_report(price, reported_on=DAY - datetime.timedelta(days=3))
    surprising = price_report(200000)
    reviewer = officer(Role.PROVINCE_OFFICER, surprising.province)
    price_report_review(user=reviewer, report=surprising, accept=True)
    assert _statistic().maximum_vnd == 200000
    surprising.refresh_from_db()
    assert surprising.reviewed_by == reviewer


def test_a_rejected_price_never_counts_and_cannot_be_reviewed_again(admin_units):
    for price in (40000, 41000, 42000):
        price_report(price, reported_on=DAY - datetime.timedelta(days=3))
    typo = price_report(410000)
    reviewer = officer(Role.PROVINCE_OFFICER, typo.province)
    price_report_review(user=reviewer, report=typo, accept=False)
    assert not DailyPriceStatistic.objects.filter(day=DAY).exists()
    with pytest.raises(ValidationError):
        price_report_review(user=reviewer, report=typo, accept=True)


def test_another_provinces_officer_cannot_review(admin_units):
    for price in (40000, 41000, 42000):
        price_report(price, reported_on=DAY - datetime.timedelta(days=3))
    typo = price_report(410000)
    stranger = officer(Role.PROVINCE_OFFICER, province_of(current_commune("79")))
    with pytest.raises(PermissionDenied):
        price_report_review(user=stranger, report=typo, accept=True)


def test_a_commune_officer_reports_in_the_commune_only(admin_units):
    commune = current_commune("24")
    user = officer(Role.COMMUNE_OFFICER, commune)
    price_report(40000, by=user, commune=commune, province=province_of(commune))
    with pytest.raises(PermissionDenied):
        price_report(40000, by=user, province=province_of(current_commune("79")))


def test_a_buyer_without_a_role_cannot_report(admin_units):
    with pytest.raises(PermissionDenied):
        price_report(40000, by=make_user())
    assert not PriceReport.objects.exists()


@pytest.mark.parametrize(
    ("price", "field"), [("abc", "price_vnd"), ("0", "price_vnd"), ("45.000,5", "price_vnd")]
)
def test_a_bad_price_is_refused_in_vietnamese(admin_units, price, field):
    with pytest.raises(ValidationError) as caught:
        price_report(price)
    assert "Giá" in caught.value.message_dict[field][0]
    assert not PriceReport.objects.exists()


def test_a_price_for_a_day_to_come_is_refused(admin_units):
    with pytest.raises(ValidationError) as caught:
        price_report(40000, reported_on=DAY + datetime.timedelta(days=40))
    assert "reported_on" in caught.value.message_dict


def test_a_price_written_with_dots_is_whole_dong(admin_units):
    assert price_report("45.000").price_vnd == 45000


def test_the_reference_prices_load_once(admin_units):
    produce_types_load()
    first = reference_prices_load()
    second = reference_prices_load()
    assert first.created == PriceReport.objects.count() > 40
    assert second.created == 0
    lychee_day = DailyPriceStatistic.objects.get(
        produce_type=lychee(), day=datetime.date(2024, 6, 18), province__code="24"
    )
    assert (lychee_day.minimum_vnd, lychee_day.maximum_vnd) == (25000, 85000)


def test_one_account_repeating_a_low_price_does_not_move_the_modal_or_the_median(admin_units):
    for price in (45000, 46000, 47000):
        price_report(price)
    statistic = _statistic()
    assert (statistic.modal_vnd, statistic.report_count) == (46000, 3)
    attacker = trader()
    price_report(30000, by=attacker)
    second = price_report(30000, by=attacker)
    statistic = _statistic()
    # Voices 30.000, 45.000, 46.000, 47.000: no price repeats, the median is 45.500 and the
    # modal the tied price nearest it (45.000 and 46.000 are equally near: the lower).
    assert statistic.modal_vnd == 45000
    assert statistic.report_count == 4
    assert (statistic.minimum_vnd, statistic.maximum_vnd, statistic.mean_vnd) == (
        30000,
        47000,
        42000,
    )
    usual = usual_price(
        produce_type=second.produce_type, province=second.province, kind="farm_gate", day=DAY
    )
    assert usual == 45500
    first, latest = PriceReport.objects.filter(reported_by=attacker).order_by("pk")
    assert (first.is_superseded, latest.is_superseded) == (True, False)


def test_a_later_report_by_the_same_person_replaces_the_earlier_in_the_statistics(
    admin_units,
):
    person = trader()
    price_report(40000, by=person)
    price_report(44000, by=person)
    statistic = _statistic()
    assert (statistic.minimum_vnd, statistic.modal_vnd, statistic.report_count) == (
        44000,
        44000,
        1,
    )
    assert PriceReport.objects.count() == 2


def test_one_person_in_many_communes_is_one_voice_of_the_province(admin_units):
    for price in (45000, 46000, 47000):
        price_report(price)
    person = trader()
    for index in range(3):
        price_report(30000, by=person, commune=current_commune("24", index))
    statistic = _statistic()
    assert statistic.report_count == 4
    assert statistic.modal_vnd == 45000
    assert not PriceReport.objects.filter(is_superseded=True).exists()


def test_a_superseded_flagged_report_leaves_the_review(admin_units):
    for price in (40000, 41000, 42000):
        price_report(price, reported_on=DAY - datetime.timedelta(days=3))
    person = trader()
    typo = price_report(410000, by=person)
    price_report(41000, by=person)
    typo.refresh_from_db()
    reviewer = officer(Role.PROVINCE_OFFICER, province_of(current_commune("24")))
    with pytest.raises(ValidationError):
        price_report_review(user=reviewer, report=typo, accept=True)
    assert _statistic().modal_vnd == 41000
