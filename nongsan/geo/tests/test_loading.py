"""Loading the shipped units into the database."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from nongsan.geo.loading import load_units
from nongsan.geo.models import AdministrativeUnit, UnitName, UnitSuccession, UnitType

pytestmark = pytest.mark.django_db

BEFORE = datetime.date(2025, 6, 1)
AFTER = datetime.date(2025, 8, 1)


def test_load_gives_both_geographies(admin_units):
    current = AdministrativeUnit.objects.current()
    assert current.filter(level="province").count() == 34
    assert current.filter(level="commune").count() == 3321
    assert current.filter(level="district").count() == 0
    legacy = AdministrativeUnit.objects.legacy()
    assert legacy.filter(level="province").count() == 63
    assert legacy.filter(level="district").count() == 696
    assert legacy.filter(level="commune").count() == 10_061
    assert current.filter(level="commune", unit_type=UnitType.SPECIAL_ZONE).count() == 13


def test_loading_again_changes_nothing(admin_units):
    counts = (
        AdministrativeUnit.objects.count(),
        UnitName.objects.count(),
        UnitSuccession.objects.count(),
    )
    summary = load_units()
    assert (summary.units_created, summary.names_created, summary.successions_created) == (0, 0, 0)
    assert summary.changes_applied == []
    assert counts == (
        AdministrativeUnit.objects.count(),
        UnitName.objects.count(),
        UnitSuccession.objects.count(),
    )


def test_a_reused_code_names_different_units_before_and_after_the_reform(admin_units):
    before = AdministrativeUnit.objects.valid_on(BEFORE).get(level="province", code="24")
    after = AdministrativeUnit.objects.valid_on(AFTER).get(level="province", code="24")
    assert before.name == "Tỉnh Bắc Giang"
    assert after.name == "Tỉnh Bắc Ninh"
    ward = AdministrativeUnit.objects.valid_on(AFTER).get(level="commune", code="00004")
    assert ward.name == "Phường Ba Đình"
    assert AdministrativeUnit.objects.valid_on(BEFORE).get(code="00004").name == "Phường Trúc Bạch"


def test_every_unit_carries_its_hierarchy_columns(admin_units):
    legacy_commune = AdministrativeUnit.objects.legacy().get(level="commune", code="00004")
    assert legacy_commune.district is not None
    assert legacy_commune.district.code == "001"
    assert legacy_commune.province is not None
    assert legacy_commune.province.code == "01"
    assert legacy_commune.province.valid_until == legacy_commune.valid_until
    current = AdministrativeUnit.objects.current().filter(level="commune")
    assert not current.filter(province__isnull=True).exists()
    assert not current.exclude(parent=models_f("province")).exists()
    assert (
        not AdministrativeUnit.objects.legacy()
        .filter(level="commune", district__isnull=True)
        .exists()
    )


def models_f(name: str):
    from django.db.models import F

    return F(name)


def test_a_split_commune_lists_all_its_successors_as_partial(admin_units):
    split = (
        UnitSuccession.objects.filter(is_partial=True, predecessor__level="commune")
        .values_list("predecessor_id", flat=True)
        .first()
    )
    successions = UnitSuccession.objects.filter(predecessor_id=split)
    assert successions.count() >= 2
    assert all(succession.is_partial for succession in successions)


def test_dong_nai_became_a_municipality_by_a_dated_change(admin_units):
    dong_nai = AdministrativeUnit.objects.current().get(level="province", code="75")
    assert dong_nai.name == "Thành phố Đồng Nai"
    assert dong_nai.unit_type == UnitType.MUNICIPALITY
    names = list(dong_nai.names.order_by("valid_from").values_list("name", "valid_until"))
    assert names == [("Tỉnh Đồng Nai", datetime.date(2026, 4, 29)), ("Thành phố Đồng Nai", None)]


def test_load_command_reports_what_it_loaded(admin_units, capsys):
    call_command("load_admin_units")
    assert "0 đơn vị" in capsys.readouterr().out


def test_units_loaded_anew_are_what_addresses_resolve_to():
    """Loading units forgets the address index: units deleted and loaded again (a flushed
    test database, a reload) have new ids, and an index built before would hand out ids of
    units that are gone (an order's commune then fails its foreign key at commit)."""
    from nongsan.geo.address import resolve_address
    from nongsan.geo.models import AdministrativeChange, UnitLevel

    def resolved_commune_id() -> int:
        result = resolve_address("Xã Lục Ngạn, Tỉnh Bắc Ninh")
        assert result.best is not None
        return result.best.commune.pk

    load_units()
    first = resolved_commune_id()
    UnitSuccession.objects.all().delete()
    UnitName.objects.all().delete()
    for level in (UnitLevel.COMMUNE, UnitLevel.DISTRICT, UnitLevel.PROVINCE):
        AdministrativeUnit.objects.filter(level=level).delete()
    AdministrativeChange.objects.all().delete()
    load_units()
    again = resolved_commune_id()
    assert again != first
    assert AdministrativeUnit.objects.filter(pk=again).exists()
