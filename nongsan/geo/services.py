"""Writes to the administrative geography: dated changes, never edits of the past."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nongsan.accounts.models import User
from nongsan.audit.services import audit_record
from nongsan.common.text import fold, normalize_spaces
from nongsan.geo.importer import split_unit_name
from nongsan.geo.models import (
    AdministrativeChange,
    AdministrativeUnit,
    UnitLevel,
    UnitName,
    UnitType,
)

TYPES_BY_LEVEL = {
    UnitLevel.PROVINCE: {UnitType.PROVINCE, UnitType.MUNICIPALITY},
    UnitLevel.DISTRICT: {
        UnitType.URBAN_DISTRICT,
        UnitType.RURAL_DISTRICT,
        UnitType.DISTRICT_TOWN,
        UnitType.PROVINCIAL_CITY,
    },
    UnitLevel.COMMUNE: {
        UnitType.COMMUNE,
        UnitType.WARD,
        UnitType.TOWNSHIP,
        UnitType.SPECIAL_ZONE,
    },
}


def unit_rename(
    *,
    unit: AdministrativeUnit,
    new_name: str,
    new_unit_type: str,
    effective_date: datetime.date,
    legal_basis: str,
    recorded_by: User | None,
    description: str = "",
    reference: str | None = None,
    audited: bool = True,
) -> AdministrativeChange:
    """Record that ``unit`` takes a new name and/or type from ``effective_date`` on.

    The unit keeps its identity (records pointing at it stay valid); its earlier name is
    closed the day before and kept, so any date still reads the name it had then.
    ``audited=False`` is for the loader alone: shipped changes are data, recorded by their
    AdministrativeChange row, and an audit entry (which can never be deleted) would pin the
    units it names.
    """
    new_name = normalize_spaces(new_name)
    if new_unit_type not in TYPES_BY_LEVEL[UnitLevel(unit.level)]:
        raise ValidationError(
            {"new_unit_type": _("Loại hình này không dùng cho cấp đơn vị đã chọn.")}
        )
    try:
        written_type, full_name, short_name, _irregular = split_unit_name(new_name, unit.level)
    except ValueError as error:
        raise ValidationError(
            {"new_name": _("Tên phải bắt đầu bằng loại đơn vị, ví dụ “Thành phố Đồng Nai”.")}
        ) from error
    if written_type != new_unit_type:
        raise ValidationError({"new_name": _("Tên và loại hình không khớp nhau.")})
    if unit.valid_until is not None:
        raise ValidationError(_("Đơn vị này đã hết hiệu lực; không thể đổi tên."))
    if not legal_basis.strip():
        raise ValidationError({"legal_basis": _("Cần ghi căn cứ pháp lý của thay đổi.")})
    with transaction.atomic():
        locked = AdministrativeUnit.objects.select_for_update().get(pk=unit.pk)
        current_name = UnitName.objects.select_for_update().get(
            unit=locked, valid_until__isnull=True
        )
        earliest = current_name.valid_from or locked.valid_from
        if earliest is not None and effective_date <= earliest:
            raise ValidationError(
                {
                    "effective_date": _(
                        "Ngày hiệu lực phải sau ngày %(date)s của tên hiện tại;"
                        " không sửa lại quá khứ."
                    )
                    % {"date": earliest.strftime("%d/%m/%Y")}
                }
            )
        if full_name == locked.name and new_unit_type == locked.unit_type:
            raise ValidationError(_("Tên và loại hình mới trùng với hiện tại."))
        kind = (
            AdministrativeChange.Kind.RENAME
            if fold(short_name) != locked.short_name_folded
            else AdministrativeChange.Kind.TYPE_CHANGE
        )
        change = AdministrativeChange.objects.create(
            reference=reference or f"{kind}-{locked.level}-{locked.code}-{effective_date}",
            kind=kind,
            effective_date=effective_date,
            legal_basis=legal_basis.strip(),
            description=description or f"{locked.name} → {full_name}",
            recorded_by=recorded_by,
        )
        current_name.valid_until = effective_date - datetime.timedelta(days=1)
        current_name.save(update_fields=["valid_until"])
        UnitName.objects.create(
            unit=locked,
            name=full_name,
            unit_type=new_unit_type,
            valid_from=effective_date,
            change=change,
        )
        locked.name = full_name
        locked.short_name = short_name
        locked.name_folded = fold(full_name)
        locked.short_name_folded = fold(short_name)
        locked.unit_type = new_unit_type
        locked.save(
            update_fields=["name", "short_name", "name_folded", "short_name_folded", "unit_type"]
        )
        if audited:
            audit_record(
                action="geo.unit_rename",
                target=locked,
                changes={
                    "name": [current_name.name, full_name],
                    "unit_type": [current_name.unit_type, new_unit_type],
                    "effective_date": [None, effective_date],
                },
                actor=recorded_by,
            )
    return change
