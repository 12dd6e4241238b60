"""Importing households from spreadsheets: upload, mapping, validation, import, report.

A job goes uploaded → validating → validated → importing → done (or failed). Validation reads
the file as a stream and stores each row's outcome; the import registers only the valid rows,
in batches of ``IMPORT_BATCH`` through ``nongsan.producers.bulk.households_register_bulk``
(the registry's rules, a few queries per batch); a refused row is reported, never undoing
the others. Rows whose household is already registered identically
come out *unchanged*: importing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nongsan.accounts.models import User
from nongsan.accounts.permissions import user_scope
from nongsan.audit.services import audit_record
from nongsan.common.bulk_insert import insert_values
from nongsan.imports.columns import (
    IGNORED,
    combine_mapping,
    guess_mapping,
    is_known_column,
    mapping_problems,
)
from nongsan.imports.exporting import (
    XLSX,
    household_export,
    report_header,
    report_row,
    write_table,
)
from nongsan.imports.models import ImportJob, ImportRow, ImportStatus, RowStatus
from nongsan.imports.reading import SpreadsheetError, file_kind, read_rows
from nongsan.imports.validation import RowOutcome, RowValidator, clean_cell
from nongsan.producers.bulk import CREATED, UNCHANGED, households_register_bulk
from nongsan.producers.models import ConsentMethod, Purpose, RegistrationChannel
from nongsan.producers.personal_data import ProtectedCitizenId, citizen_id_decrypt
from nongsan.producers.services import ConsentInput, RegistrationInput

if TYPE_CHECKING:
    from nongsan.producers.models.households import HouseholdQuerySet

logger = logging.getLogger(__name__)

INLINE_ROW_LIMIT = 2000
INLINE_FILE_BYTES = 200 * 1024
PREVIEW_ROWS = 10
_PROGRESS_EVERY = 1000
_WRITE_BATCH = 1000
IMPORT_BATCH = 1000
_STATUS_LABELS = {value: str(label) for value, label in RowStatus.choices}


@dataclass
class ImportSummary:
    """Counts of a run, by row status, and the legacy cells converted."""

    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    converted_cells: int = 0

    def add(self, outcome: RowOutcome) -> None:
        self.total += 1
        self.by_status[outcome.status] = self.by_status.get(outcome.status, 0) + 1
        self.converted_cells += len(outcome.conversions)

    def as_dict(self) -> dict[str, int]:
        counts = {status: self.by_status.get(status, 0) for status in RowStatus.values}
        return {"total": self.total, **counts, "converted_cells": self.converted_cells}


def file_sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def open_sheet(path: Path, name: str = "") -> tuple[Any, Iterator[tuple[int, dict[str, str]]]]:
    """The header and the row stream of a file, headers recognised as the import knows them."""
    return read_rows(path, name=name, is_known_column=is_known_column)


def _scope_units(user: User) -> tuple[int | None, int | None]:
    """The province (and commune) a job is filed under: the uploader's own area."""
    scope = user_scope(user)
    if scope.is_national or user.is_superuser:
        return None, None
    if len(scope.province_ids) == 1 and not scope.commune_ids:
        return next(iter(scope.province_ids)), None
    if len(scope.commune_ids) == 1 and not scope.province_ids:
        from nongsan.geo.models import AdministrativeUnit

        commune_id = next(iter(scope.commune_ids))
        province_id = (
            AdministrativeUnit.objects.filter(pk=commune_id)
            .values_list("province_id", flat=True)
            .first()
        )
        return province_id, commune_id
    if scope.province_ids:
        return min(scope.province_ids), None
    return None, None


def _may_import(user: User) -> bool:
    from nongsan.producers.permissions import EDITING_OFFICER_ROLES, is_staff_administrator

    if is_staff_administrator(user):
        return True
    scope = user_scope(user, roles=EDITING_OFFICER_ROLES)
    return not scope.is_empty or scope.is_national


# -- upload and mapping ------------------------------------------------------------------------
def import_job_create(
    *, uploaded_by: User, upload: File[Any], name: str, now: datetime.datetime | None = None
) -> ImportJob:
    """Store an uploaded spreadsheet, read its header and guess the column mapping."""
    if not _may_import(uploaded_by):
        raise PermissionDenied(_("Chỉ cán bộ xã, tỉnh mới được nhập danh sách hộ."))
    now = now or timezone.now()
    upload.seek(0)
    sha256 = file_sha256(upload)
    province_id, commune_id = _scope_units(uploaded_by)
    job = ImportJob(
        original_name=Path(name).name[:255],
        sha256=sha256,
        uploaded_by=uploaded_by,
        province_id=province_id,
        commune_id=commune_id,
        created_at=now,
    )
    job.file.save(Path(name).name, upload, save=False)
    try:
        sheet, rows = open_sheet(Path(job.file.path), name)
        rows.close()  # type: ignore[attr-defined]
    except SpreadsheetError:
        job.file.delete(save=False)
        raise
    job.headers = sheet.headers
    job.header_row = sheet.header_row
    job.mapping = guess_mapping(sheet.headers)
    with transaction.atomic():
        job.save()
        audit_record(
            action="imports.job_upload",
            target=job,
            changes={"file": [None, job.original_name], "sha256": [None, sha256]},
            province=job.province_id,
            commune=job.commune_id,
        )
    return job


def import_job_preview(job: ImportJob, limit: int = PREVIEW_ROWS) -> list[tuple[int, list[str]]]:
    """The first rows of the file, cells cleaned as the import will see them."""
    _sheet, rows = open_sheet(Path(job.file.path), job.original_name)
    preview = []
    try:
        for row_number, row in rows:
            preview.append(
                (row_number, [clean_cell(row.get(header, ""))[0] for header in job.headers])
            )
            if len(preview) >= limit:
                break
    finally:
        rows.close()  # type: ignore[attr-defined]
    return preview


def import_job_set_mapping(*, job: ImportJob, mapping: Mapping[str, str]) -> ImportJob:
    """Record the column mapping the officer chose; refused when a needed field is missing."""
    if job.status not in (ImportStatus.UPLOADED, ImportStatus.VALIDATED, ImportStatus.FAILED):
        raise ValidationError(_("Lần nhập này đang chạy hoặc đã xong: không đổi cách ghép cột."))
    cleaned = {
        header: value
        for header, value in mapping.items()
        if header in job.headers and value != IGNORED
    }
    problems = mapping_problems(cleaned)
    if problems:
        raise ValidationError(problems)
    job.mapping = cleaned
    job.status = ImportStatus.UPLOADED
    job.save(update_fields=["mapping", "status"])
    return job


# -- validation --------------------------------------------------------------------------------
def _reset_counts(job: ImportJob) -> None:
    job.total_rows = job.processed_rows = job.valid_rows = job.error_rows = 0
    job.duplicate_rows = job.unchanged_rows = job.imported_rows = job.converted_cells = 0


_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"")
_TARGET = re.compile(rb"<Relationship\b[^>]*>")


def _first_sheet_rows(path: Path) -> int | None:
    """The ``<row>`` elements of a workbook's first sheet, counted in its XML without parsing
    the cells (reading the cells twice would double the time of a large import)."""
    try:
        with zipfile.ZipFile(path) as archive:
            sheet = _SHEET.search(archive.read("xl/workbook.xml"))
            if sheet is None:
                return None
            target = ""
            for relation in _TARGET.findall(archive.read("xl/_rels/workbook.xml.rels")):
                if f'Id="{sheet.group(1).decode()}"'.encode() in relation:
                    found = re.search(rb'Target="([^"]+)"', relation)
                    target = found.group(1).decode() if found else ""
            if not target:
                return None
            name = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            count, tail = 0, b""
            with archive.open(name) as source:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    block = tail + chunk
                    count += block.count(b"<row ") + block.count(b"<row>")
                    # Keep the last bytes so a tag split between chunks is counted once.
                    tail = block[-5:]
                    count -= tail.count(b"<row ") + tail.count(b"<row>")
            return count + tail.count(b"<row ") + tail.count(b"<row>")
    except (KeyError, OSError, zipfile.BadZipFile):
        return None


def _count_rows(job: ImportJob) -> int:
    """The data rows to expect, for the progress bar. An xlsx is counted from its XML (blank
    rows included); a csv is read. The exact count is set once validation has read it."""
    path = Path(job.file.path)
    if file_kind(path, job.original_name) == "xlsx":
        rows = _first_sheet_rows(path)
        if rows is not None:
            return max(0, rows - job.header_row)
    _sheet, stream = open_sheet(path, job.original_name)
    return sum(1 for _row in stream)


def import_job_validate(*, job_id: int, now: datetime.datetime | None = None) -> ImportJob:
    """Validate every row of the file and store the outcomes (replacing an earlier run)."""
    job = ImportJob.objects.select_related("uploaded_by").get(pk=job_id)
    problems = mapping_problems(job.mapping)
    if problems:
        raise ValidationError(problems)
    _reset_counts(job)
    job.status = ImportStatus.VALIDATING
    job.message = ""
    try:
        job.total_rows = _count_rows(job)
        job.save()
        ImportRow.objects.filter(job=job).delete()
        _sheet, rows = open_sheet(Path(job.file.path), job.original_name)
        validator = RowValidator(mapping=job.mapping, actor=job.uploaded_by)
        # Plain rows, not ImportRow instances: a province's file is 100,000 of them.
        pending: list[dict[str, Any]] = []
        for outcome in validator.run(rows):
            pending.append(
                {
                    "job_id": job.pk,
                    "row_number": outcome.row_number,
                    "status": outcome.status,
                    "errors": outcome.errors,
                    "conversions": outcome.conversions,
                    "data": outcome.data,
                    "household_id": outcome.household_id,
                }
            )
            _count(job, outcome.status, len(outcome.conversions))
            if len(pending) >= _WRITE_BATCH:
                insert_values(ImportRow, pending)
                pending = []
            if job.processed_rows % _PROGRESS_EVERY == 0:
                job.save(update_fields=["processed_rows"])
        insert_values(ImportRow, pending)
    except SpreadsheetError as error:
        job.status = ImportStatus.FAILED
        job.message = str(error)[:500]
        job.save()
        return job
    except Exception:
        # Never left "validating" for ever: the page would poll a job nothing works on.
        logger.exception("import job %s: validation failed", job.pk)
        _fail(job, _("Kiểm tra tệp bị lỗi ngoài dự kiến; hãy thử lại hoặc báo quản trị viên."))
        return job
    job.total_rows = job.processed_rows
    job.status = ImportStatus.VALIDATED
    job.validated_at = now or timezone.now()
    job.save()
    _write_error_report(job)
    return job


def _count(job: ImportJob, status: str, conversions: int) -> None:
    job.processed_rows += 1
    job.converted_cells += conversions
    if status == RowStatus.VALID:
        job.valid_rows += 1
    elif status == RowStatus.ERROR:
        job.error_rows += 1
    elif status == RowStatus.DUPLICATE:
        job.duplicate_rows += 1
    elif status == RowStatus.UNCHANGED:
        job.unchanged_rows += 1
    elif status == RowStatus.IMPORTED:
        job.imported_rows += 1


def _report_rows(rows: Iterable[ImportRow]) -> Iterator[list[Any]]:
    for row in rows:
        yield report_row(
            row.row_number, _STATUS_LABELS[row.status], row.errors, row.data, row.conversions
        )


def import_job_report(job: ImportJob, stream: IO[bytes], *, only_problems: bool = False) -> None:
    """The per-row report of a job as xlsx: every row, or only the rows with errors."""
    rows = job.rows.order_by("row_number")
    if only_problems:
        rows = rows.filter(status__in=[RowStatus.ERROR, RowStatus.DUPLICATE])
    write_table(report_header(), _report_rows(rows.iterator(chunk_size=2000)), XLSX, stream)


def _write_error_report(job: ImportJob) -> None:
    stream = io.BytesIO()
    import_job_report(job, stream, only_problems=True)
    if job.error_report:
        job.error_report.delete(save=False)
    job.error_report.save(f"job-{job.pk}-errors.xlsx", ContentFile(stream.getvalue()), save=False)
    job.save(update_fields=["error_report"])


# -- import ------------------------------------------------------------------------------------
def _consent(file_name: str, row_number: int, actor: User) -> ConsentInput:
    """The registry consent a spreadsheet row records: the commune's paper list, signed by the
    household, kept by the officers who typed it in; the acting officer vouches for it."""
    return ConsentInput(
        purposes=[Purpose.REGISTRY],
        method=ConsentMethod.IMPORTED_LIST,
        witness_name=(actor.full_name or actor.phone)[:150],
        note=_("Nhập từ bảng tính «%(file)s», dòng %(row)d (cột «Đồng ý»).")
        % {"file": file_name[:150], "row": row_number},
    )


def _registration(
    data: Mapping[str, Any], row_number: int, actor: User, file_name: str
) -> RegistrationInput:
    """A validated row as the registry service takes it."""
    encrypted = data.get("citizen_id_encrypted") or ""
    index = data.get("citizen_id_index") or ""
    protected = None
    citizen_id = ""
    if encrypted and index:
        # Checked and protected by the validation: registered without decrypting it.
        protected = ProtectedCitizenId(encrypted, index, data.get("citizen_id_masked", ""))
    elif encrypted:  # a row validated before the index was kept with it
        citizen_id = citizen_id_decrypt(encrypted)
    return RegistrationInput(
        head_name=data["head_name"],
        phone=data["phone"],
        commune=data["commune_id"],
        consent=_consent(file_name, row_number, actor),
        citizen_id=citizen_id,
        protected_citizen_id=protected,
        address_as_written=data.get("address_as_written", ""),
        village=data.get("village", ""),
        main_produce=data.get("main_produce", ""),
        farm_area_hectares=data.get("farm_area_hectares") or None,
        bank_bin=data.get("bank_bin", ""),
        bank_account_number=data.get("bank_account_number", ""),
        bank_account_holder=data.get("bank_account_holder", ""),
        external_reference=data.get("external_reference", ""),
    )


_BULK_STATUS = {CREATED: RowStatus.IMPORTED, UNCHANGED: RowStatus.UNCHANGED}


def register_rows(
    *,
    rows: Sequence[tuple[int, Mapping[str, Any]]],
    actor: User,
    file_name: str,
    now: datetime.datetime,
) -> list[tuple[str, list[str], int | None]]:
    """Register a batch of validated rows (row number, data) through the registry's batch
    service: (status, errors, household) for each, in order."""
    result = households_register_bulk(
        registered_by=actor,
        rows=[_registration(data, number, actor, file_name) for number, data in rows],
        registered_via=RegistrationChannel.IMPORT,
        now=now,
    )
    return [
        (_BULK_STATUS.get(row.status, RowStatus.ERROR), row.messages(), row.household_id)
        for row in result.rows
    ]


def _fail(job: ImportJob, message: str) -> None:
    """Mark a job failed with ``message`` (whatever else its row in memory holds)."""
    job.status = ImportStatus.FAILED
    job.message = message[:500]
    job.finished_at = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        status=job.status, message=job.message, finished_at=job.finished_at
    )


def import_job_confirm(
    *, job: ImportJob, confirmed_by: User, now: datetime.datetime | None = None
) -> ImportJob:
    """Mark a validated job for import (the officer confirmed it).

    Claimed with one conditional UPDATE: of two confirmations at once (a double click, two
    tabs) only one finds the job still validated, so the rows are registered once."""
    if job.uploaded_by_id != confirmed_by.pk and not confirmed_by.is_superuser:
        raise PermissionDenied(_("Chỉ người đã tải tệp lên mới xác nhận nhập."))
    confirmed_at = now or timezone.now()
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.VALIDATED).update(
        status=ImportStatus.IMPORTING, confirmed_at=confirmed_at, processed_rows=0
    )
    if not claimed:
        job.refresh_from_db()
        if job.status in (ImportStatus.IMPORTING, ImportStatus.DONE):
            raise ValidationError(_("Lần nhập này đã được xác nhận rồi."))
        raise ValidationError(_("Chỉ nhập được sau khi đã kiểm tra xong tệp."))
    job.status = ImportStatus.IMPORTING
    job.confirmed_at = confirmed_at
    job.processed_rows = 0
    return job


# A valid row on its way in: (primary key, row number, normalised data, errors so far).
_ValidRow = tuple[int, int, dict[str, Any], list[str]]


def _set_outcomes(outcomes: list[tuple[str, list[str], int | None, int]]) -> None:
    """Store (status, errors, household, row) with one prepared statement run for each:
    ``bulk_update``'s CASE expressions cost more than the registration itself."""
    if not outcomes:
        return
    quote = connection.ops.quote_name
    meta = ImportRow._meta
    errors_field = meta.get_field("errors")
    # Names quoted from the model's own metadata, values passed as parameters.
    sql = (
        "UPDATE {table} SET {status} = %s, {errors} = %s, {household} = %s WHERE {pk} = %s".format(  # noqa: S608
            table=quote(meta.db_table),
            status=quote(meta.get_field("status").column),
            errors=quote(errors_field.column),
            household=quote(meta.get_field("household").column),
            pk=quote(meta.pk.column),
        )
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                (status, errors_field.get_db_prep_save(errors, connection), household_id, pk)
                for status, errors, household_id, pk in outcomes
            ],
        )


def _import_next_batch(job: ImportJob, after: int, now: datetime.datetime) -> int | None:
    """Read the next valid rows after row number ``after``, register them and mark them, all
    in one transaction, so a crash between the two never leaves households registered whose
    rows still read "valid" (a re-run would then register them again), and a second runner
    waits on the rows (PostgreSQL) and then no longer finds them valid. Answers the last row
    number done, or None when no valid row is left.

    A fresh query per batch, after the last row number seen: no cursor stays open over the
    rows being updated (SQLite gives no isolation between statements of one connection)."""
    with transaction.atomic():
        batch: list[_ValidRow] = list(
            job.rows.filter(status=RowStatus.VALID, row_number__gt=after)
            .order_by("row_number")
            .select_for_update()
            .values_list("pk", "row_number", "data", "errors")[:IMPORT_BATCH]
        )
        if not batch:
            return None
        results = register_rows(
            rows=[(number, data) for _pk, number, data, _errors in batch],
            actor=job.uploaded_by,
            file_name=job.original_name,
            now=now,
        )
        outcomes = []
        for (pk, _number, _data, errors), (status, new_errors, household_id) in zip(
            batch, results, strict=True
        ):
            outcomes.append((status, errors + new_errors, household_id, pk))
            job.valid_rows -= 1
            _count(job, status, 0)
        _set_outcomes(outcomes)
        job.save(update_fields=["processed_rows"])
        return batch[-1][1]


def import_job_run(*, job_id: int, now: datetime.datetime | None = None) -> ImportJob:
    """Register the job's valid rows, a batch per transaction; the others stay as reported.

    An unexpected error fails the job with a message (and the traceback in the log) instead
    of leaving it "importing" for ever; the batches done before it stay registered."""
    job = ImportJob.objects.select_related("uploaded_by").get(pk=job_id)
    if job.status != ImportStatus.IMPORTING:
        raise ValidationError(_("Lần nhập chưa được xác nhận."))
    now = now or timezone.now()
    actor = job.uploaded_by
    try:
        job.total_rows = job.rows.filter(status=RowStatus.VALID).count()
        last: int | None = 0
        while last is not None:
            last = _import_next_batch(job, last, now)
    except Exception:
        logger.exception("import job %s: import failed", job.pk)
        _fail(
            job,
            _(
                "Nhập bị lỗi ngoài dự kiến và đã dừng; các dòng đã nhập trước đó vẫn được giữ. "
                "Hãy báo quản trị viên."
            ),
        )
        return job
    job.status = ImportStatus.DONE
    job.finished_at = timezone.now()
    job.save()
    audit_record(
        action="imports.job_import",
        target=job,
        changes={"imported": [None, job.imported_rows], "errors": [None, job.error_rows]},
        province=job.province_id,
        commune=job.commune_id,
        actor=actor,
    )
    if job.error_rows or job.duplicate_rows:
        _write_error_report(job)
    return job


def import_job_start_validation(job: ImportJob) -> ImportJob:
    """Validate now when the file is small, in the background otherwise."""
    from nongsan.imports.tasks import validate_import_job

    if job.file.size <= INLINE_FILE_BYTES:
        return import_job_validate(job_id=job.pk)
    job.status = ImportStatus.VALIDATING
    job.save(update_fields=["status"])
    validate_import_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def import_job_start_import(job: ImportJob, confirmed_by: User) -> ImportJob:
    """Confirm and import: inline for a few rows, in the background otherwise."""
    from nongsan.imports.tasks import run_import_job

    import_job_confirm(job=job, confirmed_by=confirmed_by)
    if job.valid_rows <= INLINE_ROW_LIMIT // 10:
        return import_job_run(job_id=job.pk)
    run_import_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


# -- the registry export -----------------------------------------------------------------------
def registry_export(*, exported_by: User, format: str) -> bytes:
    """The active households ``exported_by`` may see whose registry consent stands, as an xlsx
    or csv file. It holds full phone numbers for a whole area, so each export is audited as a
    reveal: who, in which format, how many households, of which area."""
    from nongsan.producers.permissions import visible_households

    # The permission queryset is the registry's own queryset class, typed as a plain one.
    visible = cast("HouseholdQuerySet", visible_households(exported_by))
    households = visible.active().with_consent(Purpose.REGISTRY)
    content, count = household_export(households, format)
    scope = user_scope(exported_by)
    province_id, commune_id = _scope_units(exported_by)
    audit_record(
        action="imports.registry_export",
        changes={
            "format": [None, format],
            "households": [None, count],
            "area": [
                None,
                {
                    "national": scope.is_national or exported_by.is_superuser,
                    "provinces": sorted(scope.province_ids),
                    "communes": sorted(scope.commune_ids),
                },
            ],
        },
        province=province_id,
        commune=commune_id,
        is_reveal=True,
        actor=exported_by,
    )
    return content


# -- the command line --------------------------------------------------------------------------
def import_file(
    *,
    path: Path,
    actor: User,
    overrides: Mapping[str, str] | None = None,
    dry_run: bool = False,
    now: datetime.datetime | None = None,
) -> tuple[dict[str, str], Iterator[RowOutcome]]:
    """The mapping used and a stream of row outcomes for a file, registering the valid rows
    unless ``dry_run`` (the command line's path, without a stored job)."""
    sheet, rows = open_sheet(path, path.name)
    mapping = combine_mapping(guess_mapping(sheet.headers), overrides or {})
    problems = mapping_problems(mapping)
    if problems:
        rows.close()  # type: ignore[attr-defined]
        raise SpreadsheetError(" ".join(problems))
    now = now or timezone.now()
    validator = RowValidator(mapping=mapping, actor=actor, today=timezone.localdate(now))

    def registered(batch: list[RowOutcome]) -> list[RowOutcome]:
        valid = [outcome for outcome in batch if outcome.status == RowStatus.VALID]
        if valid and not dry_run:
            results = register_rows(
                rows=[(outcome.row_number, outcome.data) for outcome in valid],
                actor=actor,
                file_name=path.name,
                now=now,
            )
            for outcome, (status, errors, household_id) in zip(valid, results, strict=True):
                outcome.status, outcome.household_id = status, household_id
                outcome.errors += errors
        return batch

    def outcomes() -> Iterator[RowOutcome]:
        batch: list[RowOutcome] = []
        for outcome in validator.run(rows):
            batch.append(outcome)
            if len(batch) >= IMPORT_BATCH:
                yield from registered(batch)
                batch = []
        yield from registered(batch)

    return mapping, outcomes()
