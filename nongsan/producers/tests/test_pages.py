"""The registry pages through the HTTP layer."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nongsan.accounts.models import AssistantKind, Role
from nongsan.accounts.tests.factories import grant, officer
from nongsan.audit.models import AuditEntry
from nongsan.producers.models import Household, Purpose
from nongsan.producers.tests.factories import (
    JPEG_BYTES,
    current_commune,
    household,
    make_user,
    province_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("nongsan.producers.tests.urls")]


def test_the_list_searches_without_diacritics_and_costs_the_same_for_more_rows(
    admin_units, client, django_assert_max_num_queries
):
    commune = current_commune()
    user = officer(Role.COMMUNE_OFFICER, commune)
    household(commune, head_name="Đặng Thị Hường", village="Thôn Đoài")
    for _index in range(30):
        household(commune)
    client.force_login(user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("producers:household-list"))
    assert response.status_code == 200
    assert response.content.count(b"data-household=") == 31
    response = client.get(reverse("producers:household-list"), {"q": "dang thi huong"})
    assert response.content.count(b"data-household=") == 1
    response = client.get(reverse("producers:household-list"), {"q": "thon doai"})
    assert response.content.count(b"data-household=") == 1


def test_the_list_shows_nothing_of_another_area(admin_units, client):
    household(current_commune("79"), head_name="Hộ Ở Xa")
    client.force_login(officer(Role.COMMUNE_OFFICER, current_commune()))
    response = client.get(reverse("producers:household-list"))
    assert "Hộ Ở Xa" not in response.content.decode()


def test_the_household_page_masks_and_the_reveal_is_a_logged_post(admin_units, client):
    commune = current_commune()
    row = household(commune, citizen_id="001095012345")
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    page = client.get(reverse("producers:household-detail", args=[row.pk])).content.decode()
    assert "001*******45" in page
    assert "001095012345" not in page
    assert client.get(reverse("producers:household-reveal", args=[row.pk])).status_code == 405
    response = client.post(reverse("producers:household-reveal", args=[row.pk]))
    assert "001095012345" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert AuditEntry.objects.filter(is_reveal=True).count() == 1


def test_another_areas_household_pages_answer_404(admin_units, client):
    row = household(current_commune("79"))
    client.force_login(officer(Role.PROVINCE_OFFICER, current_commune().province))
    for name in ("household-detail", "household-export"):
        assert client.get(reverse(f"producers:{name}", args=[row.pk])).status_code == 404
    for name in ("household-reveal", "consent-withdraw"):
        assert client.post(reverse(f"producers:{name}", args=[row.pk])).status_code == 404


def test_the_export_downloads_json(admin_units, client):
    commune = current_commune()
    row = household(commune)
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    response = client.get(reverse("producers:household-export", args=[row.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["household"]["id"] == row.pk


def test_withdrawing_consent_from_the_page(admin_units, client):
    commune = current_commune()
    row = household(commune)
    client.force_login(officer(Role.COMMUNE_OFFICER, commune))
    response = client.post(
        reverse("producers:consent-withdraw", args=[row.pk]), {"purpose": Purpose.REGISTRY}
    )
    assert response.status_code == 302
    page = client.get(reverse("producers:household-detail", args=[row.pk])).content.decode()
    assert "đã rút lại" in page


def _assistant_of(commune):
    assistant = make_user()
    grant(assistant, Role.ASSISTANT, commune, assistant_kind=AssistantKind.TRAINER)
    return assistant


def test_assisted_registration_with_a_resolved_address(admin_units, client):
    commune = current_commune("24", 0)
    client.force_login(_assistant_of(commune))
    address = f"Thôn Đông, {commune.name}, {province_of(commune).name}"
    form = client.get(reverse("producers:household-register")).content.decode()
    assert "checked" not in form
    response = client.post(
        reverse("producers:household-register"),
        {
            "head_name": "Hoàng Văn Nam",
            "phone": "0912 111 222",
            "address": address,
            "main_produce": "Vải thiều",
            "farm_area_hectares": "0,8",
            "consent_purposes": [Purpose.REGISTRY, Purpose.MARKETPLACE],
            "consent_method": "in_app",
        },
    )
    row = Household.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("producers:household-detail", args=[row.pk])
    assert row.commune == commune
    assert row.address_as_written == address


def test_registration_without_consent_redisplays_the_form_in_vietnamese(admin_units, client):
    commune = current_commune("24", 0)
    client.force_login(_assistant_of(commune))
    response = client.post(
        reverse("producers:household-register"),
        {
            "head_name": "Hoàng Văn Nam",
            "phone": "0912 111 333",
            "address": f"{commune.name}, {province_of(commune).name}",
            "consent_method": "in_app",
        },
    )
    assert response.status_code == 200
    assert "đồng ý" in response.content.decode()
    assert not Household.objects.exists()


def test_an_ambiguous_address_asks_to_choose_a_commune(admin_units, client):
    client.force_login(make_user(is_superuser=True))
    data = {
        "head_name": "Lò Văn Páo",
        "phone": "0912 111 444",
        "address": "Tân Lập",
        "consent_purposes": [Purpose.REGISTRY],
        "consent_method": "in_app",
    }
    response = client.post(reverse("producers:household-register"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'type="radio" name="commune"' in page
    assert not Household.objects.exists()
    suggestions = client.get(reverse("producers:address-suggestions"), {"address": "Tân Lập"})
    assert b'name="commune"' in suggestions.content


def test_a_paper_consent_photo_is_uploaded_with_the_form(admin_units, client):
    commune = current_commune("24", 0)
    client.force_login(_assistant_of(commune))
    response = client.post(
        reverse("producers:household-register"),
        {
            "head_name": "Hà Thị Mai",
            "phone": "0912 111 555",
            "address": f"{commune.name}, {province_of(commune).name}",
            "consent_purposes": [Purpose.REGISTRY],
            "consent_method": "signed_paper",
            "paper_photo": SimpleUploadedFile("giay.jpg", JPEG_BYTES, "image/jpeg"),
        },
    )
    assert response.status_code == 302
    assert Household.objects.get().consent_records.get().paper_photo
