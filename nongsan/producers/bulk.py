"""Registering many households at once: the spreadsheet import's path into the registry.

``households_register_bulk`` applies exactly the rules of
:func:`nongsan.producers.services.household_register` (the same cleaning functions), but asks
the database once per batch instead of once per row: the communes are loaded together, the
duplicates are found with one query per key (phone, citizen ID, folded name in the commune),
and households, phones, consent records, purposes, duplicate flags and audit entries are
inserted with ``bulk_create``, as are the "registered" stages on this platform's channel
(one insert per batch for the stages, one for their events). Each household still gets its
own audit entries, as in the single path. A row whose external reference the registering
user already used is *unchanged*, so importing the same rows twice changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nongsan.accounts.models import Assistance, User
from nongsan.audit.services import AuditBatch
from nongsan.common.bulk_insert import insert_rows, insert_values
from nongsan.geo.models import AdministrativeUnit
from nongsan.onboarding.models import ChannelStage, StageEvent
from nongsan.producers.models import (
    ConsentPurpose,
    ConsentRecord,
    DuplicateFlag,
    DuplicateReason,
    Household,
    HouseholdPhone,
    HouseholdStatus,
    RegistrationChannel,
    same_name_in_commune,
)
from nongsan.producers.permissions import can_register_in
from nongsan.producers.services import (
    ConsentInput,
    RegistrationInput,
    _clean_registration,
    _consent_purposes,
    _files_removed_on_failure,
    _new_consent_record,
    _new_household,
    _registration_changes,
    _store_consent_photo,
    registered_stage_rows,
    registration_assistances,
)

__all__ = ["BulkResult", "BulkRowResult", "households_register_bulk"]

CREATED = "created"
UNCHANGED = "unchanged"
REFUSED = "refused"


@dataclass
class BulkRowResult:
    """What became of one input row: created, unchanged (already registered), or refused with
    the same messages the single registration gives (``{field: [message, ...]}``)."""

    status: str
    household_id: int | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

    def messages(self) -> list[str]:
        """The errors as lines, each but the general ones prefixed with its field."""
        return [
            message if name == "__all__" else f"{name}: {message}"
            for name, messages in self.errors.items()
            for message in messages
        ]


@dataclass
class BulkResult:
    """One result per input row, in the input's order."""

    rows: list[BulkRowResult]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def created(self) -> int:
        return self.count(CREATED)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def refused(self) -> int:
        return self.count(REFUSED)


@dataclass
class _Pending:
    """A row that passed every check, on its way into the database."""

    position: int
    household: Household
    consent: ConsentInput
    extra_phones: list[str]
    record: ConsentRecord | None = None
    flags: list[DuplicateFlag] = field(default_factory=list)


def _error_dict(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {name: list(messages) for name, messages in error.message_dict.items()}
    return {"__all__": list(error.messages)}


def _units(rows: Sequence[RegistrationInput]) -> dict[int, AdministrativeUnit]:
    """Every commune the rows name by id, with its province, in one query."""
    ids = {row.commune for row in rows if isinstance(row.commune, int)}
    return AdministrativeUnit.objects.select_related("province").in_bulk(ids) if ids else {}


def _with_unit(
    row: RegistrationInput, units: Mapping[int, AdministrativeUnit]
) -> RegistrationInput:
    """The row with its commune id replaced by the loaded unit (an unknown id stays an id)."""
    if isinstance(row.commune, int) and row.commune in units:
        return replace(row, commune=units[row.commune])
    return row


def _existing_references(registered_by: User, references: Iterable[str]) -> dict[str, int]:
    wanted = {reference for reference in references if reference}
    if not wanted:
        return {}
    return dict(
        Household.objects.filter(
            registered_by=registered_by, external_reference__in=wanted
        ).values_list("external_reference", "pk")
    )


# -- duplicates, set-based -------------------------------------------------------------------
def _duplicate_flags(pending: list[_Pending]) -> None:
    """Flag, for each new household, every active household sharing a key with it, as
    ``_flag_duplicates`` does one by one: a household registered earlier in the same batch
    counts as already there, a later one does not (it flags this one in turn)."""
    order = {item.household.pk: item.position for item in pending}
    phones_of: dict[int, set[str]] = {
        item.household.pk: {item.household.phone, *item.extra_phones} - {""} for item in pending
    }
    all_phones = set().union(*phones_of.values())
    active = Household.objects.active()
    by_phone: dict[str, set[int]] = {}
    for pk, phone in active.filter(phone__in=all_phones).values_list("pk", "phone"):
        by_phone.setdefault(phone, set()).add(pk)
    # A join, not ``household__in=<subquery>``: SQLite would scan the registry per batch.
    extra_rows = HouseholdPhone.objects.filter(
        phone__in=all_phones, household__status=HouseholdStatus.ACTIVE
    ).values_list("household_id", "phone")
    for pk, phone in extra_rows:
        by_phone.setdefault(phone, set()).add(pk)
    indexes = {item.household.citizen_id_index for item in pending} - {""}
    by_index: dict[str, set[int]] = {}
    if indexes:
        for pk, index in active.filter(citizen_id_index__in=indexes).values_list(
            "pk", "citizen_id_index"
        ):
            by_index.setdefault(index, set()).add(pk)
    pairs = {(item.household.head_name_folded, item.household.commune_id) for item in pending}
    by_name: dict[tuple[str, int], set[int]] = {}
    for pk, name, commune_id, status in Household.objects.filter(
        same_name_in_commune(pairs)
    ).values_list("pk", "head_name_folded", "commune_id", "status"):
        if status == HouseholdStatus.ACTIVE:
            by_name.setdefault((name, commune_id), set()).add(pk)

    def earlier(household: Household, others: Iterable[int]) -> list[int]:
        position = order[household.pk]
        return sorted(pk for pk in others if pk != household.pk and order.get(pk, -1) < position)

    for item in pending:
        household = item.household
        found: list[tuple[int, str]] = []
        same_phone = set().union(*(by_phone.get(phone, set()) for phone in phones_of[household.pk]))
        found += [(pk, DuplicateReason.SAME_PHONE) for pk in earlier(household, same_phone)]
        if household.citizen_id_index:
            same_id = by_index.get(household.citizen_id_index, set())
            found += [(pk, DuplicateReason.SAME_CITIZEN_ID) for pk in earlier(household, same_id)]
        same_name = by_name.get((household.head_name_folded, household.commune_id), set())
        found += [
            (pk, DuplicateReason.SAME_NAME_IN_COMMUNE) for pk in earlier(household, same_name)
        ]
        item.flags = [
            DuplicateFlag(
                household=household,
                other_id=other_id,
                reason=reason,
                province_id=household.province_id,
                commune_id=household.commune_id,
            )
            for other_id, reason in dict.fromkeys(found)
        ]


# -- the service -----------------------------------------------------------------------------
def households_register_bulk(
    *,
    registered_by: User,
    rows: Sequence[RegistrationInput],
    registered_via: str = RegistrationChannel.IMPORT,
    now: datetime.datetime | None = None,
) -> BulkResult:
    """Register a batch of households with the rules of ``household_register``, in one
    transaction and a handful of queries; refused rows are reported, never written."""
    now = now or timezone.now()
    results: list[BulkRowResult] = [BulkRowResult(status=REFUSED) for _row in rows]
    units = _units(rows)
    allowed: dict[int, bool] = {}
    cleaned_rows: list[tuple[int, dict[str, Any], str, ConsentInput]] = []
    today = timezone.localdate(now)
    for position, row in enumerate(rows):
        try:
            cleaned, reference = _clean_registration(
                _with_unit(row, units), registered_via=registered_via, now=now, today=today
            )
        except ValidationError as error:
            results[position].errors = _error_dict(error)
            continue
        unit: AdministrativeUnit = cleaned["commune"]
        if unit.pk not in allowed:
            allowed[unit.pk] = can_register_in(registered_by, unit)
        if not allowed[unit.pk]:
            results[position].errors = {"__all__": [_("Bạn không được đăng ký hộ ở xã này.")]}
            continue
        assert row.consent is not None  # noqa: S101 - _clean_registration refused None
        cleaned_rows.append((position, cleaned, reference, row.consent))
    with _files_removed_on_failure() as saved_files, transaction.atomic():
        known = _existing_references(registered_by, (item[2] for item in cleaned_rows))
        pending: list[_Pending] = []
        in_batch: dict[str, _Pending] = {}
        repeated: list[tuple[int, _Pending]] = []
        for position, cleaned, reference, consent in cleaned_rows:
            if reference in known:
                results[position] = BulkRowResult(status=UNCHANGED, household_id=known[reference])
                continue
            if reference in in_batch:
                repeated.append((position, in_batch[reference]))
                continue
            household = _new_household(
                cleaned,
                reference=reference,
                registered_by=registered_by,
                registered_via=registered_via,
                now=now,
            )
            item = _Pending(position, household, consent, cleaned["extra_phones"])
            pending.append(item)
            if reference:
                in_batch[reference] = item
        if not pending:
            return BulkResult(rows=results)
        insert_rows(Household, [item.household for item in pending])
        insert_rows(
            HouseholdPhone,
            [
                HouseholdPhone(household=item.household, phone=phone)
                for item in pending
                for phone in item.extra_phones
            ],
        )
        for item in pending:
            item.record = _new_consent_record(
                household=item.household,
                consent=item.consent,
                collected_by=registered_by,
                now=now,
            )
            _store_consent_photo(item.record, item.consent, saved_files)
        records = [item.record for item in pending if item.record is not None]
        insert_rows(ConsentRecord, records)
        insert_values(
            ConsentPurpose,
            [
                purpose
                for item in pending
                if item.record is not None
                for purpose in _consent_purposes(item.record, item.consent)
            ],
        )
        _duplicate_flags(pending)
        insert_rows(DuplicateFlag, [flag for item in pending for flag in item.flags])
        stage_channel, stages, events = registered_stage_rows(
            [item.household for item in pending], now=now
        )
        insert_rows(ChannelStage, stages)
        insert_rows(StageEvent, events)
        trail = AuditBatch()
        for item in pending:
            assert item.record is not None  # noqa: S101 - built above
            trail.add(
                action="producers.household_register",
                target=item.household,
                changes=_registration_changes(
                    item.household, item.consent, item.record, stage_channel=stage_channel
                ),
            )
            for flag in item.flags:
                trail.add(
                    action="producers.duplicate_flag",
                    target=flag,
                    changes={"reason": [None, flag.reason], "other": [None, flag.other_id]},
                )
        assistances = insert_rows(
            Assistance,
            registration_assistances(registered_by, [item.household for item in pending]),
        )
        for assistance in assistances:
            trail.add(action="accounts.assistance_assign", target=assistance, changes={})
        trail.write()
        for item in pending:
            results[item.position] = BulkRowResult(status=CREATED, household_id=item.household.pk)
        # A row repeating a reference used earlier in the batch is unchanged, as on re-import.
        for position, item in repeated:
            results[position] = BulkRowResult(status=UNCHANGED, household_id=item.household.pk)
    return BulkResult(rows=results)
