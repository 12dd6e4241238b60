"""Reads of the geography: codes by day, folded search, Vietnamese order, counts, history."""

from __future__ import annotations

import datetime

import pytest

from nongsan.geo import selectors
from nongsan.geo.models import (
    LEGACY_LAST_DAY,
    REFORM_DATE,
    AdministrativeUnit,
    UnitLevel,
    UnitName,
    UnitSuccession,
    UnitType,
)
from nongsan.geo.permissions import visible_units
from nongsan.geo.tests.factories import AdministrativeUnitFactory, UnitSuccessionFactory

pytestmark = pytest.mark.django_db

BEFORE = datetime.date(2025, 1, 1)
AFTER = datetime.date(2025, 8, 1)


def _province(short_name: str, code: str, *, legacy: bool = False) -> AdministrativeUnit:
    return AdministrativeUnitFactory.create(
        level=UnitLevel.PROVINCE, code=code, short_name=short_name, legacy=legacy
    )


def _commune(short_name: str, parent: AdministrativeUnit, **fields: object) -> AdministrativeUnit:
    return AdministrativeUnitFactory.create(
        level=UnitLevel.COMMUNE,
        short_name=short_name,
        parent=parent,
        legacy=parent.valid_until is not None,
        **fields,
    )


def test_unit_get_reads_a_reused_code_by_day():
    _province("Bắc Giang", "24", legacy=True)
    _province("Bắc Ninh", "24")

    assert selectors.unit_get(code="24", valid_on=BEFORE).name == "Tỉnh Bắc Giang"
    assert selectors.unit_get(code="24", valid_on=AFTER).name == "Tỉnh Bắc Ninh"
    assert selectors.unit_get(code="24", valid_on=LEGACY_LAST_DAY).name == "Tỉnh Bắc Giang"
    assert selectors.unit_get(code="24", valid_on=REFORM_DATE).name == "Tỉnh Bắc Ninh"


def test_unit_get_defaults_to_today_in_vietnam(monkeypatch):
    _province("Bắc Giang", "24", legacy=True)
    _province("Bắc Ninh", "24")
    monkeypatch.setattr(selectors, "vietnam_today", lambda: BEFORE)

    assert selectors.unit_get(code="24").name == "Tỉnh Bắc Giang"


def test_vietnam_today_is_the_date_in_hanoi_not_utc(settings, monkeypatch):
    settings.TIME_ZONE = "UTC"
    late_evening_utc = datetime.datetime(2025, 6, 30, 20, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(selectors.timezone, "now", lambda: late_evening_utc)

    assert selectors.vietnam_today() == REFORM_DATE


def test_unit_get_refuses_an_unknown_code_naming_it_and_the_day():
    _province("Bắc Ninh", "24")

    with pytest.raises(AdministrativeUnit.DoesNotExist, match=r"mã 99 vào ngày 01/08/2025"):
        selectors.unit_get(code="99", valid_on=AFTER)


def test_unit_get_refuses_a_code_outside_its_validity():
    _province("Bắc Ninh", "24")

    with pytest.raises(AdministrativeUnit.DoesNotExist, match="01/01/2025"):
        selectors.unit_get(code="24", valid_on=BEFORE)


def test_unit_get_prefers_the_level_the_code_width_names():
    AdministrativeUnitFactory.create(level=UnitLevel.COMMUNE, code="24", short_name="Lạ")
    _province("Bắc Ninh", "24")

    assert selectors.unit_get(code="24", valid_on=AFTER).level == UnitLevel.PROVINCE
    assert selectors.unit_get(code="24", level="commune", valid_on=AFTER).name == "Xã Lạ"


def test_unit_list_finds_names_without_diacritics_or_case():
    province = _province("Bắc Giang", "24", legacy=True)
    district = AdministrativeUnitFactory.create(
        level=UnitLevel.DISTRICT, code="219", short_name="Lục Ngạn", parent=province, legacy=True
    )
    _commune("Hồng Giang", district)

    found = selectors.unit_list(q="LUC NGAN", valid_on=BEFORE)

    assert [unit.name for unit in found] == ["Huyện Lục Ngạn"]
    assert [unit.name for unit in selectors.unit_list(q="lục ngạn", valid_on=BEFORE)] == [
        "Huyện Lục Ngạn"
    ]


def test_unit_list_ranks_exact_then_prefix_then_contained_matches():
    province = _province("Hà Nam", "35")
    for name in ["Bình Lục", "Lục Yên", "Lục"]:
        _commune(name, province)

    found = [unit.short_name for unit in selectors.unit_list(q="luc", valid_on=AFTER)]

    assert found == ["Lục", "Lục Yên", "Bình Lục"]


def test_unit_list_sorts_in_vietnamese_alphabetical_order():
    province = _province("Thử", "01")
    for name in ["Đông", "Dương", "Ân", "Ba", "An", "Ăn"]:
        _commune(name, province)

    listed = [unit.short_name for unit in selectors.unit_list(level="commune", valid_on=AFTER)]

    assert listed == ["An", "Ăn", "Ân", "Ba", "Dương", "Đông"]


def test_unit_list_matches_the_start_of_a_code():
    province = _province("Thử", "01")
    _commune("Một", province, code="07582")
    _commune("Hai", province, code="17582")

    assert [unit.code for unit in selectors.unit_list(q="0758", valid_on=AFTER)] == ["07582"]


def test_unit_list_keeps_the_units_valid_on_the_day():
    _province("Bắc Giang", "24", legacy=True)
    _province("Bắc Ninh", "24")

    assert [unit.name for unit in selectors.unit_list(valid_on=BEFORE)] == ["Tỉnh Bắc Giang"]
    assert [unit.name for unit in selectors.unit_list(valid_on=AFTER)] == ["Tỉnh Bắc Ninh"]


def test_unit_list_under_a_legacy_province_reaches_communes_through_districts():
    province = _province("Bắc Giang", "24", legacy=True)
    other = _province("Lạng Sơn", "20", legacy=True)
    district = AdministrativeUnitFactory.create(
        level=UnitLevel.DISTRICT, short_name="Lục Ngạn", parent=province, legacy=True
    )
    _commune("Hồng Giang", district)
    _commune("Giáp Sơn", district)
    other_district = AdministrativeUnitFactory.create(
        level=UnitLevel.DISTRICT, short_name="Hữu Lũng", parent=other, legacy=True
    )
    _commune("Hồng Giang", other_district)

    communes = selectors.unit_list(level="commune", parent=province, valid_on=BEFORE)

    assert [unit.short_name for unit in communes] == ["Giáp Sơn", "Hồng Giang"]
    assert all(unit.province == province for unit in communes)
    assert province not in selectors.unit_list(parent=province, valid_on=BEFORE)


def test_unit_children_level_follows_the_geography():
    legacy = _province("Bắc Giang", "24", legacy=True)
    current = _province("Bắc Ninh", "24")
    district = AdministrativeUnitFactory.create(
        level=UnitLevel.DISTRICT, parent=legacy, legacy=True
    )

    assert selectors.unit_children_level(legacy) == UnitLevel.DISTRICT
    assert selectors.unit_children_level(current) == UnitLevel.COMMUNE
    assert selectors.unit_children_level(district) == UnitLevel.COMMUNE
    assert selectors.unit_children_level(_commune("Xuân", current)) is None


def test_province_list_with_counts_counts_communes_by_type(django_assert_num_queries):
    bac_ninh = _province("Bắc Ninh", "24")
    quang_ninh = _province("Quảng Ninh", "22")
    _commune("Lục Ngạn", bac_ninh)
    _commune("Sơn Động", bac_ninh)
    _commune("Chũ", bac_ninh, unit_type=UnitType.WARD)
    _commune("Cô Tô", quang_ninh, unit_type=UnitType.SPECIAL_ZONE)
    _province("Bắc Giang", "24", legacy=True)

    with django_assert_num_queries(2):
        rows = selectors.province_list_with_counts(AFTER)

    assert [row.province.short_name for row in rows] == ["Bắc Ninh", "Quảng Ninh"]
    assert (rows[0].rural_communes, rows[0].wards, rows[0].special_zones) == (2, 1, 0)
    assert (rows[1].rural_communes, rows[1].wards, rows[1].special_zones) == (0, 0, 1)
    assert [row.communes for row in rows] == [3, 1]


def test_province_list_with_counts_costs_the_same_queries_for_more_provinces(
    django_assert_num_queries,
):
    for number in range(12):
        province = _province(f"Tỉnh số {number}", f"{number + 10}")
        _commune(f"Xã số {number}", province)

    with django_assert_num_queries(2):
        rows = selectors.province_list_with_counts(AFTER)

    assert len(rows) == 12
    assert sum(row.communes for row in rows) == 12


def test_province_list_with_counts_counts_legacy_districts():
    province = _province("Bắc Giang", "24", legacy=True)
    district = AdministrativeUnitFactory.create(
        level=UnitLevel.DISTRICT, parent=province, legacy=True
    )
    _commune("Chũ", district, unit_type=UnitType.TOWNSHIP)
    _commune("Hồng Giang", district)

    (row,) = selectors.province_list_with_counts(BEFORE)

    assert (row.districts, row.townships, row.rural_communes, row.communes) == (1, 1, 1, 2)


def test_unit_history_reads_the_crosswalk_both_ways(django_assert_max_num_queries):
    old_province = _province("Bắc Giang", "24", legacy=True)
    lục_ngạn = AdministrativeUnitFactory.create(
        level=UnitLevel.DISTRICT, short_name="Lục Ngạn", parent=old_province, legacy=True
    )
    sơn_động = AdministrativeUnitFactory.create(
        level=UnitLevel.DISTRICT, short_name="Sơn Động", parent=old_province, legacy=True
    )
    new_province = _province("Bắc Ninh", "24")
    whole = _commune("Giáp Sơn", lục_ngạn)
    split = _commune("Biên Sơn", sơn_động)
    current = _commune("Lục Ngạn", new_province)
    neighbour = _commune("Sa Lý", new_province)
    UnitSuccessionFactory.create(predecessor=whole, successor=current)
    UnitSuccessionFactory.create(
        predecessor=split, successor=current, kind=UnitSuccession.Kind.MERGED_PART
    )
    UnitSuccessionFactory.create(
        predecessor=split, successor=neighbour, kind=UnitSuccession.Kind.MERGED_PART
    )

    with django_assert_max_num_queries(3):
        history = selectors.unit_history(current)
        districts = [district.short_name for district in history.legacy_districts]
        came_from = [
            (line.predecessor.short_name, getattr(line.predecessor.district, "short_name", ""))
            for line in history.predecessors
        ]

    assert came_from == [("Biên Sơn", "Sơn Động"), ("Giáp Sơn", "Lục Ngạn")]
    assert [line.is_partial for line in history.predecessors] == [True, False]
    assert districts == ["Lục Ngạn", "Sơn Động"]
    went_into = selectors.unit_history(split).successors
    assert [(line.successor.short_name, line.is_partial) for line in went_into] == [
        ("Lục Ngạn", True),
        ("Sa Lý", True),
    ]
    assert selectors.unit_history(split).legacy_districts == []


def test_unit_history_lists_dated_names_and_the_name_on_a_day():
    unit = _province("Đồng Nai", "75")
    UnitName.objects.filter(unit=unit).update(valid_until=datetime.date(2026, 4, 29))
    UnitName.objects.create(
        unit=unit,
        name="Thành phố Đồng Nai",
        unit_type=UnitType.MUNICIPALITY,
        valid_from=datetime.date(2026, 4, 30),
    )

    history = selectors.unit_history(unit)

    assert [name.name for name in history.names] == ["Tỉnh Đồng Nai", "Thành phố Đồng Nai"]
    assert history.name_on(datetime.date(2025, 12, 31)) == "Tỉnh Đồng Nai"
    assert history.name_on(datetime.date(2026, 5, 1)) == "Thành phố Đồng Nai"


def test_unit_code_versions_lists_every_unit_that_had_the_code_oldest_first():
    _province("Bắc Ninh", "24")
    _province("Bắc Giang", "24", legacy=True)
    _province("Hà Nam", "35")

    versions = selectors.unit_code_versions(code="24")

    assert [unit.name for unit in versions] == ["Tỉnh Bắc Giang", "Tỉnh Bắc Ninh"]


def test_visible_units_are_all_units_for_anyone(django_user_model):
    _province("Bắc Ninh", "24")
    _province("Bắc Giang", "24", legacy=True)
    user = django_user_model.objects.create_user(phone="0912345678", password="x")

    assert visible_units(None).count() == 2
    assert visible_units(user).count() == 2
