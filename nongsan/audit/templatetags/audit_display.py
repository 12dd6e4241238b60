"""How audit entries read on the page: ``{% load audit_display %}``.

``{{ entry.actor|audit_person }}`` names a person without printing their phone number in full;
``{% for change in entry|audit_changes %}`` gives each changed field with its label.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from nongsan.audit.models import AuditEntry
from nongsan.audit.services import mask_personal_numbers

register = template.Library()

EMPTY_VALUE = "—"


@dataclass(frozen=True)
class ChangeRow:
    label: str
    before: str
    after: str
    is_pair: bool


@register.filter
def audit_person(user: Any) -> str:
    """A person's name, or their masked phone when they gave no name; "Hệ thống" for None."""
    if user is None:
        return _("Hệ thống")
    return mask_personal_numbers(getattr(user, "full_name", "") or str(user))


def _display(value: Any) -> str:
    if value is None or value == "":
        return EMPTY_VALUE
    if isinstance(value, dict) and "repr" in value:
        return str(value["repr"])
    if isinstance(value, list):
        return ", ".join(_display(item) for item in value) or EMPTY_VALUE
    if isinstance(value, bool):
        return _("có") if value else _("không")
    return str(value)


def _label(entry: AuditEntry, name: str) -> str:
    """The changed field's own verbose name when the target model has it, else its code."""
    model = entry.target_type.model_class() if entry.target_type is not None else None
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "verbose_name", name))


@register.filter
def audit_changes(entry: AuditEntry) -> list[ChangeRow]:
    """The entry's changes as rows: "before → after" pairs, or a single recorded value."""
    if not isinstance(entry.changes, dict):
        return [ChangeRow(label="", before="", after=_display(entry.changes), is_pair=False)]
    rows = []
    for name, value in entry.changes.items():
        if isinstance(value, list) and len(value) == 2:
            rows.append(
                ChangeRow(_label(entry, name), _display(value[0]), _display(value[1]), True)
            )
        else:
            rows.append(ChangeRow(_label(entry, name), "", _display(value), False))
    return rows
