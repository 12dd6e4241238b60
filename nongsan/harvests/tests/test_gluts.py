"""Glut warnings: supply above what the area recently harvested, sharp price falls; updated,
never duplicated; seen by the area's officers only."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import officer
from nongsan.harvests.gluts import glut_alerts_raise
from nongsan.harvests.models import GlutAlert, GlutKind, GlutSeverity
from nongsan.harvests.permissions import visible_glut_alerts
from nongsan.harvests.services import announcement_transition
from nongsan.harvests.tests.factories import announcement
from nongsan.prices.tests.factories import price_report
from nongsan.producers.tests.factories import current_commune, household, province_of, staff_user

pytestmark = pytest.mark.django_db
MONDAY = datetime.date(2026, 6, 1)


def _history(row, weekly_tonnes: str) -> None:
    """Eight past weeks harvested at ``weekly_tonnes`` a week."""
    for week in range(1, 9):
        start = MONDAY - datetime.timedelta(weeks=week)
        made = announcement(
            row, harvest_from=start, harvest_until=start + datetime.timedelta(days=6),
            tonnes=weekly_tonnes,
        )  # fmt: skip
        announcement_transition(user=staff_user(), announcement=made, status="harvested")


def test_supply_twice_what_the_area_moves_raises_a_severe_alert_once(admin_units):
    row = household()
    _history(row, "10")
    announcement(
        row, harvest_from=MONDAY, harvest_until=MONDAY + datetime.timedelta(days=6), tonnes="25"
    )
    assert glut_alerts_raise(today=MONDAY, weeks=2) == 1
    alert = GlutAlert.objects.get()
    assert (alert.kind, alert.severity) == (GlutKind.SUPPLY, GlutSeverity.SEVERE)
    assert (alert.expected_tonnes, alert.demand_tonnes) == (Decimal("25.000"), Decimal("10.000"))
    assert alert.households == 1
    glut_alerts_raise(today=MONDAY, weeks=2)
    assert GlutAlert.objects.count() == 1


def test_supply_within_the_margin_raises_nothing(admin_units):
    row = household()
    _history(row, "10")
    announcement(
        row, harvest_from=MONDAY, harvest_until=MONDAY + datetime.timedelta(days=6), tonnes="12"
    )
    assert glut_alerts_raise(today=MONDAY, weeks=1) == 0


def test_without_history_nothing_is_guessed(admin_units):
    announcement(harvest_from=MONDAY, harvest_until=MONDAY, tonnes="500")
    assert glut_alerts_raise(today=MONDAY, weeks=1) == 0


def test_a_sharp_price_fall_raises_a_price_alert(admin_units):
    for offset in range(3, 10):
        price_report(
            40000, reported_on=datetime.date(2026, 6, 15) - datetime.timedelta(days=offset)
        )
    price_report(20000, reported_on=datetime.date(2026, 6, 15))
    price_report(20000, reported_on=datetime.date(2026, 6, 15))
    price_report(20000, reported_on=datetime.date(2026, 6, 15))
    assert glut_alerts_raise(today=datetime.date(2026, 6, 16), weeks=1) == 1
    alert = GlutAlert.objects.get()
    assert (alert.kind, alert.price_change_percent) == (GlutKind.PRICE, -50)
    assert alert.severity == GlutSeverity.SEVERE


def test_alerts_are_seen_by_the_areas_officers_only(admin_units, client):
    commune = current_commune("01")
    row = household(commune)
    _history(row, "10")
    announcement(row, harvest_from=MONDAY, harvest_until=MONDAY, tonnes="40")
    glut_alerts_raise(today=MONDAY, weeks=1)
    alert = GlutAlert.objects.get()
    assert visible_glut_alerts(officer(Role.COMMUNE_OFFICER, commune)).filter(pk=alert.pk).exists()
    stranger = officer(Role.PROVINCE_OFFICER, province_of(current_commune("79")))
    assert not visible_glut_alerts(stranger).exists()
    client.force_login(stranger)
    assert client.get(reverse("api-glut-alert-list")).json()["count"] == 0
    client.force_login(officer(Role.PROVINCE_OFFICER, province_of(commune)))
    assert client.get(reverse("api-glut-alert-list")).json()["count"] == 1
    assert client.get(reverse("harvests:glut-alerts")).status_code == 200


def test_the_alert_page_pages_every_alert_instead_of_stopping(
    admin_units, client, monkeypatch, django_assert_max_num_queries
):
    from django.utils import timezone

    from nongsan.catalog.tests.factories import lychee

    monkeypatch.setattr("nongsan.harvests.views.PAGE_SIZE", 2)
    province = province_of(current_commune("24"))
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    alerts = [
        GlutAlert.objects.create(
            produce_type=lychee(), province=province,
            week_start=monday + datetime.timedelta(weeks=week), kind=GlutKind.SUPPLY,
            severity=GlutSeverity.WATCH, raised_at=timezone.now(),
        )
        for week in range(3)
    ]  # fmt: skip
    client.force_login(officer(Role.PROVINCE_OFFICER, province))
    with django_assert_max_num_queries(12):
        first = client.get(reverse("harvests:glut-alerts"))
    assert [alert for alert, _can_open in first.context["rows"]] == alerts[:2]
    assert first.context["next_url"] == "?page=2"
    second = client.get(reverse("harvests:glut-alerts"), {"page": "2"})
    assert [alert for alert, _can_open in second.context["rows"]] == alerts[2:]


def _notices(person) -> list[str]:
    from nongsan.messaging.models import OutboundMessage

    return list(
        OutboundMessage.objects.filter(recipient=person.phone, purpose="glut_alert")
        .order_by("pk")
        .values_list("body", flat=True)
    )


def test_the_provinces_officers_and_the_ministry_are_told_once_and_again_when_worse(
    admin_units, django_capture_on_commit_callbacks
):
    from nongsan.accounts.tests.factories import ministry_user

    commune = current_commune("01")
    row = household(commune)
    _history(row, "10")
    made = announcement(row, harvest_from=MONDAY, harvest_until=MONDAY, tonnes="14")
    province_officer = officer(Role.PROVINCE_OFFICER, province_of(commune))
    english = officer(Role.PROVINCE_OFFICER, province_of(commune))
    english.preferred_language = "en"
    english.save(update_fields=["preferred_language"])
    stranger = officer(Role.PROVINCE_OFFICER, province_of(current_commune("79")))
    ministry = ministry_user()
    with django_capture_on_commit_callbacks(execute=True):
        glut_alerts_raise(today=MONDAY, weeks=1)
    alert = GlutAlert.objects.get()
    assert alert.severity == GlutSeverity.WATCH
    (told,) = _notices(province_officer)
    assert province_of(commune).name in told
    assert "(Theo dõi)" in told
    assert "mở chiến dịch giải cứu" in told
    (told_in_english,) = _notices(english)
    assert "glut warning" in told_in_english
    assert "(Watch)" in told_in_english
    (summary,) = _notices(ministry)
    assert "1 cảnh báo ùn ứ mới hoặc nặng hơn ở 1 tỉnh" in summary
    assert _notices(stranger) == []

    with django_capture_on_commit_callbacks(execute=True):
        glut_alerts_raise(today=MONDAY, weeks=1)  # the same alert again: nobody is told twice
    assert len(_notices(province_officer)) == 1
    assert len(_notices(ministry)) == 1

    announcement_transition(user=staff_user(), announcement=made, status="revised", tonnes="40")
    with django_capture_on_commit_callbacks(execute=True):
        glut_alerts_raise(today=MONDAY, weeks=1)
    assert GlutAlert.objects.get().severity == GlutSeverity.SEVERE
    assert "(Nghiêm trọng)" in _notices(province_officer)[-1]
    assert len(_notices(ministry)) == 2


def test_a_message_holds_three_alerts_and_counts_the_rest():
    from nongsan.harvests.glut_notices import _province_body

    alerts = [
        GlutAlert(
            produce_type_id=1,
            province_id=1,
            week_start=MONDAY + datetime.timedelta(weeks=week),
            kind=GlutKind.SUPPLY,
            severity=GlutSeverity.WARNING,
        )
        for week in range(5)
    ]
    body = _province_body(alerts, "Tỉnh Bắc Ninh", {1: "Vải thiều"})
    assert body.count("Vải thiều tuần") == 3
    assert "và 2 cảnh báo khác" in body
    assert len(body) <= 480
