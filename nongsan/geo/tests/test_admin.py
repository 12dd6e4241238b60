"""Django admin of the geography: lists, folded search, filters, and recording a rename."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from nongsan.geo.models import AdministrativeChange, AdministrativeUnit, UnitName
from nongsan.geo.tests.factories import load_real_units_for_module

pytestmark = pytest.mark.django_db

UNITS = reverse("admin:geo_administrativeunit_changelist")


@pytest.fixture(scope="module", autouse=True)
def real_units(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    yield from load_real_units_for_module(django_db_blocker)


@pytest.fixture
def superuser(django_user_model: Any) -> Any:
    return django_user_model.objects.create_superuser(phone="0912345678", password="secret")


@pytest.fixture
def admin_client(client: Any, superuser: Any) -> Any:
    client.force_login(superuser)
    return client


def _unit(code: str, *, level: str, current: bool = True) -> AdministrativeUnit:
    units = AdministrativeUnit.objects.filter(level=level, code=code)
    return units.current().get() if current else units.legacy().get()


@pytest.mark.parametrize(
    "model", ["administrativeunit", "unitname", "unitsuccession", "administrativechange"]
)
def test_every_geography_changelist_loads_for_a_superuser(admin_client, model):
    response = admin_client.get(reverse(f"admin:geo_{model}_changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize(
    "model", ["administrativeunit", "unitname", "unitsuccession", "administrativechange"]
)
def test_every_geography_changelist_searches_without_diacritics(admin_client, model):
    response = admin_client.get(reverse(f"admin:geo_{model}_changelist"), {"q": "luc ngan"})

    assert response.status_code == 200


def test_unit_search_is_folded_and_matches_codes(admin_client):
    by_name = admin_client.get(UNITS, {"q": "LUC NGAN"}).content.decode()
    by_code = admin_client.get(UNITS, {"q": "0758"}).content.decode()

    assert "Xã Lục Ngạn" in by_name
    assert "Huyện Lục Ngạn" in by_name
    assert "Xã Hồng Giang" not in by_name
    assert "Thị trấn Phì Điền" in by_code


def test_unit_search_survives_control_characters(admin_client):
    response = admin_client.get(UNITS, {"q": "luc\x00 ngan"})

    assert response.status_code == 200


def test_unit_filters_by_geography_level_and_province(admin_client):
    bac_ninh = _unit("24", level="province")
    legacy = admin_client.get(UNITS, {"geography": "legacy", "level": "province"})
    current = admin_client.get(UNITS, {"geography": "current", "province": bac_ninh.pk, "q": "luc"})

    assert legacy.context["cl"].result_count == 63
    assert {unit.short_name for unit in current.context["cl"].result_list} == {
        "Lục Nam",
        "Lục Ngạn",
        "Lục Sơn",
        "Tiên Lục",
    }


def test_unit_province_filter_labels_reused_codes_with_their_validity(admin_client):
    content = admin_client.get(UNITS).content.decode()

    assert "Tỉnh Bắc Giang (24, đến 30/06/2025)" in content
    assert "Tỉnh Bắc Ninh (24, hiện nay)" in content


def test_unit_changelist_costs_the_same_queries_for_a_longer_page(
    admin_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        admin_client.get(UNITS, {"level": "province", "geography": "current"})
    with django_assert_max_num_queries(5):
        admin_client.get(UNITS, {"level": "commune"})
    with django_assert_max_num_queries(5):
        admin_client.get(reverse("admin:geo_unitsuccession_changelist"))


def test_unit_page_shows_names_and_crosswalk_read_only(admin_client):
    unit = _unit("07582", level="commune")

    response = admin_client.get(reverse("admin:geo_administrativeunit_change", args=[unit.pk]))
    content = response.content.decode()

    assert response.status_code == 200
    assert "Thị trấn Phì Điền" in content
    assert "Xã Giáp Sơn" in content
    assert "Ghi nhận đổi tên / đổi loại hình" in content
    assert 'name="name"' not in content
    assert 'name="english_name"' in content


def test_units_cannot_be_added_or_deleted_in_the_admin(admin_client):
    unit = _unit("24", level="province")

    assert admin_client.get(reverse("admin:geo_administrativeunit_add")).status_code == 403
    delete = reverse("admin:geo_administrativeunit_delete", args=[unit.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert AdministrativeUnit.objects.filter(pk=unit.pk).exists()


def test_editing_a_unit_cannot_change_its_name(admin_client):
    unit = _unit("07582", level="commune")
    change = reverse("admin:geo_administrativeunit_change", args=[unit.pk])
    management: dict[str, str] = {}
    for inline in admin_client.get(change).context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        management[f"{prefix}-TOTAL_FORMS"] = str(inline.formset.total_form_count())
        management[f"{prefix}-INITIAL_FORMS"] = str(inline.formset.initial_form_count())

    response = admin_client.post(
        change, {"name": "Xã Khác", "english_name": "Luc Ngan Commune", **management}
    )

    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.name, unit.english_name) == ("Xã Lục Ngạn", "Luc Ngan Commune")


def test_record_rename_page_renames_through_the_service(admin_client, superuser):
    unit = _unit("75", level="province")
    page = reverse("admin:geo_administrativeunit_rename", args=[unit.pk])
    assert admin_client.get(page).status_code == 200

    response = admin_client.post(
        page,
        {
            "new_name": "Thành phố Biên Hòa Đồng Nai",
            "new_unit_type": "municipality",
            "effective_date": "01/01/2027",
            "legal_basis": "Nghị quyết thử nghiệm 9/2026",
        },
    )

    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.name == "Thành phố Biên Hòa Đồng Nai"
    change = AdministrativeChange.objects.get(effective_date=datetime.date(2027, 1, 1))
    assert change.recorded_by == superuser
    assert change.kind == AdministrativeChange.Kind.RENAME
    names = UnitName.objects.filter(unit=unit).order_by("valid_from")
    assert [name.name for name in names][-2:] == [
        "Thành phố Đồng Nai",
        "Thành phố Biên Hòa Đồng Nai",
    ]


def test_record_rename_shows_the_service_refusal_on_the_form(admin_client):
    unit = _unit("75", level="province")
    page = reverse("admin:geo_administrativeunit_rename", args=[unit.pk])

    response = admin_client.post(
        page,
        {
            "new_name": "Thành phố Biên Hòa",
            "new_unit_type": "municipality",
            "effective_date": "01/01/2025",
            "legal_basis": "Nghị quyết thử nghiệm 9/2026",
        },
    )

    assert response.status_code == 200
    assert "không sửa lại quá khứ" in response.content.decode()
    unit.refresh_from_db()
    assert unit.name == "Thành phố Đồng Nai"


def test_record_rename_refuses_a_malformed_date(admin_client):
    unit = _unit("75", level="province")
    page = reverse("admin:geo_administrativeunit_rename", args=[unit.pk])

    response = admin_client.post(
        page,
        {
            "new_name": "Thành phố Biên Hòa",
            "new_unit_type": "municipality",
            "effective_date": "31/02/2027",
            "legal_basis": "Nghị quyết thử nghiệm 9/2026",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["effective_date"]


def test_record_rename_action_opens_the_page_for_one_unit_only(admin_client):
    first, second = _unit("75", level="province"), _unit("24", level="province")

    one = admin_client.post(UNITS, {"action": "record_rename", ACTION_CHECKBOX_NAME: [first.pk]})
    two = admin_client.post(
        UNITS,
        {"action": "record_rename", ACTION_CHECKBOX_NAME: [first.pk, second.pk]},
        follow=True,
    )

    assert one.status_code == 302
    assert one["Location"] == reverse("admin:geo_administrativeunit_rename", args=[first.pk])
    assert "Hãy chọn đúng một đơn vị" in two.content.decode()


def test_record_rename_is_refused_to_staff_without_the_permission(client, django_user_model):
    staff = django_user_model.objects.create_user(
        phone="0987654321", password="secret", is_staff=True
    )
    client.force_login(staff)
    unit = _unit("75", level="province")

    response = client.get(reverse("admin:geo_administrativeunit_rename", args=[unit.pk]))

    assert response.status_code == 403
