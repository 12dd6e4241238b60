"""Dated changes to the map: renames and type changes never rewrite the past."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from nongsan.audit.models import AuditEntry
from nongsan.geo.models import AdministrativeChange, AdministrativeUnit, UnitName, UnitType
from nongsan.geo.services import unit_rename

pytestmark = pytest.mark.django_db


def _commune(code: str = "00004") -> AdministrativeUnit:
    return AdministrativeUnit.objects.current().get(level="commune", code=code)


def _rename(unit: AdministrativeUnit, **overrides: Any) -> AdministrativeChange:
    arguments: dict[str, Any] = {
        "unit": unit,
        "new_name": "Phường Ba Đình Mới",
        "new_unit_type": UnitType.WARD,
        "effective_date": datetime.date(2026, 9, 1),
        "legal_basis": "Nghị quyết thử nghiệm 1/2026",
        "recorded_by": None,
    }
    arguments.update(overrides)
    return unit_rename(**arguments)


def test_rename_keeps_the_old_name_for_earlier_dates(admin_units):
    unit = _commune()
    change = _rename(unit)
    unit.refresh_from_db()
    assert unit.name == "Phường Ba Đình Mới"
    assert unit.short_name_folded == "ba dinh moi"
    assert change.kind == AdministrativeChange.Kind.RENAME
    entry = AuditEntry.objects.get(action="geo.unit_rename")
    assert entry.changes["name"] == ["Phường Ba Đình", "Phường Ba Đình Mới"]
    assert entry.province == unit.province
    history = list(
        unit.names.order_by("valid_from").values_list("name", "valid_from", "valid_until")
    )
    assert history == [
        ("Phường Ba Đình", datetime.date(2025, 7, 1), datetime.date(2026, 8, 31)),
        ("Phường Ba Đình Mới", datetime.date(2026, 9, 1), None),
    ]


def test_a_type_change_alone_is_recorded_as_such(admin_units):
    unit = _commune()
    change = _rename(unit, new_name="Xã Ba Đình", new_unit_type=UnitType.COMMUNE)
    assert change.kind == AdministrativeChange.Kind.TYPE_CHANGE


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"effective_date": datetime.date(2025, 7, 1)}, "không sửa lại quá khứ"),
        ({"effective_date": datetime.date(2024, 1, 1)}, "không sửa lại quá khứ"),
        ({"new_unit_type": UnitType.PROVINCE}, "Loại hình này không dùng"),
        ({"new_name": "Ba Đình Mới"}, "bắt đầu bằng loại đơn vị"),
        ({"new_name": "Xã Ba Đình Mới"}, "không khớp"),
        ({"legal_basis": "  "}, "căn cứ pháp lý"),
        ({"new_name": "Phường Ba Đình"}, "trùng với hiện tại"),
    ],
)
def test_rename_refuses_bad_input_and_writes_nothing(admin_units, overrides, message):
    unit = _commune()
    names = UnitName.objects.count()
    changes = AdministrativeChange.objects.count()
    with pytest.raises(ValidationError, match=message):
        _rename(unit, **overrides)
    assert not AuditEntry.objects.filter(action="geo.unit_rename").exists()
    assert UnitName.objects.count() == names
    assert AdministrativeChange.objects.count() == changes
    unit.refresh_from_db()
    assert unit.name == "Phường Ba Đình"


def test_a_legacy_unit_cannot_be_renamed(admin_units):
    legacy = AdministrativeUnit.objects.legacy().get(level="commune", code="00004")
    with pytest.raises(ValidationError, match="hết hiệu lực"):
        _rename(legacy, new_name="Phường Trúc Bạch Mới")
