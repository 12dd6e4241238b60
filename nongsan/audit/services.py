"""Writing the audit trail: the one helper every write service calls, and its decorator.

``audit_record`` writes an entry with the current context's actor, IP, user agent and
request id (see :mod:`nongsan.audit.context`). It writes on the caller's connection inside
the caller's transaction, so a service that rolls back leaves no entry behind, and an entry
that cannot be written rolls the service back. Services whose return value is the changed
object can use ``@audited`` instead. Revealing personal data is recorded by ``audit_reveal``.

Changes are ``{field: [before, after]}`` with JSON-safe values: dates and datetimes as ISO
text (datetimes in UTC), decimals as text (no float rounding), model instances as
``{"id": …, "repr": …}``. Secret fields (passwords, token digests) are recorded as changed
without their values. Personal data in a changed field (a phone number) is the service's to
mask before passing it.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import hashlib
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from typing import Any, ParamSpec, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.functional import Promise

from nongsan.audit.context import current_context
from nongsan.audit.models import (
    ON_BEHALF_OF_LABEL_MAX_LENGTH,
    TARGET_REPR_MAX_LENGTH,
    USER_AGENT_MAX_LENGTH,
    AuditEntry,
)
from nongsan.common.bulk_insert import insert_values
from nongsan.geo.models import AdministrativeUnit, UnitLevel

__all__ = [
    "REVEAL_ACTION",
    "AuditBatch",
    "audit_record",
    "audit_reveal",
    "audited",
    "changes_between",
    "fingerprint",
    "json_safe",
    "snapshot",
]

REVEAL_ACTION = "personal_data.reveal"
ACTION_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
SECRET_FIELD_NAMES = frozenset({"password", "digest", "code_hash", "secret", "token"})
SECRET_MARK = "***"  # noqa: S105 - the mark shown instead of a secret, not a secret

# A Vietnamese mobile number in E.164 and a 12-digit citizen ID, wherever they appear in a
# name written into the trail (a User without a name prints as their phone).
_PHONE = re.compile(r"\+84\d{8,10}(?!\d)")
_CITIZEN_ID = re.compile(r"(?<!\d)\d{12}(?!\d)")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")

UnitArgument = AdministrativeUnit | int | None
Params = ParamSpec("Params")
Result = TypeVar("Result")


# -- values --------------------------------------------------------------------------------
def mask_personal_numbers(text: str) -> str:
    """``+84912345678`` → ``+8491****678``, ``001234567845`` → ``001*******45``."""
    text = _PHONE.sub(lambda match: _mask(match.group(), keep_start=5, keep_end=3), text)
    return _CITIZEN_ID.sub(lambda match: _mask(match.group(), keep_start=3, keep_end=2), text)


def _mask(value: str, *, keep_start: int, keep_end: int) -> str:
    hidden = len(value) - keep_start - keep_end
    return value[:keep_start] + "*" * hidden + value[-keep_end:]


def _clean_text(text: str, limit: int) -> str:
    """Text safe to store: no control characters (PostgreSQL refuses NUL), at most ``limit``."""
    return _CONTROL_CHARACTERS.sub("", text)[:limit]


def _instance_label(instance: models.Model) -> str:
    """The label an entry keeps of its target. A model whose ``__str__`` is personal data
    (a household prints its head's name) defines ``audit_label()``, so that erasing the
    person leaves no name behind in the append-only trail."""
    label = getattr(instance, "audit_label", None)
    text = label() if callable(label) else str(instance)
    return _clean_text(mask_personal_numbers(text), TARGET_REPR_MAX_LENGTH)


def json_safe(value: Any) -> Any:
    """``value`` as JSON that says the same thing, or TypeError for what has no safe form."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else str(value)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            value = value.astimezone(datetime.UTC)
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return str(value.total_seconds())
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Enum):
        return json_safe(value.value)
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, models.Model):
        return {"id": json_safe(value.pk), "repr": _instance_label(value)}
    if isinstance(value, Mapping):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((json_safe(item) for item in value), key=str)
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    raise TypeError(f"cannot record a {type(value).__name__} in the audit trail")


def _fingerprint(value: Any) -> str:
    """Lets a snapshot tell that a secret changed without holding the secret."""
    return "sha256:" + hashlib.sha256(str(value).encode()).hexdigest()[:16]


def fingerprint(value: Any) -> Any:
    """What the trail keeps of a personal value (a name, an address) that erasure must be
    able to remove: a fingerprint that tells a change happened, never the value. Empty
    values (None, "") stay as they are, so "set" and "cleared" remain readable."""
    if value is None or value == "":
        return value
    return _fingerprint(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The JSON-safe values of ``fields`` of ``instance``, taken before a change.

    A foreign key is recorded as ``{"id", "repr"}`` (one query if the related object is not
    loaded yet), a many-to-many field as the sorted primary keys, a secret field as a
    fingerprint only.
    """
    values: dict[str, Any] = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            related = getattr(instance, name).values_list("pk", flat=True)
            value = sorted((json_safe(pk) for pk in related), key=str)
        elif not field.concrete:
            raise ValueError(f"{name!r} is not a field of {type(instance).__name__}")
        elif isinstance(field, models.ForeignKey) and getattr(instance, field.attname) is None:
            value = None
        else:
            value = json_safe(getattr(instance, name))
        values[name] = _fingerprint(value) if name in SECRET_FIELD_NAMES else value
    return values


def _same(before: Any, after: Any) -> bool:
    """Related objects are the same when their ids are; their names may have changed since."""
    if isinstance(before, dict) and isinstance(after, dict) and "id" in before and "id" in after:
        return bool(before["id"] == after["id"])
    return bool(before == after)


def changes_between(
    before: models.Model | Mapping[str, Any],
    after: models.Model | Mapping[str, Any],
    fields: Iterable[str],
) -> dict[str, list[Any]]:
    """``{field: [before, after]}`` for the ``fields`` whose value differs.

    Either side is an instance or a :func:`snapshot` (a field missing from a mapping counts
    as None, so ``changes_between({}, created, fields)`` records a creation).
    """
    fields = list(fields)
    old = json_safe(before) if isinstance(before, Mapping) else snapshot(before, fields)
    new = json_safe(after) if isinstance(after, Mapping) else snapshot(after, fields)
    changes: dict[str, list[Any]] = {}
    for name in fields:
        if not _same(old.get(name), new.get(name)):
            if name in SECRET_FIELD_NAMES:
                changes[name] = [SECRET_MARK, SECRET_MARK]
            else:
                changes[name] = [old.get(name), new.get(name)]
    return changes


# -- scope ---------------------------------------------------------------------------------
def _unit_id(unit: UnitArgument) -> int | None:
    return unit.pk if isinstance(unit, AdministrativeUnit) else unit


@functools.cache
def _scope_columns(model: type[models.Model]) -> tuple[str | None, str | None]:
    """The attribute names of a model's ``province`` and ``commune`` foreign keys to the
    administrative units, where it has them (looked up once per model)."""
    province = commune = None
    for field in model._meta.concrete_fields:
        if (
            not isinstance(field, models.ForeignKey)
            or field.related_model is not AdministrativeUnit
        ):
            continue
        if field.name == "province":
            province = field.attname
        elif field.name == "commune":
            commune = field.attname
    return province, commune


def _scope_of_target(target: models.Model) -> tuple[int | None, int | None]:
    """The province and commune a target declares through its explicit scope columns."""
    if isinstance(target, AdministrativeUnit):
        if target.level == UnitLevel.PROVINCE:
            return target.pk, None
        if target.level == UnitLevel.COMMUNE:
            return target.province_id, target.pk
        return target.province_id, None
    province, commune = _scope_columns(target._meta.model)
    return (
        getattr(target, province) if province else None,
        getattr(target, commune) if commune else None,
    )


def _resolve_scope(
    target: models.Model | None, province: UnitArgument, commune: UnitArgument
) -> tuple[int | None, int | None]:
    """Explicit scope first, else the target's own; a commune always brings its province,
    so that the province's officers see what happened in their communes."""
    province_id, commune_id = _unit_id(province), _unit_id(commune)
    if province_id is None and commune_id is None and target is not None:
        province_id, commune_id = _scope_of_target(target)
    if province_id is None and commune_id is not None:
        if isinstance(commune, AdministrativeUnit):
            province_id = commune.province_id
        else:
            province_id = (
                AdministrativeUnit.objects.filter(pk=commune_id)
                .values_list("province_id", flat=True)
                .first()
            )
    return province_id, commune_id


# -- writing -------------------------------------------------------------------------------
def _person(user: Any) -> Any:
    """A saved, signed-in account, or None (anonymous visitors act as nobody)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if getattr(user, "pk", None) is None:
        raise ValueError("an audit entry needs a saved user")
    return user


def audit_record(
    *,
    action: str,
    target: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
    province: UnitArgument = None,
    commune: UnitArgument = None,
    is_reveal: bool = False,
    actor: Any = None,
    on_behalf_of: Any = None,
    on_behalf_of_label: str = "",
) -> AuditEntry:
    """Append one entry to the trail, inside the caller's transaction.

    ``actor``, ``on_behalf_of``, IP, user agent and request id default from the current
    context (the request, or :func:`nongsan.audit.context.acting`). Without an explicit
    ``province``/``commune`` the target's own ``province``/``commune`` columns scope the
    entry; an entry with neither is seen by the ministry only.
    """
    if not ACTION_PATTERN.fullmatch(action) or len(action) > 100:
        raise ValueError(
            f"audit action must be a dotted slug like 'accounts.role_grant': {action!r}"
        )
    if changes is not None and not isinstance(changes, Mapping):
        raise TypeError("audit changes must be a mapping of field name to [before, after]")
    if target is not None and target.pk is None:
        raise ValueError("audit the target after saving it and before deleting it")
    context = current_context()
    actor = _person(actor if actor is not None else context.current_actor())
    if on_behalf_of is None and not on_behalf_of_label:
        on_behalf_of, on_behalf_of_label = context.on_behalf_of, context.on_behalf_of_label
    on_behalf_of = _person(on_behalf_of)
    if on_behalf_of is not None and not on_behalf_of_label:
        on_behalf_of_label = str(on_behalf_of)
    province_id, commune_id = _resolve_scope(target, province, commune)
    return AuditEntry.objects.create(
        actor=actor,
        on_behalf_of=on_behalf_of,
        on_behalf_of_label=_clean_text(
            mask_personal_numbers(on_behalf_of_label), ON_BEHALF_OF_LABEL_MAX_LENGTH
        ),
        action=action,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=_instance_label(target) if target is not None else "",
        changes=json_safe(dict(changes or {})),
        ip=context.ip,
        user_agent=_clean_text(context.user_agent, USER_AGENT_MAX_LENGTH),
        request_id=context.request_id,
        is_reveal=is_reveal,
        province_id=province_id,
        commune_id=commune_id,
    )


class AuditBatch:
    """Entries for many targets of one act (a spreadsheet of 100,000 households), written as
    ``audit_record`` would write each (same actor, context, labels and scope) with a few
    multi-row inserts, inside the caller's transaction.

    ``changes`` given to :meth:`add` must already be JSON-safe, as ``changes_between`` and
    plain lists of text and numbers are: converting them a second time cost more than the
    insert. Targets must be saved; their scope comes from their own columns, as in
    ``audit_record``.
    """

    def __init__(self) -> None:
        context = current_context()
        self._context = context
        actor = _person(context.current_actor())
        on_behalf_of, label = context.on_behalf_of, context.on_behalf_of_label
        on_behalf_of = _person(on_behalf_of)
        if on_behalf_of is not None and not label:
            label = str(on_behalf_of)
        self._common = {
            "actor_id": actor.pk if actor is not None else None,
            "on_behalf_of_id": on_behalf_of.pk if on_behalf_of is not None else None,
            "on_behalf_of_label": _clean_text(
                mask_personal_numbers(label), ON_BEHALF_OF_LABEL_MAX_LENGTH
            ),
            "ip": context.ip,
            "user_agent": _clean_text(context.user_agent, USER_AGENT_MAX_LENGTH),
            "request_id": context.request_id,
        }
        self._types: dict[type[models.Model], int] = {}
        self._rows: list[dict[str, Any]] = []

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, *, action: str, target: Any, changes: Mapping[str, Any]) -> None:
        if not ACTION_PATTERN.fullmatch(action) or len(action) > 100:
            raise ValueError(f"audit action must be a dotted slug: {action!r}")
        if target.pk is None:
            raise ValueError("audit the target after saving it")
        model = type(target)
        if model not in self._types:
            self._types[model] = ContentType.objects.get_for_model(target).pk
        province_id, commune_id = _resolve_scope(target, None, None)
        self._rows.append(
            {
                **self._common,
                "action": action,
                "target_type_id": self._types[model],
                "target_id": str(target.pk),
                "target_repr": _instance_label(target),
                "changes": dict(changes),
                "province_id": province_id,
                "commune_id": commune_id,
            }
        )

    def write(self) -> None:
        """Append the queued entries (inserts only: the trail's triggers refuse changes)."""
        insert_values(AuditEntry, self._rows)
        self._rows = []


def audit_reveal(
    *,
    actor: Any,
    target: models.Model,
    field_name: str,
    province: UnitArgument = None,
    commune: UnitArgument = None,
) -> AuditEntry:
    """Record that ``actor`` was shown ``field_name`` of ``target`` in full (never the value).

    Personal-data law (91/2025/QH15) asks that every reveal of a phone number or citizen ID
    be traceable; call this right where the full value is handed to the page or export.
    """
    if not field_name:
        raise ValueError("say which field was revealed")
    return audit_record(
        action=REVEAL_ACTION,
        target=target,
        changes={"field": field_name},
        province=province,
        commune=commune,
        is_reveal=True,
        actor=actor,
    )


def audited(
    *,
    action: str,
    target: Callable[[Any], models.Model | None] = lambda result: result,
    scope: Callable[[Any], tuple[UnitArgument, UnitArgument]] | None = None,
    changes: Callable[[Any], Mapping[str, Any] | None] | None = None,
) -> Callable[[Callable[Params, Result]], Callable[Params, Result]]:
    """Decorate a service whose return value is the changed object: each call is recorded.

    The service and its entry share one transaction. ``target``, ``scope`` (a ``(province,
    commune)`` pair) and ``changes`` are read from the return value; without ``scope`` the
    target's own province/commune columns are used.

        @audited(action="geo.unit_rename", scope=lambda unit: (unit.province, unit))
        def unit_rename(*, unit, name, ...) -> AdministrativeUnit: ...
    """
    if not ACTION_PATTERN.fullmatch(action):
        raise ValueError(
            f"audit action must be a dotted slug like 'accounts.role_grant': {action!r}"
        )

    def decorate(service: Callable[Params, Result]) -> Callable[Params, Result]:
        @functools.wraps(service)
        def audited_service(*args: Params.args, **kwargs: Params.kwargs) -> Result:
            with transaction.atomic():
                result = service(*args, **kwargs)
                province, commune = scope(result) if scope is not None else (None, None)
                audit_record(
                    action=action,
                    target=target(result),
                    changes=changes(result) if changes is not None else None,
                    province=province,
                    commune=commune,
                )
            return result

        return audited_service

    return decorate
