"""The page forms: a household or its assistant records a planting and announces a harvest,
moves an announcement on; officers open a rescue campaign from a glut alert. Through HTTP,
with the refusals (other areas, bad input in Vietnamese)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import ministry_user, officer
from nongsan.catalog.tests.factories import lychee
from nongsan.harvests.models import (
    AnnouncementStatus,
    Campaign,
    GlutAlert,
    GlutKind,
    GlutSeverity,
    HarvestAnnouncement,
    Planting,
)
from nongsan.harvests.tests.factories import announcement, assistant_for, calendar_entry
from nongsan.producers.tests.factories import current_commune, household, make_user, province_of

pytestmark = pytest.mark.django_db
MAY_1 = datetime.date(2026, 5, 1)


def _own_household(commune=None):
    lychee()  # the produce type the forms name by its slug
    row = household(commune or current_commune("24"))
    row.user = make_user()
    row.save(update_fields=["user"])
    return row


def test_a_household_records_a_planting_and_the_calendar_gives_its_harvest(admin_units, client):
    row = _own_household()
    calendar_entry(lychee(), province_of(row.commune))  # 1 June – 31 July, 6 t/ha
    client.force_login(row.user)
    page = client.get(reverse("harvests:planting-new"))
    assert page.status_code == 200
    assert page.context["form"].fields["household"].initial == row.pk
    response = client.post(
        reverse("harvests:planting-new"),
        {"household": row.pk, "produce_type": "vai-thieu", "planted_on": "2026-05-01",
         "area_ha": "0,5"},
    )  # fmt: skip
    planting = Planting.objects.get()
    made = planting.announcement
    assert response.status_code == 302
    assert response.url == reverse("harvests:announcement", args=[made.pk])
    assert (made.harvest_from, made.harvest_until) == (
        datetime.date(2026, 6, 1),
        datetime.date(2026, 7, 31),
    )
    assert made.tonnes == Decimal("3.000")


def test_a_planting_the_calendar_cannot_time_is_refused_in_vietnamese(admin_units, client):
    row = _own_household()
    client.force_login(row.user)
    response = client.post(
        reverse("harvests:planting-new"),
        {"household": row.pk, "produce_type": "vai-thieu", "planted_on": "2026-05-01",
         "area_ha": "1"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "hãy báo thu hoạch trực tiếp" in response.content.decode()
    assert not Planting.objects.exists()


def test_a_malformed_planting_is_refused_field_by_field(admin_units, client):
    row = _own_household()
    calendar_entry(lychee(), province_of(row.commune))
    client.force_login(row.user)
    response = client.post(
        reverse("harvests:planting-new"),
        {"household": row.pk, "produce_type": "vai-thieu", "planted_on": "31/02/2026",
         "area_ha": "nửa héc-ta", "tree_count": "-3"},
    )  # fmt: skip
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"planted_on", "tree_count"} <= set(errors)
    assert not Planting.objects.exists()


def test_an_assistant_announces_a_harvest_for_the_assisted_household(admin_units, client):
    lychee()
    row = household(current_commune("24"))
    helper = assistant_for(row)
    client.force_login(helper)
    response = client.post(
        reverse("harvests:announcement-new"),
        {"household": row.pk, "produce_type": "vai-thieu", "harvest_from": "2026-06-01",
         "harvest_until": "2026-06-10", "tonnes": "12,5", "note": "Vải sớm"},
    )  # fmt: skip
    assert response.status_code == 302
    made = HarvestAnnouncement.objects.get()
    assert (made.household, made.tonnes, made.created_by) == (row, Decimal("12.500"), helper)


def test_a_household_cannot_announce_for_another_household(admin_units, client):
    own = _own_household()
    other = household(current_commune("79"))
    client.force_login(own.user)
    response = client.post(
        reverse("harvests:announcement-new"),
        {"household": other.pk, "produce_type": "vai-thieu", "harvest_from": "2026-06-01",
         "harvest_until": "2026-06-10", "tonnes": "1"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "household" in response.context["form"].errors
    assert not HarvestAnnouncement.objects.exists()


def test_a_reversed_window_or_a_bad_tonnage_is_refused_in_vietnamese(admin_units, client):
    row = _own_household()
    client.force_login(row.user)
    response = client.post(
        reverse("harvests:announcement-new"),
        {"household": row.pk, "produce_type": "vai-thieu", "harvest_from": "2026-06-10",
         "harvest_until": "2026-06-01", "tonnes": "1"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Ngày kết thúc phải sau ngày bắt đầu." in response.content.decode()
    response = client.post(
        reverse("harvests:announcement-new"),
        {"household": row.pk, "produce_type": "vai-thieu", "harvest_from": "2026-06-01",
         "harvest_until": "2026-06-10", "tonnes": "1e9"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "không quá 1.000.000 tấn" in response.content.decode()
    assert not HarvestAnnouncement.objects.exists()


def test_a_person_without_a_household_is_told_so(admin_units, client):
    client.force_login(make_user())
    response = client.get(reverse("harvests:announcement-new"))
    assert response.status_code == 200
    assert not response.context["has_households"]


def test_the_household_moves_its_announcement_on_to_lost_with_a_reason(admin_units, client):
    row = _own_household()
    made = announcement(row, harvest_from=MAY_1, harvest_until=MAY_1)
    client.force_login(row.user)
    url = reverse("harvests:announcement", args=[made.pk])
    refused = client.post(url, {"status": "lost"})
    assert refused.status_code == 400
    assert "Hãy chọn lý do mất mùa." in refused.content.decode()
    made.refresh_from_db()
    assert made.status == AnnouncementStatus.ANNOUNCED
    assert client.post(url, {"status": "lost", "loss_reason": "weather"}).status_code == 302
    made.refresh_from_db()
    assert (made.status, made.loss_reason) == (AnnouncementStatus.LOST, "weather")
    final = client.get(url)
    assert not final.context["form"].fields["status"].choices


def test_an_announcement_is_confirmed_revised_then_harvested(admin_units, client):
    row = _own_household()
    made = announcement(row, harvest_from=MAY_1, harvest_until=MAY_1 + datetime.timedelta(days=9))
    client.force_login(row.user)
    url = reverse("harvests:announcement", args=[made.pk])
    assert client.post(url, {"status": "confirmed"}).status_code == 302
    revise = {"status": "revised", "harvest_from": "2026-05-05", "tonnes": "9"}
    assert client.post(url, revise).status_code == 302
    made.refresh_from_db()
    assert (made.status, made.harvest_from, made.tonnes) == (
        AnnouncementStatus.REVISED,
        datetime.date(2026, 5, 5),
        Decimal("9.000"),
    )
    assert client.post(url, {"status": "harvested", "tonnes": "8,2"}).status_code == 302
    made.refresh_from_db()
    assert (made.status, made.tonnes) == (AnnouncementStatus.HARVESTED, Decimal("8.200"))


def test_a_revision_without_new_dates_or_tonnes_is_refused(admin_units, client):
    row = _own_household()
    made = announcement(row, harvest_from=MAY_1, harvest_until=MAY_1)
    client.force_login(row.user)
    response = client.post(reverse("harvests:announcement", args=[made.pk]), {"status": "revised"})
    assert response.status_code == 400
    assert "Điều chỉnh cần ngày thu hoạch mới hoặc sản lượng mới." in response.content.decode()


def test_choosing_a_status_shows_only_the_fields_it_needs(admin_units, client):
    row = _own_household()
    made = announcement(row, harvest_from=MAY_1, harvest_until=MAY_1)
    client.force_login(row.user)
    url = reverse("harvests:announcement", args=[made.pk])
    lost = client.get(url, {"status": "lost"}, headers={"HX-Request": "true"}).content.decode()
    assert 'name="loss_reason"' in lost
    assert 'name="harvest_from"' not in lost
    revised = client.get(url, {"status": "revised"}).content.decode()
    assert 'name="harvest_from"' in revised
    assert 'name="loss_reason"' not in revised


def test_an_announcement_of_another_area_is_404_and_unchanged(admin_units, client):
    made = announcement(household(current_commune("79")), harvest_from=MAY_1, harvest_until=MAY_1)
    client.force_login(officer(Role.COMMUNE_OFFICER, current_commune("24")))
    url = reverse("harvests:announcement", args=[made.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"status": "confirmed"}).status_code == 404
    made.refresh_from_db()
    assert made.status == AnnouncementStatus.ANNOUNCED


def test_my_harvests_pages_its_announcements(
    admin_units, client, django_assert_max_num_queries, settings
):
    row = _own_household()
    for day in range(3):
        announcement(row, harvest_from=MAY_1 + datetime.timedelta(days=day),
                     harvest_until=MAY_1 + datetime.timedelta(days=day))  # fmt: skip
    client.force_login(row.user)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("harvests:my-harvests"))
    assert len(first.context["page"].rows) == 3
    assert first.context["can_announce"]


def _this_monday() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday())


def _alert(province, **fields) -> GlutAlert:
    fields.setdefault("expected_tonnes", Decimal("130"))
    fields.setdefault("demand_tonnes", Decimal("50"))
    return GlutAlert.objects.create(
        produce_type=lychee(), province=province, week_start=_this_monday(),
        kind=GlutKind.SUPPLY, severity=GlutSeverity.SEVERE, raised_at=timezone.now(), **fields,
    )  # fmt: skip


def test_a_province_officer_opens_a_campaign_from_an_alert(admin_units, client):
    province = province_of(current_commune("24"))
    alert = _alert(province)
    client.force_login(officer(Role.PROVINCE_OFFICER, province))
    listing_page = client.get(reverse("harvests:glut-alerts")).content.decode()
    url = reverse("harvests:campaign-new", args=[alert.pk])
    assert url in listing_page
    form = client.get(url).context["form"]
    assert form.initial["target_tonnes"] == "80"
    assert form.initial["starts_on"] == _this_monday()
    response = client.post(
        url,
        {"title": "Giải cứu vải Bắc Giang", "target_tonnes": "80", "starts_on": "2026-06-01",
         "ends_on": "2026-06-14", "description": "Mua giúp bà con"},
    )  # fmt: skip
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("harvests:campaign", args=[campaign.pk])
    assert (campaign.glut_alert, campaign.province, campaign.target_tonnes) == (
        alert,
        province,
        Decimal("80.000"),
    )
    assert campaign.title in client.get(reverse("harvests:glut-alerts")).content.decode()


def test_a_campaign_with_reversed_dates_is_refused_in_vietnamese(admin_units, client):
    province = province_of(current_commune("24"))
    alert = _alert(province)
    client.force_login(ministry_user())
    response = client.post(
        reverse("harvests:campaign-new", args=[alert.pk]),
        {"title": "Giải cứu", "target_tonnes": "0", "starts_on": "2026-06-10",
         "ends_on": "2026-06-01"},
    )  # fmt: skip
    assert response.status_code == 400
    text = response.content.decode()
    assert "Ngày kết thúc phải sau ngày bắt đầu." in text
    assert "Sản lượng phải lớn hơn 0" in text
    assert not Campaign.objects.exists()


def test_a_commune_officer_sees_the_alert_but_cannot_open_a_campaign(admin_units, client):
    commune = current_commune("24")
    alert = _alert(province_of(commune))
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    url = reverse("harvests:campaign-new", args=[alert.pk])
    assert url not in client.get(reverse("harvests:glut-alerts")).content.decode()
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "x"}).status_code == 403
    assert not Campaign.objects.exists()


def test_another_provinces_officer_gets_404_on_the_campaign_form(admin_units, client):
    alert = _alert(province_of(current_commune("79")))
    client.force_login(officer(Role.PROVINCE_OFFICER, province_of(current_commune("24"))))
    url = reverse("harvests:campaign-new", args=[alert.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_the_calendar_offers_an_officer_only_the_entries_they_may_edit(admin_units, client):
    province = province_of(current_commune("24"))
    own = calendar_entry(lychee(), province)
    national = calendar_entry(lychee(), None)
    client.force_login(officer(Role.PROVINCE_OFFICER, province))
    page = client.get(reverse("harvests:calendar"), {"province": province.code})
    text = page.content.decode()
    assert reverse("harvests:entry-edit", args=[own.pk]) in text
    assert reverse("harvests:entry-edit", args=[national.pk]) not in text
    assert client.get(reverse("harvests:entry-edit", args=[national.pk])).status_code == 404
