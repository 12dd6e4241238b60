"""Writes to the producer registry: registration, updates, consent, export and erasure,
duplicates and merges, cooperatives and their members.

Every service is keyword-only, validates everything before writing (all errors at once, in
Vietnamese), runs in one transaction and records an audit entry. Phones are recorded masked
in the trail and citizen ID numbers never. See docs/decisions/0010-producer-registry.md.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from nongsan.accounts.models import Assistance, Role, User
from nongsan.accounts.permissions import user_scope
from nongsan.audit.models import AuditEntry
from nongsan.audit.services import (
    audit_record,
    audit_reveal,
    changes_between,
    fingerprint,
    json_safe,
    mask_personal_numbers,
    snapshot,
)
from nongsan.common.bulk_insert import insert_values
from nongsan.common.identity import mask_citizen_id, parse_citizen_id
from nongsan.common.phone import normalize_phone
from nongsan.common.text import fold, normalize_spaces
from nongsan.geo.models import AdministrativeUnit
from nongsan.producers.banks import bank_by_bin
from nongsan.producers.models import (
    ERASED_NAME,
    Certification,
    CertificationKind,
    ConsentMethod,
    ConsentPurpose,
    ConsentRecord,
    Cooperative,
    CooperativeMembership,
    DataType,
    DuplicateFlag,
    DuplicateReason,
    DuplicateStatus,
    GrowingAreaCode,
    Household,
    HouseholdPhone,
    HouseholdStatus,
    MergeRecord,
    Purpose,
    RegistrationChannel,
)
from nongsan.producers.permissions import (
    EDITING_OFFICER_ROLES,
    can_register_in,
    editable_cooperatives,
    editable_households,
    visible_households,
)
from nongsan.producers.personal_data import (
    ProtectedCitizenId,
    citizen_id_decrypt,
    citizen_id_encrypt,
    citizen_id_index,
)
from nongsan.producers.selectors import household_consent_given
from nongsan.producers.validators import (
    normalize_account_number,
    normalize_growing_area_code,
    validate_account_number,
    validate_consent_photo,
    validate_growing_area_code,
)

# Choice values as sets, once: Django's ``Choices.values`` builds a new list on every call,
# and a 100,000-row import asks several times a row.
_PURPOSES = frozenset(Purpose.values)
_DATA_TYPES = frozenset(DataType.values)
_CONSENT_METHODS = frozenset(ConsentMethod.values)
_REGISTRATION_CHANNELS = frozenset(RegistrationChannel.values)
_CERTIFICATION_KINDS = frozenset(CertificationKind.values)

__all__ = [
    "ConsentInput",
    "RegistrationInput",
    "certification_add",
    "consent_record",
    "consent_withdraw",
    "cooperative_create",
    "cooperative_member_add",
    "cooperative_member_remove",
    "cooperative_update",
    "duplicate_flag_dismiss",
    "growing_area_code_add",
    "household_data_export",
    "household_erase",
    "household_register",
    "household_reveal_citizen_id",
    "household_update",
    "households_merge",
]

MAX_FARM_AREA_HECTARES = Decimal("100000")
DEFAULT_CONTROLLER = "Đơn vị vận hành nền tảng Nông Sàn"
# Fields a household update may change; the citizen ID and bank account have their own rules.
UPDATABLE_FIELDS = frozenset(
    {
        "head_name",
        "phone",
        "extra_phones",
        "citizen_id",
        "commune",
        "address_as_written",
        "village",
        "main_produce",
        "farm_area_hectares",
        "bank_bin",
        "bank_account_number",
        "bank_account_holder",
        "user",
    }
)
AUDITED_FIELDS = (
    "head_name",
    "phone",
    "commune",
    "province",
    "address_as_written",
    "village",
    "main_produce",
    "farm_area_hectares",
    "bank_bin",
    "user",
    "status",
)
# Personal text the trail keeps only as a fingerprint (see ``_audit_changes``).
FINGERPRINTED_FIELDS = ("head_name", "address_as_written", "village")
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# -- values ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class ConsentInput:
    """What the household agreed to and how it was collected. Nothing is assumed: the
    purposes are exactly those ticked; the data types, when left empty, are those the
    registration actually collects."""

    purposes: Sequence[str]
    method: str
    data_types: Sequence[str] = ()
    given_at: datetime.datetime | None = None
    witness_name: str = ""
    paper_photo: File[Any] | None = None
    controller: str = ""
    note: str = ""


@contextmanager
def _files_removed_on_failure() -> Iterator[list[str]]:
    """Files stored inside a transaction that then fails are deleted, so none is orphaned."""
    saved: list[str] = []
    try:
        yield saved
    except BaseException:
        for name in saved:
            default_storage.delete(name)
        raise


@dataclass
class _Errors:
    """Collects every problem so a form shows them all at once."""

    by_field: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.by_field.setdefault(name, []).append(message)

    def add_error(self, name: str, error: ValidationError) -> None:
        for message in error.messages:
            self.add(name, message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _masked_phone(phone: str) -> str:
    return mask_personal_numbers(phone) if phone else ""


def _holder_name(text: str) -> str:
    """As a bank prints it: no diacritics, upper case (NGUYEN VAN AN)."""
    return fold(text).upper()


def _text(errors: _Errors, name: str, value: Any, *, limit: int, verbatim: bool = False) -> str:
    text = "" if value is None else str(value)
    if _CONTROL_CHARACTERS.search(text):
        errors.add(name, _("Có ký tự điều khiển không hợp lệ."))
        return ""
    text = text.strip() if verbatim else normalize_spaces(text)
    if len(text) > limit:
        errors.add(name, _("Quá dài: tối đa %(limit)d ký tự.") % {"limit": limit})
    return text


def _area(errors: _Errors, value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        area = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        errors.add("farm_area_hectares", _("Diện tích phải là một số, ví dụ 0,5."))
        return None
    if not area.is_finite() or area < 0:
        errors.add("farm_area_hectares", _("Diện tích không được âm."))
        return None
    if area > MAX_FARM_AREA_HECTARES:
        errors.add("farm_area_hectares", _("Diện tích quá lớn: tối đa 100.000 ha."))
        return None
    if area != area.quantize(Decimal("0.0001")):
        errors.add("farm_area_hectares", _("Diện tích ghi tối đa 4 chữ số thập phân."))
        return None
    return area


def _current_commune(errors: _Errors, value: Any) -> AdministrativeUnit | None:
    if value is None or value == "":
        errors.add("commune", _("Hãy chọn xã, phường của hộ."))
        return None
    unit = value
    if not isinstance(value, AdministrativeUnit):
        unit = AdministrativeUnit.objects.select_related("province").filter(pk=value).first()
    if unit is None or unit.level != "commune" or unit.valid_until is not None:
        errors.add("commune", _("Hãy chọn một xã, phường hiện hành (sau ngày 1/7/2025)."))
        return None
    return unit


def _clean_details(
    values: Mapping[str, Any], *, today: datetime.date, errors: _Errors
) -> dict[str, Any]:
    """Normalise and check the household fields present in ``values``."""
    cleaned: dict[str, Any] = {}
    if "head_name" in values:
        name = _text(errors, "head_name", values["head_name"], limit=150)
        if not name:
            errors.add("head_name", _("Vui lòng nhập họ tên chủ hộ."))
        cleaned["head_name"] = name
    if "phone" in values:
        try:
            cleaned["phone"] = normalize_phone(values["phone"])
        except ValidationError as error:
            errors.add_error("phone", error)
    if "extra_phones" in values:
        phones: list[str] = []
        for raw in values["extra_phones"] or ():
            if not str(raw).strip():
                continue
            try:
                phone = normalize_phone(raw)
            except ValidationError as error:
                errors.add_error("extra_phones", error)
                continue
            if phone not in phones and phone != cleaned.get("phone"):
                phones.append(phone)
        cleaned["extra_phones"] = phones
    if "citizen_id" in values:
        raw_id = values["citizen_id"]
        if raw_id in (None, "") or not str(raw_id).strip():
            cleaned["citizen_id"] = ""
        else:
            try:
                cleaned["citizen_id"] = parse_citizen_id(str(raw_id), today=today).number
            except ValidationError as error:
                errors.add_error("citizen_id", error)
    if "commune" in values:
        cleaned["commune"] = _current_commune(errors, values["commune"])
    if "address_as_written" in values:
        cleaned["address_as_written"] = _text(
            errors, "address_as_written", values["address_as_written"], limit=300, verbatim=True
        )
    if "village" in values:
        cleaned["village"] = _text(errors, "village", values["village"], limit=120)
    if "main_produce" in values:
        cleaned["main_produce"] = _text(errors, "main_produce", values["main_produce"], limit=200)
    if "farm_area_hectares" in values:
        cleaned["farm_area_hectares"] = _area(errors, values["farm_area_hectares"])
    bank_keys = ("bank_bin", "bank_account_number", "bank_account_holder")
    if any(key in values for key in bank_keys):
        bin_code = str(values.get("bank_bin") or "").strip()
        number = normalize_account_number(values.get("bank_account_number") or "")
        holder = _text(errors, "bank_account_holder", values.get("bank_account_holder"), limit=100)
        if bin_code or number or holder:
            if not bin_code or bank_by_bin(bin_code) is None:
                errors.add("bank_bin", _("Hãy chọn ngân hàng trong danh sách."))
            if not number:
                errors.add("bank_account_number", _("Vui lòng nhập số tài khoản."))
            else:
                try:
                    validate_account_number(number)
                except ValidationError as error:
                    errors.add_error("bank_account_number", error)
            if not holder:
                errors.add("bank_account_holder", _("Vui lòng nhập tên chủ tài khoản."))
        cleaned.update(
            bank_bin=bin_code, bank_account_number=number, bank_account_holder=_holder_name(holder)
        )
    if "user" in values:
        user = values["user"]
        if user is not None and not isinstance(user, User):
            errors.add("user", _("Tài khoản không hợp lệ."))
        cleaned["user"] = user
    return cleaned


def _clean_consent(
    errors: _Errors, consent: ConsentInput | None, *, now: datetime.datetime, required: str = ""
) -> None:
    if consent is None:
        errors.add(
            "consent_purposes",
            _("Chưa có sự đồng ý của hộ: không thể đăng ký khi hộ chưa đồng ý lưu thông tin."),
        )
        return
    purposes = list(consent.purposes)
    if not purposes:
        errors.add("consent_purposes", _("Hãy đánh dấu ít nhất một mục đích hộ đồng ý."))
    unknown = [purpose for purpose in purposes if purpose not in _PURPOSES]
    if unknown:
        errors.add("consent_purposes", _("Mục đích không hợp lệ."))
    if required and purposes and required not in purposes:
        errors.add(
            "consent_purposes",
            _(
                "Hộ chưa đồng ý cho lưu thông tin trong sổ đăng ký hộ sản xuất: "
                "không thể đăng ký khi chưa có sự đồng ý này."
            ),
        )
    if any(data_type not in _DATA_TYPES for data_type in consent.data_types):
        errors.add("consent_data_types", _("Loại dữ liệu không hợp lệ."))
    if consent.method not in _CONSENT_METHODS:
        errors.add("consent_method", _("Hãy chọn hình thức hộ đồng ý."))
    if consent.method == ConsentMethod.SPOKEN and not normalize_spaces(consent.witness_name):
        errors.add("witness_name", _("Đồng ý bằng lời cần ghi tên người làm chứng."))
    if consent.method == ConsentMethod.SIGNED_PAPER:
        if consent.paper_photo is None:
            errors.add("paper_photo", _("Đồng ý bằng giấy cần ảnh chụp tờ giấy đã ký."))
        else:
            try:
                validate_consent_photo(consent.paper_photo)
            except ValidationError as error:
                errors.add_error("paper_photo", error)
    if len(normalize_spaces(consent.witness_name)) > 150:
        errors.add("witness_name", _("Quá dài: tối đa %(limit)d ký tự.") % {"limit": 150})
    if consent.given_at is not None and consent.given_at > now + datetime.timedelta(minutes=5):
        errors.add("consent_given_at", _("Ngày đồng ý không được ở tương lai."))


def _data_types_collected(household: Household) -> list[str]:
    types = [DataType.NAME, DataType.PHONE, DataType.ADDRESS, DataType.FARM]
    if household.citizen_id_encrypted:
        types.append(DataType.CITIZEN_ID)
    if household.bank_account_number:
        types.append(DataType.BANK_ACCOUNT)
    return [str(value) for value in types]


def _new_consent_record(
    *,
    household: Household,
    consent: ConsentInput,
    collected_by: User | None,
    now: datetime.datetime,
) -> ConsentRecord:
    """The unsaved consent record of a household (its photo is stored by the caller)."""
    return ConsentRecord(
        household=household,
        controller=consent.controller
        or getattr(settings, "PERSONAL_DATA_CONTROLLER", DEFAULT_CONTROLLER),
        data_types=sorted(set(consent.data_types)) or _data_types_collected(household),
        given_at=consent.given_at or now,
        collected_by=collected_by,
        method=consent.method,
        witness_name=normalize_spaces(consent.witness_name),
        note=normalize_spaces(consent.note)[:300],
        province_id=household.province_id,
        commune_id=household.commune_id,
    )


def _store_consent_photo(
    record: ConsentRecord, consent: ConsentInput, saved_files: list[str]
) -> None:
    if consent.method == ConsentMethod.SIGNED_PAPER and consent.paper_photo is not None:
        record.paper_photo.save("consent.img", consent.paper_photo, save=False)
        saved_files.append(record.paper_photo.name)


def _consent_purposes(record: ConsentRecord, consent: ConsentInput) -> list[dict[str, Any]]:
    """The purpose rows of a saved consent record, as ``insert_values`` takes them."""
    return [
        {"record_id": record.pk, "household_id": record.household_id, "purpose": purpose}
        for purpose in dict.fromkeys(consent.purposes)
    ]


def _save_consent(
    *,
    household: Household,
    consent: ConsentInput,
    collected_by: User | None,
    now: datetime.datetime,
    saved_files: list[str],
) -> ConsentRecord:
    record = _new_consent_record(
        household=household, consent=consent, collected_by=collected_by, now=now
    )
    _store_consent_photo(record, consent, saved_files)
    record.save()
    insert_values(ConsentPurpose, _consent_purposes(record, consent))
    return record


# -- duplicates ------------------------------------------------------------------------------
def _phones_of(household: Household) -> set[str]:
    phones = set(household.extra_phones.values_list("phone", flat=True))
    if household.phone:
        phones.add(household.phone)
    return phones


def _flag_duplicates(household: Household) -> list[DuplicateFlag]:
    """Open a flag for every active household that shares a phone, the citizen ID, or the
    folded name in the same commune; a pair already flagged for a reason is not flagged again."""
    others = Household.objects.active().exclude(pk=household.pk)
    found: list[tuple[int, str]] = []
    phones = _phones_of(household)
    if phones:
        matches = others.filter(Q(phone__in=phones) | Q(extra_phones__phone__in=phones))
        found += [(pk, DuplicateReason.SAME_PHONE) for pk in matches.values_list("pk", flat=True)]
    if household.citizen_id_index:
        matches = others.filter(citizen_id_index=household.citizen_id_index)
        found += [
            (pk, DuplicateReason.SAME_CITIZEN_ID) for pk in matches.values_list("pk", flat=True)
        ]
    matches = others.filter(
        commune_id=household.commune_id, head_name_folded=household.head_name_folded
    )
    found += [
        (pk, DuplicateReason.SAME_NAME_IN_COMMUNE) for pk in matches.values_list("pk", flat=True)
    ]
    flags = []
    for other_id, reason in dict.fromkeys(found):
        exists = DuplicateFlag.objects.filter(
            Q(household=household, other_id=other_id) | Q(household_id=other_id, other=household),
            reason=reason,
        ).exists()
        if not exists:
            flags.append(
                DuplicateFlag.objects.create(
                    household=household,
                    other_id=other_id,
                    reason=reason,
                    province_id=household.province_id,
                    commune_id=household.commune_id,
                )
            )
    for flag in flags:
        audit_record(
            action="producers.duplicate_flag",
            target=flag,
            changes={"reason": [None, flag.reason], "other": [None, flag.other_id]},
        )
    return flags


# -- registration and updates ----------------------------------------------------------------
def _set_citizen_id(
    household: Household, number: str, protected: ProtectedCitizenId | None = None
) -> None:
    if protected is not None:
        household.citizen_id_encrypted = protected.encrypted
        household.citizen_id_index = protected.index
        household.citizen_id_masked = protected.masked
    elif number:
        household.citizen_id_encrypted = citizen_id_encrypt(number)
        household.citizen_id_index = citizen_id_index(number)
        household.citizen_id_masked = mask_citizen_id(number)
    else:
        household.citizen_id_encrypted = ""
        household.citizen_id_index = ""
        household.citizen_id_masked = ""


def _audit_changes(before: Mapping[str, Any], after: Household) -> dict[str, list[Any]]:
    """The household's changed fields as the trail keeps them: the phone masked, the name,
    address and village as fingerprints only (the trail is append-only, so what erasure must
    remove is never written there in clear)."""
    changes = changes_between(before, after, AUDITED_FIELDS)
    if "phone" in changes:
        changes["phone"] = [_masked_phone(value or "") for value in changes["phone"]]
    for name in FINGERPRINTED_FIELDS:
        if name in changes:
            changes[name] = [fingerprint(value) for value in changes[name]]
    return changes


@dataclass(frozen=True)
class RegistrationInput:
    """One household to register, as :func:`household_register` takes it (for batches)."""

    head_name: str
    phone: str
    commune: AdministrativeUnit | int | None
    consent: ConsentInput | None
    citizen_id: str = ""
    extra_phones: Sequence[str] = ()
    address_as_written: str = ""
    village: str = ""
    main_produce: str = ""
    farm_area_hectares: Decimal | str | None = None
    bank_bin: str = ""
    bank_account_number: str = ""
    bank_account_holder: str = ""
    user: User | None = None
    external_reference: str = ""
    # Instead of ``citizen_id``: one the caller already checked and protected (the import).
    protected_citizen_id: ProtectedCitizenId | None = None


def _clean_registration(
    row: RegistrationInput,
    *,
    registered_via: str,
    now: datetime.datetime,
    today: datetime.date | None = None,
) -> tuple[dict[str, Any], str]:
    """The cleaned fields and external reference of a registration, or every problem at once
    (shared by the single and the batch registration, so both apply the same rules).
    ``today`` is ``now``'s date in Vietnam, which a batch works out once."""
    errors = _Errors()
    cleaned = _clean_details(
        {
            "head_name": row.head_name,
            "phone": row.phone,
            "extra_phones": list(row.extra_phones),
            "citizen_id": row.citizen_id,
            "commune": row.commune,
            "address_as_written": row.address_as_written,
            "village": row.village,
            "main_produce": row.main_produce,
            "farm_area_hectares": row.farm_area_hectares,
            "bank_bin": row.bank_bin,
            "bank_account_number": row.bank_account_number,
            "bank_account_holder": row.bank_account_holder,
            "user": row.user,
        },
        today=today or timezone.localdate(now),
        errors=errors,
    )
    _clean_consent(errors, row.consent, now=now, required=Purpose.REGISTRY)
    reference = normalize_spaces(row.external_reference or "")
    if len(reference) > 100:
        errors.add("external_reference", _("Mã tham chiếu dài tối đa 100 ký tự."))
    if registered_via not in _REGISTRATION_CHANNELS:
        errors.add("registered_via", _("Kênh đăng ký không hợp lệ."))
    if row.protected_citizen_id is not None:
        if row.citizen_id:
            raise ValueError("give either citizen_id or protected_citizen_id, not both")
        cleaned["protected_citizen_id"] = row.protected_citizen_id
    errors.raise_if_any()
    return cleaned, reference


def _new_household(
    cleaned: Mapping[str, Any],
    *,
    reference: str,
    registered_by: User,
    registered_via: str,
    now: datetime.datetime,
) -> Household:
    """The unsaved household a cleaned registration describes."""
    unit: AdministrativeUnit = cleaned["commune"]
    household = Household(
        head_name=cleaned["head_name"],
        head_name_folded=fold(cleaned["head_name"]),
        phone=cleaned["phone"],
        province=unit.province,
        commune=unit,
        address_as_written=cleaned["address_as_written"],
        village=cleaned["village"],
        village_folded=fold(cleaned["village"]),
        main_produce=cleaned["main_produce"],
        farm_area_hectares=cleaned["farm_area_hectares"],
        bank_bin=cleaned["bank_bin"],
        bank_account_number=cleaned["bank_account_number"],
        bank_account_holder=cleaned["bank_account_holder"],
        user=cleaned["user"],
        registered_via=registered_via,
        registered_by=registered_by,
        external_reference=reference,
        created_at=now,
        updated_at=now,
    )
    _set_citizen_id(household, cleaned["citizen_id"], cleaned.get("protected_citizen_id"))
    return household


def _registration_changes(
    household: Household,
    consent: ConsentInput,
    record: ConsentRecord,
    *,
    stage_channel: str = "",
) -> dict[str, list[Any]]:
    """What the trail records of a new household: its fields (the citizen ID only as ***,
    the name, address and village as fingerprints), the consent given with it and the
    "registered" stage on this platform's channel (``stage_channel``, its code). Registration,
    its consent and its first stage are one act, so one entry: a province importing 100,000
    rows writes 100,000 entries, not 300,000."""
    changes = _audit_changes({}, household)
    changes["citizen_id"] = [None, "***"] if household.citizen_id_masked else [None, None]
    changes["consent_record"] = [None, record.pk]
    changes["consent_purposes"] = [None, sorted(set(consent.purposes))]
    changes["consent_method"] = [None, record.method]
    if stage_channel:
        changes["stage"] = [None, "registered"]
        changes["channel"] = [None, stage_channel]
    return changes


def registered_stage_rows(
    households: Sequence[Household], *, now: datetime.datetime
) -> tuple[str, list[Any], list[Any]]:
    """The unsaved "registered" stage rows and events of new households on this platform's
    channel, so the onboarding funnel counts every household the registry holds: the
    channel's code (empty when the database has no active channel for this platform, as a
    flushed test database has not), the ``ChannelStage`` rows and the ``StageEvent`` rows.
    The registration derives the stage, as listings and orders derive theirs."""
    from nongsan.onboarding.models import (  # onboarding reads the registry's models
        STAGE_RANK,
        Channel,
        ChannelStage,
        Stage,
        StageEvent,
        StageSource,
    )

    channel = Channel.objects.filter(is_this_platform=True, is_active=True).first()
    if channel is None or not households:
        return (channel.code if channel else ""), [], []
    day = timezone.localdate(now)
    stages = [
        ChannelStage(
            household=household,
            channel=channel,
            stage=Stage.REGISTERED,
            rank=STAGE_RANK[Stage.REGISTERED],
            reached_on=day,
            source=StageSource.DERIVED,
            province_id=household.province_id,
            commune_id=household.commune_id,
            updated_at=now,
        )
        for household in households
    ]
    events = [
        StageEvent(
            household=household,
            channel=channel,
            from_stage="",
            to_stage=Stage.REGISTERED,
            skipped_stages=[],
            occurred_on=day,
            source=StageSource.DERIVED,
            province_id=household.province_id,
            commune_id=household.commune_id,
            created_at=now,
        )
        for household in households
    ]
    return channel.code, stages, events


def registration_assistances(
    registered_by: User, households: Sequence[Household]
) -> list[Assistance]:
    """The unsaved assignments that make an assistant who registers a household its assistant.

    An assistant (trainer, community tech team member, postal staff) who registers a household
    goes on helping it, so the registration assigns them, as an officer would, and acting for
    the household then rests on its registry consent like any assignment. Officers who
    register in their own area, staff and partner platforms are not assigned.
    """
    if registered_by.is_superuser:
        return []
    assistant_scope = user_scope(registered_by, roles=[Role.ASSISTANT])
    if assistant_scope.is_empty:
        return []
    officer_scope = user_scope(registered_by, roles=EDITING_OFFICER_ROLES)
    return [
        Assistance(
            assistant=registered_by,
            household=household,
            seller_id=household.user_id,
            commune_id=household.commune_id,
            province_id=household.province_id,
            assigned_by=registered_by,
        )
        for household in households
        if assistant_scope.covers(
            province_id=household.province_id, commune_id=household.commune_id
        )
        and not officer_scope.covers(
            province_id=household.province_id, commune_id=household.commune_id
        )
    ]


def household_register(
    *,
    registered_by: User,
    head_name: str,
    phone: str,
    commune: AdministrativeUnit | int | None,
    consent: ConsentInput | None,
    citizen_id: str = "",
    extra_phones: Iterable[str] = (),
    address_as_written: str = "",
    village: str = "",
    main_produce: str = "",
    farm_area_hectares: Decimal | str | None = None,
    bank_bin: str = "",
    bank_account_number: str = "",
    bank_account_holder: str = "",
    user: User | None = None,
    external_reference: str = "",
    protected_citizen_id: ProtectedCitizenId | None = None,
    registered_via: str = RegistrationChannel.ASSISTED,
    now: datetime.datetime | None = None,
) -> Household:
    """Register a household with its consent; a possible duplicate is flagged, never kept
    silently. Refused without consent for the registry purpose."""
    now = now or timezone.now()
    row = RegistrationInput(
        head_name=head_name,
        phone=phone,
        commune=commune,
        consent=consent,
        citizen_id=citizen_id,
        extra_phones=list(extra_phones),
        address_as_written=address_as_written,
        village=village,
        main_produce=main_produce,
        farm_area_hectares=farm_area_hectares,
        bank_bin=bank_bin,
        bank_account_number=bank_account_number,
        bank_account_holder=bank_account_holder,
        user=user,
        external_reference=external_reference,
        protected_citizen_id=protected_citizen_id,
    )
    cleaned, reference = _clean_registration(row, registered_via=registered_via, now=now)
    assert consent is not None  # noqa: S101 - _clean_consent refused None above
    unit: AdministrativeUnit = cleaned["commune"]
    if not can_register_in(registered_by, unit):
        raise PermissionDenied(_("Bạn không được đăng ký hộ ở xã này."))
    with _files_removed_on_failure() as saved_files, transaction.atomic():
        if (
            reference
            and Household.objects.filter(
                registered_by=registered_by, external_reference=reference
            ).exists()
        ):
            raise ValidationError(
                {"external_reference": _("Đã có hộ với mã tham chiếu này.")},
                code="duplicate_reference",
            )
        household = _new_household(
            cleaned,
            reference=reference,
            registered_by=registered_by,
            registered_via=registered_via,
            now=now,
        )
        household.save()
        HouseholdPhone.objects.bulk_create(
            HouseholdPhone(household=household, phone=extra) for extra in cleaned["extra_phones"]
        )
        record = _save_consent(
            household=household,
            consent=consent,
            collected_by=registered_by,
            now=now,
            saved_files=saved_files,
        )
        stage_channel, stages, events = registered_stage_rows([household], now=now)
        for row in (*stages, *events):
            row.save(force_insert=True)
        audit_record(
            action="producers.household_register",
            target=household,
            changes=_registration_changes(household, consent, record, stage_channel=stage_channel),
        )
        for assistance in registration_assistances(registered_by, [household]):
            assistance.save()
            audit_record(action="accounts.assistance_assign", target=assistance)
        _flag_duplicates(household)
    return household


def _editable(user: User, household: Household) -> None:
    if not editable_households(user).filter(pk=household.pk).exists():
        raise PermissionDenied(_("Bạn không được sửa hồ sơ hộ này."))


def _require_active(household: Household) -> None:
    if household.status != HouseholdStatus.ACTIVE:
        raise ValidationError(_("Hồ sơ hộ này đã được gộp hoặc đã xoá: không sửa được nữa."))


def _require_consent(household: Household, purpose: str) -> None:
    """Processing for ``purpose`` stops once the household withdrew that consent (law
    91/2025/QH15): refuse rather than go on using its data."""
    if not household_consent_given(household, purpose):
        raise ValidationError(
            _("Hộ đã rút lại sự đồng ý lưu trong sổ đăng ký: không được xử lý thêm dữ liệu của hộ.")
        )


def household_update(
    *,
    updated_by: User,
    household: Household,
    changes: Mapping[str, Any],
    now: datetime.datetime | None = None,
) -> Household:
    """Change some fields of an active household whose registry consent stands; changed
    phones, name, commune or citizen ID are checked again for duplicates."""
    unknown = set(changes) - UPDATABLE_FIELDS
    if unknown:
        raise ValueError(f"fields that cannot be updated: {sorted(unknown)}")
    now = now or timezone.now()
    _editable(updated_by, household)
    _require_active(household)
    _require_consent(household, Purpose.REGISTRY)
    errors = _Errors()
    values = dict(changes)
    if any(key.startswith("bank_") for key in values):
        for key in ("bank_bin", "bank_account_number", "bank_account_holder"):
            values.setdefault(key, getattr(household, key))
    cleaned = _clean_details(values, today=timezone.localdate(now), errors=errors)
    errors.raise_if_any()
    moving = "commune" in cleaned and cleaned["commune"].pk != household.commune_id
    if moving and not can_register_in(updated_by, cleaned["commune"]):
        raise PermissionDenied(_("Bạn không được chuyển hộ sang xã này: xã ngoài địa bàn của bạn."))
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        before = snapshot(household, AUDITED_FIELDS)
        citizen_id_changed = False
        for name, value in cleaned.items():
            if name == "citizen_id":
                new_index = citizen_id_index(value) if value else ""
                citizen_id_changed = new_index != household.citizen_id_index
                if citizen_id_changed:
                    _set_citizen_id(household, value)
            elif name == "commune":
                household.commune = value
                household.province_id = value.province_id
            elif name == "extra_phones":
                continue
            elif name == "bank_account_holder":
                household.bank_account_holder = value
            else:
                setattr(household, name, value)
        household.head_name_folded = fold(household.head_name)
        household.village_folded = fold(household.village)
        household.updated_at = now
        household.save()
        if "extra_phones" in cleaned:
            household.extra_phones.exclude(phone__in=cleaned["extra_phones"]).delete()
            present = set(household.extra_phones.values_list("phone", flat=True))
            HouseholdPhone.objects.bulk_create(
                HouseholdPhone(household=household, phone=phone)
                for phone in cleaned["extra_phones"]
                if phone not in present and phone != household.phone
            )
        if moving:
            _household_area_follow(household)
        audit_changes = _audit_changes(before, household)
        if citizen_id_changed:
            audit_changes["citizen_id"] = ["***", "***"]
        if "extra_phones" in cleaned:
            audit_changes["extra_phones"] = [
                None,
                [_masked_phone(p) for p in cleaned["extra_phones"]],
            ]
        if "bank_account_number" in cleaned and "bank_bin" not in audit_changes:
            audit_changes["bank_account"] = ["***", "***"]
        audit_record(action="producers.household_update", target=household, changes=audit_changes)
        if {"head_name", "phone", "extra_phones", "commune"} & set(cleaned) or citizen_id_changed:
            _flag_duplicates(household)
    return household


def _household_area_follow(household: Household) -> None:
    """Rows scoped by the household's area follow it to its new commune, so officers of the
    new commune see them and the funnel counts the household there (cooperative memberships
    and training attendance keep the area of their cooperative and session)."""
    from nongsan.onboarding.models import ChannelStage, StageEvent  # onboarding reads us

    area = {"province_id": household.province_id, "commune_id": household.commune_id}
    for model in (Certification, GrowingAreaCode, ConsentRecord, DuplicateFlag):
        model.objects.filter(household=household).update(**area)
    MergeRecord.objects.filter(survivor=household).update(**area)
    ChannelStage.objects.filter(household=household).update(**area)
    StageEvent.objects.filter(household=household).update(**area)


def household_reveal_citizen_id(*, user: User, household: Household) -> str:
    """The citizen ID in full, for someone who may edit the household; the reveal is audited."""
    _editable(user, household)
    _require_consent(household, Purpose.REGISTRY)
    if not household.citizen_id_encrypted:
        raise ValidationError(_("Hộ này chưa có số CCCD."))
    with transaction.atomic():
        audit_reveal(actor=user, target=household, field_name="citizen_id")
        return citizen_id_decrypt(household.citizen_id_encrypted)


# -- consent ---------------------------------------------------------------------------------
def consent_record(
    *,
    recorded_by: User,
    household: Household,
    consent: ConsentInput,
    now: datetime.datetime | None = None,
) -> ConsentRecord:
    """Record a further consent (a new purpose, or one given again after a withdrawal)."""
    now = now or timezone.now()
    if not editable_households(recorded_by).filter(pk=household.pk).exists():
        raise PermissionDenied(_("Bạn không được ghi nhận sự đồng ý cho hộ này."))
    _require_active(household)
    errors = _Errors()
    _clean_consent(errors, consent, now=now)
    already = [
        purpose for purpose in consent.purposes if household_consent_given(household, purpose)
    ]
    if already:
        labels = ", ".join(str(Purpose(purpose).label) for purpose in already)
        errors.add(
            "consent_purposes",
            _("Hộ đã đồng ý các mục đích này rồi: %(purposes)s.") % {"purposes": labels},
        )
    errors.raise_if_any()
    with _files_removed_on_failure() as saved_files, transaction.atomic():
        record = _save_consent(
            household=household,
            consent=consent,
            collected_by=recorded_by,
            now=now,
            saved_files=saved_files,
        )
        audit_record(
            action="producers.consent_record",
            target=record,
            changes={
                "purposes": [None, sorted(set(consent.purposes))],
                "method": [None, record.method],
            },
            actor=recorded_by,
        )
    return record


def consent_withdraw(
    *,
    withdrawn_by: User,
    household: Household,
    purpose: str,
    note: str = "",
    now: datetime.datetime | None = None,
) -> list[ConsentPurpose]:
    """Withdraw consent for one purpose: from then on the household leaves every selector
    for that purpose (``Household.objects.with_consent``); the history stays."""
    if purpose not in _PURPOSES:
        raise ValidationError({"purpose": _("Mục đích không hợp lệ.")})
    if not editable_households(withdrawn_by).filter(pk=household.pk).exists():
        raise PermissionDenied(_("Bạn không được ghi nhận việc rút lại cho hộ này."))
    now = now or timezone.now()
    with transaction.atomic():
        active = list(
            ConsentPurpose.objects.select_for_update().filter(
                household=household, purpose=purpose, withdrawn_at__isnull=True
            )
        )
        if not active:
            raise ValidationError(
                {"purpose": _("Hộ chưa đồng ý mục đích này hoặc đã rút lại rồi.")}
            )
        for row in active:
            row.withdrawn_at = now
            row.withdrawn_by = withdrawn_by
            row.withdrawal_note = normalize_spaces(note)[:300]
            row.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
        audit_record(
            action="producers.consent_withdraw",
            target=household,
            changes={"purpose": [purpose, None]},
            actor=withdrawn_by,
        )
    return active


# -- export and erasure ----------------------------------------------------------------------
def household_data_export(*, requested_by: User, household: Household) -> dict[str, Any]:
    """Everything held about the household, as JSON-safe data (the data subject's right of
    access). Phones are in full, so the export is audited as a reveal; the citizen ID stays
    masked (its full value only through the audited reveal)."""
    _editable(requested_by, household)
    household = (
        Household.objects.select_related("commune", "province", "user", "merged_into")
        .prefetch_related(
            "extra_phones",
            "certifications",
            "growing_area_codes",
            "memberships__cooperative",
            "consent_records__purposes",
        )
        .get(pk=household.pk)
    )
    bank = household.bank
    consent_types = [
        ContentType.objects.get_for_model(Household),
        ContentType.objects.get_for_model(ConsentRecord),
    ]
    record_ids = [str(record.pk) for record in household.consent_records.all()]
    entries = AuditEntry.objects.filter(
        Q(target_type=consent_types[0], target_id=str(household.pk))
        | Q(target_type=consent_types[1], target_id__in=record_ids)
    ).order_by("occurred_at", "id")
    data = {
        "household": {
            "id": household.pk,
            "head_name": household.head_name,
            "phone": household.phone,
            "extra_phones": [phone.phone for phone in household.extra_phones.all()],
            "citizen_id": household.citizen_id_masked,
            "province": {"code": household.province.code, "name": household.province.name},
            "commune": {"code": household.commune.code, "name": household.commune.name},
            "address_as_written": household.address_as_written,
            "village": household.village,
            "main_produce": household.main_produce,
            "farm_area_hectares": household.farm_area_hectares,
            "bank_account": (
                {
                    "bank_bin": household.bank_bin,
                    "bank": bank.short_name if bank else "",
                    "account_number": household.bank_account_number,
                    "holder": household.bank_account_holder,
                }
                if household.bank_bin
                else None
            ),
            "account": household.user.phone if household.user else None,
            "status": household.status,
            "registered_via": household.registered_via,
            "created_at": household.created_at,
            "updated_at": household.updated_at,
        },
        "certifications": [
            {
                "kind": cert.kind,
                "ocop_stars": cert.ocop_stars,
                "number": cert.number,
                "issuer": cert.issuer,
                "issued_on": cert.issued_on,
                "expires_on": cert.expires_on,
            }
            for cert in household.certifications.all()
        ],
        "growing_area_codes": [code.code for code in household.growing_area_codes.all()],
        "cooperatives": [
            {
                "cooperative": membership.cooperative.name,
                "joined_on": membership.joined_on,
                "left_on": membership.left_on,
                "sells_on_behalf": membership.sells_on_behalf,
            }
            for membership in household.memberships.all()
        ],
        "consents": [
            {
                "given_at": record.given_at,
                "controller": record.controller,
                "method": record.method,
                "data_types": record.data_types,
                "witness_name": record.witness_name,
                "has_paper_photo": bool(record.paper_photo),
                "purposes": [
                    {
                        "purpose": row.purpose,
                        "withdrawn_at": row.withdrawn_at,
                    }
                    for row in record.purposes.all()
                ],
            }
            for record in household.consent_records.all()
        ],
        "merged_from": [
            {"household": merge.absorbed_id, "merged_at": merge.merged_at}
            for merge in household.merges.all()
        ],
        "audit": [
            {
                "occurred_at": entry.occurred_at,
                "action": entry.action,
                "actor": str(entry.actor_id or ""),
                "changes": entry.changes,
            }
            for entry in entries
        ],
    }
    with transaction.atomic():
        audit_reveal(actor=requested_by, target=household, field_name="data_export")
    return json_safe(data)


def _erase_fields(household: Household, *, now: datetime.datetime) -> None:
    household.head_name = ERASED_NAME
    household.head_name_folded = fold(ERASED_NAME)
    household.phone = ""
    _set_citizen_id(household, "")
    household.bank_bin = household.bank_account_number = household.bank_account_holder = ""
    household.address_as_written = ""
    household.village = household.village_folded = ""
    household.external_reference = ""
    household.user = None
    household.erased_at = now
    household.updated_at = now


def _merged_into_chain(household: Household) -> list[Household]:
    """Every record merged into ``household``, directly or through other merged records
    (one query per level of the chain; a chain is a few records long)."""
    found: list[Household] = []
    seen = {household.pk}
    level = [household.pk]
    while level:
        rows = [
            row for row in Household.objects.filter(merged_into_id__in=level) if row.pk not in seen
        ]
        seen.update(row.pk for row in rows)
        found += rows
        level = [row.pk for row in rows]
    return found


def household_erase(
    *, erased_by: User, household: Household, now: datetime.datetime | None = None
) -> Household:
    """Erase the personal fields on the household's request, keeping anonymous statistics
    (commune, produce, area, memberships, consent history without names, channel stages).

    Records merged into it are erased too (they are the same person), along the whole chain
    of merges (A merged into B merged into C: erasing C erases A and B), and every merge
    snapshot they survive emptied. Spreadsheet rows that registered them lose their data
    (the row and its outcome stay). Consent photos are deleted once the transaction commits.
    The audit trail never held their name, address or village in clear (fingerprints only).
    """
    _editable(erased_by, household)
    if household.status == HouseholdStatus.ERASED:
        raise ValidationError(_("Dữ liệu cá nhân của hộ này đã được xoá."))
    if household.status == HouseholdStatus.MERGED:
        raise ValidationError(_("Hộ này đã được gộp: hãy xoá hồ sơ hộ được giữ lại."))
    now = now or timezone.now()
    photos: list[tuple[Any, str]] = []
    with transaction.atomic():
        targets = [household, *_merged_into_chain(household)]
        for target in targets:
            _erase_fields(target, now=now)
            if target.pk == household.pk:
                target.status = HouseholdStatus.ERASED
            target.save()
            target.extra_phones.all().delete()
            Certification.objects.filter(household=target).update(number="")
            for record in ConsentRecord.objects.filter(household=target):
                if record.paper_photo:
                    photos.append((record.paper_photo.storage, record.paper_photo.name))
                record.paper_photo = ""
                record.witness_name = ""
                record.note = ""
                record.save(update_fields=["paper_photo", "witness_name", "note"])
            ConsentPurpose.objects.filter(household=target, withdrawn_at__isnull=True).update(
                withdrawn_at=now, withdrawn_by=erased_by, withdrawal_note="Xoá dữ liệu theo yêu cầu"
            )
            DuplicateFlag.objects.filter(
                Q(household=target) | Q(other=target), status=DuplicateStatus.OPEN
            ).update(status=DuplicateStatus.DISMISSED, resolved_at=now, resolved_by=erased_by)
        erased_ids = [target.pk for target in targets]
        MergeRecord.objects.filter(survivor_id__in=erased_ids).update(snapshot={"erased": True})
        from nongsan.imports.models import ImportRow  # imports registers through us

        ImportRow.objects.filter(household_id__in=erased_ids).update(data={}, conversions=[])
        audit_record(
            action="producers.household_erase",
            target=household,
            changes={
                "personal_data": ["***", None],
                "status": [HouseholdStatus.ACTIVE, HouseholdStatus.ERASED],
            },
            actor=erased_by,
        )
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in photos])
    return household


# -- duplicates and merges -------------------------------------------------------------------
def duplicate_flag_dismiss(
    *, dismissed_by: User, flag: DuplicateFlag, note: str = ""
) -> DuplicateFlag:
    """Two records that only look alike (namesakes in one commune): close the flag."""
    _editable(dismissed_by, flag.household)
    if flag.status != DuplicateStatus.OPEN:
        raise ValidationError(_("Nghi trùng này đã được xử lý."))
    with transaction.atomic():
        flag.status = DuplicateStatus.DISMISSED
        flag.resolved_at = timezone.now()
        flag.resolved_by = dismissed_by
        flag.note = normalize_spaces(note)[:300]
        flag.save(update_fields=["status", "resolved_at", "resolved_by", "note"])
        audit_record(
            action="producers.duplicate_dismiss",
            target=flag,
            changes={"status": [DuplicateStatus.OPEN, DuplicateStatus.DISMISSED]},
            actor=dismissed_by,
        )
    return flag


MERGE_SNAPSHOT_FIELDS = (
    "head_name",
    "phone",
    "citizen_id_masked",
    "commune",
    "province",
    "address_as_written",
    "village",
    "main_produce",
    "farm_area_hectares",
    "bank_bin",
    "bank_account_holder",
    "user",
    "registered_via",
    "external_reference",
    "created_at",
)


def _onboarding_merge(
    *, survivor: Household, absorbed: Household, now: datetime.datetime
) -> dict[str, int]:
    """The absorbed record's onboarding progress, kept by the survivor (the same person):
    on each channel the higher-ranked stage, moved forward with an event so the history
    says why, and its training attendance (a session both attended stays one row, present
    if either was). The absorbed record's own stage rows stay as history; the funnel leaves
    merged records out."""
    from nongsan.onboarding.models import (  # onboarding reads the registry's models
        STAGE_ORDER,
        Attendance,
        ChannelStage,
        StageEvent,
        StageSource,
    )

    current = {
        row.channel_id: row
        for row in ChannelStage.objects.select_for_update().filter(household=survivor)
    }
    raised = 0
    for row in ChannelStage.objects.filter(household=absorbed).order_by("channel_id"):
        mine = current.get(row.channel_id)
        from_rank = mine.rank if mine is not None else 0
        if row.rank <= from_rank:
            continue
        StageEvent.objects.create(
            household=survivor,
            channel_id=row.channel_id,
            from_stage=mine.stage if mine is not None else "",
            to_stage=row.stage,
            skipped_stages=list(STAGE_ORDER[from_rank : row.rank - 1]),
            occurred_on=row.reached_on,
            source=StageSource.DERIVED,
            reason=f"Gộp từ hộ #{absorbed.pk}",
            province_id=survivor.province_id,
            commune_id=survivor.commune_id,
            created_at=now,
        )
        if mine is None:
            mine = ChannelStage(household=survivor, channel_id=row.channel_id)
        mine.stage, mine.rank, mine.reached_on = row.stage, row.rank, row.reached_on
        mine.source, mine.recorded_by_id = row.source, row.recorded_by_id
        mine.province_id, mine.commune_id = survivor.province_id, survivor.commune_id
        mine.updated_at = now
        mine.save()
        raised += 1
    both = Attendance.objects.filter(household=survivor).values("session")
    present = Attendance.objects.filter(household=absorbed, attended=True).values("session")
    Attendance.objects.filter(household=survivor, attended=False, session__in=present).update(
        attended=True
    )
    attendances = (
        Attendance.objects.filter(household=absorbed)
        .exclude(session__in=both)
        .update(household=survivor)
    )
    return {"channel_stages": raised, "attendances": attendances}


def households_merge(
    *,
    merged_by: User,
    survivor: Household,
    absorbed: Household,
    now: datetime.datetime | None = None,
) -> MergeRecord:
    """Merge ``absorbed`` into ``survivor``: phones, certifications, growing-area codes,
    memberships and consents move over; the absorbed record stays, marked merged, with a
    snapshot in the merge record, so the history of both is kept."""
    if survivor.pk == absorbed.pk:
        raise ValidationError(_("Không thể gộp một hộ vào chính nó."))
    _editable(merged_by, survivor)
    _editable(merged_by, absorbed)
    now = now or timezone.now()
    with transaction.atomic():
        locked = {
            row.pk: row
            for row in Household.objects.select_for_update().filter(
                pk__in=[survivor.pk, absorbed.pk]
            )
        }
        survivor, absorbed = locked[survivor.pk], locked[absorbed.pk]
        if survivor.status != HouseholdStatus.ACTIVE or absorbed.status != HouseholdStatus.ACTIVE:
            raise ValidationError(_("Chỉ gộp được hai hồ sơ hộ đang hoạt động."))
        record_snapshot = snapshot(absorbed, MERGE_SNAPSHOT_FIELDS)
        record_snapshot["extra_phones"] = list(
            absorbed.extra_phones.values_list("phone", flat=True)
        )
        survivor_phones = _phones_of(survivor)
        moved: dict[str, Any] = {}
        new_phones = [
            phone for phone in sorted(_phones_of(absorbed)) if phone not in survivor_phones
        ]
        HouseholdPhone.objects.bulk_create(
            HouseholdPhone(household=survivor, phone=phone, label=f"gộp từ hộ #{absorbed.pk}")
            for phone in new_phones
        )
        moved["phones"] = len(new_phones)
        scope = {"province_id": survivor.province_id, "commune_id": survivor.commune_id}
        moved["certifications"] = Certification.objects.filter(household=absorbed).update(
            household=survivor, **scope
        )
        moved["growing_area_codes"] = GrowingAreaCode.objects.filter(household=absorbed).update(
            household=survivor, **scope
        )
        shared = CooperativeMembership.objects.filter(
            household=survivor, left_on__isnull=True
        ).values("cooperative")
        CooperativeMembership.objects.filter(
            household=absorbed, left_on__isnull=True, cooperative__in=shared
        ).update(left_on=timezone.localdate(now))
        moved["memberships"] = CooperativeMembership.objects.filter(household=absorbed).update(
            household=survivor
        )
        moved["consent_records"] = ConsentRecord.objects.filter(household=absorbed).update(
            household=survivor
        )
        # A purpose the survivor withdrew stays withdrawn: the absorbed record's consent for
        # it (given earlier, by the same person) moves over as withdrawn at the merge.
        withdrawn_by_survivor = (
            ConsentPurpose.objects.filter(household=survivor, withdrawn_at__isnull=False)
            .exclude(
                purpose__in=ConsentPurpose.objects.filter(
                    household=survivor, withdrawn_at__isnull=True
                ).values("purpose")
            )
            .values_list("purpose", flat=True)
        )
        ConsentPurpose.objects.filter(
            household=absorbed, withdrawn_at__isnull=True, purpose__in=list(withdrawn_by_survivor)
        ).update(
            withdrawn_at=now,
            withdrawn_by=merged_by,
            withdrawal_note="Hộ được giữ lại đã rút lại sự đồng ý này",
        )
        ConsentPurpose.objects.filter(household=absorbed).update(household=survivor)
        moved.update(_onboarding_merge(survivor=survivor, absorbed=absorbed, now=now))
        from nongsan.catalog.services import listings_transfer_household  # catalog needs us

        moved["listings"] = listings_transfer_household(
            moved_by=merged_by, absorbed=absorbed, survivor=survivor, now=now
        )
        if not survivor.citizen_id_index and absorbed.citizen_id_index:
            survivor.citizen_id_encrypted = absorbed.citizen_id_encrypted
            survivor.citizen_id_index = absorbed.citizen_id_index
            survivor.citizen_id_masked = absorbed.citizen_id_masked
            moved["citizen_id"] = True
        if survivor.user_id is None and absorbed.user_id is not None:
            survivor.user_id = absorbed.user_id
            absorbed.user = None
            moved["user"] = True
        if not survivor.bank_bin and absorbed.bank_bin:
            survivor.bank_bin = absorbed.bank_bin
            survivor.bank_account_number = absorbed.bank_account_number
            survivor.bank_account_holder = absorbed.bank_account_holder
            moved["bank_account"] = True
        survivor.updated_at = now
        survivor.save()
        absorbed.status = HouseholdStatus.MERGED
        absorbed.merged_into = survivor
        absorbed.updated_at = now
        absorbed.save()
        DuplicateFlag.objects.filter(
            Q(household=absorbed) | Q(other=absorbed), status=DuplicateStatus.OPEN
        ).update(status=DuplicateStatus.MERGED, resolved_at=now, resolved_by=merged_by)
        merge = MergeRecord.objects.create(
            survivor=survivor,
            absorbed=absorbed,
            snapshot=record_snapshot,
            moved=moved,
            merged_by=merged_by,
            merged_at=now,
            province_id=survivor.province_id,
            commune_id=survivor.commune_id,
        )
        for target, role in ((survivor, "survivor"), (absorbed, "absorbed")):
            audit_record(
                action="producers.household_merge",
                target=target,
                changes={
                    "role": [None, role],
                    "survivor": [None, survivor.pk],
                    "absorbed": [None, absorbed.pk],
                },
                actor=merged_by,
            )
        _flag_duplicates(survivor)
    return merge


# -- certifications and growing-area codes ---------------------------------------------------
def certification_add(
    *,
    added_by: User,
    kind: str,
    household: Household | None = None,
    cooperative: Cooperative | None = None,
    ocop_stars: int | None = None,
    number: str = "",
    issuer: str = "",
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
    product: str = "",
) -> Certification:
    errors = _Errors()
    if (household is None) == (cooperative is None):
        raise ValueError("a certification belongs to a household or to a cooperative")
    if kind not in _CERTIFICATION_KINDS:
        errors.add("kind", _("Hãy chọn loại chứng nhận."))
    if kind == CertificationKind.OCOP:
        if ocop_stars not in (3, 4, 5):
            errors.add("ocop_stars", _("Sản phẩm OCOP được xếp từ 3 đến 5 sao."))
    elif ocop_stars is not None:
        errors.add("ocop_stars", _("Chỉ chứng nhận OCOP mới có số sao."))
    if issued_on and expires_on and expires_on < issued_on:
        errors.add("expires_on", _("Ngày hết hạn phải sau ngày cấp."))
    texts = {
        "number": _text(errors, "number", number, limit=60),
        "issuer": _text(errors, "issuer", issuer, limit=200),
        "product": _text(errors, "product", product, limit=200),
    }
    errors.raise_if_any()
    owner: Household | Cooperative
    if household is not None:
        _editable(added_by, household)
        _require_active(household)
        _require_consent(household, Purpose.REGISTRY)
        owner = household
    else:
        assert cooperative is not None  # noqa: S101 - checked above
        if not editable_cooperatives(added_by).filter(pk=cooperative.pk).exists():
            raise PermissionDenied(_("Bạn không được sửa hợp tác xã này."))
        owner = cooperative
    with transaction.atomic():
        certification = Certification.objects.create(
            kind=kind,
            ocop_stars=ocop_stars if kind == CertificationKind.OCOP else None,
            household=household,
            cooperative=cooperative,
            issued_on=issued_on,
            expires_on=expires_on,
            province_id=owner.province_id,
            commune_id=owner.commune_id,
            **texts,
        )
        audit_record(
            action="producers.certification_add",
            target=certification,
            changes={"kind": [None, kind], "number": [None, texts["number"]]},
            actor=added_by,
        )
    return certification


def growing_area_code_add(
    *,
    added_by: User,
    code: str,
    household: Household | None = None,
    cooperative: Cooperative | None = None,
    crop: str = "",
) -> GrowingAreaCode:
    if (household is None) == (cooperative is None):
        raise ValueError("a growing-area code belongs to a household or to a cooperative")
    value = normalize_growing_area_code(code)
    errors = _Errors()
    try:
        validate_growing_area_code(value)
    except ValidationError as error:
        errors.add_error("code", error)
    crop_text = _text(errors, "crop", crop, limit=120)
    errors.raise_if_any()
    owner: Household | Cooperative
    if household is not None:
        _editable(added_by, household)
        _require_active(household)
        _require_consent(household, Purpose.REGISTRY)
        owner = household
    else:
        assert cooperative is not None  # noqa: S101 - checked above
        if not editable_cooperatives(added_by).filter(pk=cooperative.pk).exists():
            raise PermissionDenied(_("Bạn không được sửa hợp tác xã này."))
        owner = cooperative
    with transaction.atomic():
        row = GrowingAreaCode.objects.create(
            code=value,
            crop=crop_text,
            household=household,
            cooperative=cooperative,
            province_id=owner.province_id,
            commune_id=owner.commune_id,
        )
        audit_record(
            action="producers.growing_area_code_add",
            target=row,
            changes={"code": [None, value]},
            actor=added_by,
        )
    return row


# -- cooperatives ----------------------------------------------------------------------------
COOPERATIVE_FIELDS = (
    "name",
    "registration_number",
    "commune",
    "province",
    "address",
    "phone",
    "manager",
    "is_active",
)


def _clean_cooperative(values: Mapping[str, Any], errors: _Errors) -> dict[str, Any]:
    cleaned: dict[str, Any] = {}
    if "name" in values:
        cleaned["name"] = _text(errors, "name", values["name"], limit=200)
        if not cleaned["name"]:
            errors.add("name", _("Vui lòng nhập tên hợp tác xã."))
    if "registration_number" in values:
        number = _text(errors, "registration_number", values["registration_number"], limit=30)
        if number and not re.fullmatch(r"[0-9A-Za-z./\-]+", number):
            errors.add(
                "registration_number",
                _("Số đăng ký chỉ gồm chữ số, chữ cái, dấu chấm, gạch ngang và gạch chéo."),
            )
        cleaned["registration_number"] = number.upper()
    if "commune" in values:
        cleaned["commune"] = _current_commune(errors, values["commune"])
    if "address" in values:
        cleaned["address"] = _text(errors, "address", values["address"], limit=300, verbatim=True)
    if "phone" in values:
        phone = values["phone"]
        cleaned["phone"] = ""
        if phone:
            try:
                cleaned["phone"] = normalize_phone(phone)
            except ValidationError as error:
                errors.add_error("phone", error)
    if "manager" in values:
        cleaned["manager"] = values["manager"]
    if "is_active" in values:
        cleaned["is_active"] = bool(values["is_active"])
    return cleaned


def _registration_taken(number: str, exclude: int | None = None) -> bool:
    rows = Cooperative.objects.filter(registration_number=number)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return bool(number) and rows.exists()


def cooperative_create(
    *,
    created_by: User,
    name: str,
    commune: AdministrativeUnit | int | None,
    registration_number: str = "",
    manager: User | None = None,
    address: str = "",
    phone: str = "",
) -> Cooperative:
    """Register a cooperative in a commune the officer covers."""
    errors = _Errors()
    cleaned = _clean_cooperative(
        {
            "name": name,
            "registration_number": registration_number,
            "commune": commune,
            "address": address,
            "phone": phone,
            "manager": manager,
        },
        errors,
    )
    if _registration_taken(cleaned.get("registration_number", "")):
        errors.add("registration_number", _("Đã có hợp tác xã với số đăng ký này."))
    errors.raise_if_any()
    unit: AdministrativeUnit = cleaned.pop("commune")
    if not can_register_in(created_by, unit):
        raise PermissionDenied(_("Bạn không được đăng ký hợp tác xã ở xã này."))
    province_id = unit.province_id
    assert province_id is not None  # noqa: S101 - every current commune has a province
    with transaction.atomic():
        cooperative = Cooperative.objects.create(
            name_folded=fold(cleaned["name"]),
            commune=unit,
            province_id=province_id,
            created_by=created_by,
            **cleaned,
        )
        audit_record(
            action="producers.cooperative_create",
            target=cooperative,
            changes=changes_between({}, cooperative, COOPERATIVE_FIELDS),
            actor=created_by,
        )
    return cooperative


def cooperative_update(
    *, updated_by: User, cooperative: Cooperative, changes: Mapping[str, Any]
) -> Cooperative:
    unknown = set(changes) - (set(COOPERATIVE_FIELDS) - {"province"})
    if unknown:
        raise ValueError(f"fields that cannot be updated: {sorted(unknown)}")
    if not editable_cooperatives(updated_by).filter(pk=cooperative.pk).exists():
        raise PermissionDenied(_("Bạn không được sửa hợp tác xã này."))
    errors = _Errors()
    cleaned = _clean_cooperative(changes, errors)
    if _registration_taken(cleaned.get("registration_number", ""), exclude=cooperative.pk):
        errors.add("registration_number", _("Đã có hợp tác xã với số đăng ký này."))
    errors.raise_if_any()
    moving = "commune" in cleaned and cleaned["commune"].pk != cooperative.commune_id
    if moving and not can_register_in(updated_by, cleaned["commune"]):
        raise PermissionDenied(
            _("Bạn không được chuyển hợp tác xã sang xã này: xã ngoài địa bàn của bạn.")
        )
    with transaction.atomic():
        before = snapshot(cooperative, COOPERATIVE_FIELDS)
        for name, value in cleaned.items():
            setattr(cooperative, name, value)
            if name == "commune":
                cooperative.province_id = value.province_id
        cooperative.name_folded = fold(cooperative.name)
        cooperative.updated_at = timezone.now()
        cooperative.save()
        if moving:
            area = {"province_id": cooperative.province_id, "commune_id": cooperative.commune_id}
            for model in (Certification, GrowingAreaCode, CooperativeMembership):
                model.objects.filter(cooperative=cooperative).update(**area)
        audit_record(
            action="producers.cooperative_update",
            target=cooperative,
            changes=changes_between(before, cooperative, COOPERATIVE_FIELDS),
            actor=updated_by,
        )
    return cooperative


def cooperative_member_add(
    *,
    added_by: User,
    cooperative: Cooperative,
    household: Household,
    joined_on: datetime.date | None = None,
    sells_on_behalf: bool = False,
) -> CooperativeMembership:
    """Add a member household; ``sells_on_behalf`` lets the cooperative sell its produce."""
    if not editable_cooperatives(added_by).filter(pk=cooperative.pk).exists():
        raise PermissionDenied(_("Bạn không được sửa hợp tác xã này."))
    if not visible_households(added_by).filter(pk=household.pk).exists():
        raise PermissionDenied(_("Bạn không xem được hộ này."))
    _require_active(household)
    _require_consent(household, Purpose.REGISTRY)
    joined_on = joined_on or timezone.localdate()
    if joined_on > timezone.localdate():
        raise ValidationError({"joined_on": _("Ngày vào không được ở tương lai.")})
    with transaction.atomic():
        if CooperativeMembership.objects.filter(
            cooperative=cooperative, household=household, left_on__isnull=True
        ).exists():
            raise ValidationError(_("Hộ này đã là thành viên của hợp tác xã."))
        membership = CooperativeMembership.objects.create(
            cooperative=cooperative,
            household=household,
            joined_on=joined_on,
            sells_on_behalf=sells_on_behalf,
            province_id=cooperative.province_id,
            commune_id=cooperative.commune_id,
        )
        audit_record(
            action="producers.cooperative_member_add",
            target=membership,
            changes={"household": [None, household.pk], "sells_on_behalf": [None, sells_on_behalf]},
            actor=added_by,
        )
    return membership


def cooperative_member_remove(
    *, removed_by: User, membership: CooperativeMembership, left_on: datetime.date | None = None
) -> CooperativeMembership:
    if not editable_cooperatives(removed_by).filter(pk=membership.cooperative_id).exists():
        raise PermissionDenied(_("Bạn không được sửa hợp tác xã này."))
    if membership.left_on is not None:
        raise ValidationError(_("Hộ này đã rời hợp tác xã."))
    left_on = left_on or timezone.localdate()
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": _("Ngày rời phải sau ngày vào.")})
    with transaction.atomic():
        membership.left_on = left_on
        membership.save(update_fields=["left_on"])
        audit_record(
            action="producers.cooperative_member_remove",
            target=membership,
            changes={"left_on": [None, left_on]},
            actor=removed_by,
        )
    return membership
