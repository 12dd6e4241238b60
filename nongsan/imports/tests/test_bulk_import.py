"""The import registers valid rows in batches through the registry's batch service: the
signed paper list as consent, progress per batch, refusals kept per row, a cheap row count."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import officer
from nongsan.audit.models import AuditEntry
from nongsan.geo.address import resolve_address
from nongsan.imports import services
from nongsan.imports.models import ImportRow, ImportStatus, RowStatus
from nongsan.imports.tests.test_imports import ADDRESS, good_rows, run_job, xlsx_bytes
from nongsan.producers.models import ConsentMethod, ConsentRecord, Household

pytestmark = [pytest.mark.django_db, pytest.mark.urls("nongsan.imports.tests.urls")]


@pytest.fixture
def province_officer(admin_units: Any) -> Any:
    """An officer of the province the test rows' address resolves to."""
    result = resolve_address(ADDRESS)
    assert result.best is not None
    return officer(Role.PROVINCE_OFFICER, result.best.commune.province)


def test_the_import_registers_in_batches_with_the_paper_list_as_consent(
    province_officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "IMPORT_BATCH", 2)
    saved: list[int] = []
    original = services.register_rows

    def counted(*, rows: list[Any], **arguments: Any) -> Any:
        saved.append(len(rows))
        return original(rows=rows, **arguments)

    monkeypatch.setattr(services, "register_rows", counted)
    job = run_job(province_officer, xlsx_bytes(good_rows(5)))
    services.import_job_confirm(job=job, confirmed_by=province_officer)
    job = services.import_job_run(job_id=job.pk)
    assert saved == [2, 2, 1]
    assert (job.status, job.imported_rows, job.processed_rows) == (ImportStatus.DONE, 5, 5)
    assert {row.status for row in job.rows.all()} == {RowStatus.IMPORTED}
    assert set(job.rows.values_list("household_id", flat=True)) == set(
        Household.objects.values_list("pk", flat=True)
    )
    assert set(ConsentRecord.objects.values_list("method", flat=True)) == {
        ConsentMethod.IMPORTED_LIST
    }
    assert AuditEntry.objects.filter(action="producers.household_register").count() == 5


def test_a_second_confirmation_registers_nothing_twice(province_officer: Any) -> None:
    from django.core.exceptions import ValidationError

    job = run_job(province_officer, xlsx_bytes(good_rows(3)))
    stale = services.ImportJob.objects.get(pk=job.pk)  # the other tab's copy, still validated
    services.import_job_confirm(job=job, confirmed_by=province_officer)
    services.import_job_run(job_id=job.pk)
    assert stale.status == ImportStatus.VALIDATED
    with pytest.raises(ValidationError, match="đã được xác nhận rồi"):
        services.import_job_start_import(stale, confirmed_by=province_officer)
    assert Household.objects.count() == 3
    assert AuditEntry.objects.filter(action="producers.household_register").count() == 3


def test_an_unexpected_error_mid_import_fails_the_job_and_keeps_the_batches_done(
    province_officer: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(services, "IMPORT_BATCH", 2)
    original = services.register_rows
    calls: list[int] = []

    def breaking(**arguments: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(**arguments)

    monkeypatch.setattr(services, "register_rows", breaking)
    job = run_job(province_officer, xlsx_bytes(good_rows(5)))
    services.import_job_confirm(job=job, confirmed_by=province_officer)
    job = services.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "lỗi ngoài dự kiến" in job.message
    assert job.finished_at is not None
    assert Household.objects.count() == 2  # the first batch stays, the failed one rolled back
    assert job.rows.filter(status=RowStatus.VALID).count() == 3
    assert "disk full" in caplog.text


def test_an_unexpected_error_in_validation_fails_the_job(
    province_officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Any, rows: Any) -> Any:
        raise RuntimeError("bad cell")
        yield

    monkeypatch.setattr(services.RowValidator, "run", broken)
    job = run_job(province_officer, xlsx_bytes(good_rows(2)))
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "lỗi ngoài dự kiến" in job.message


def test_a_row_the_registry_refuses_at_import_keeps_its_message(province_officer: Any) -> None:
    job = run_job(province_officer, xlsx_bytes(good_rows(3)))
    row = job.rows.order_by("row_number")[1]
    row.data = {**row.data, "phone": "0123"}
    row.save(update_fields=["data"])
    services.import_job_confirm(job=job, confirmed_by=province_officer)
    job = services.import_job_run(job_id=job.pk)
    refused = ImportRow.objects.get(pk=row.pk)
    assert (job.imported_rows, job.error_rows) == (2, 1)
    assert refused.status == RowStatus.ERROR
    assert refused.household_id is None
    assert refused.errors[0].startswith("phone: ")
    assert Household.objects.count() == 2
    assert job.error_report


def test_the_command_line_registers_every_valid_row_in_batches(
    province_officer: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "IMPORT_BATCH", 2)
    rows = good_rows(5)
    rows[2][2] = "không phải số"
    path = tmp_path / "ds.xlsx"
    path.write_bytes(xlsx_bytes(rows))
    _mapping, stream = services.import_file(path=path, actor=province_officer)
    statuses = [outcome.status for outcome in stream]
    assert statuses == [RowStatus.IMPORTED] * 2 + [RowStatus.ERROR] + [RowStatus.IMPORTED] * 2
    assert Household.objects.count() == 4


def test_an_xlsx_is_counted_from_its_xml_and_anything_else_is_not(tmp_path: Path) -> None:
    path = tmp_path / "ds.xlsx"
    path.write_bytes(xlsx_bytes(good_rows(7)))
    assert services._first_sheet_rows(path) == 9  # the banner, the header, seven rows
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    assert services._first_sheet_rows(broken) is None


def test_a_validated_citizen_id_is_registered_without_being_decrypted_again(
    province_officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nongsan.imports.validation import PROTECTED_KEYS, RowOutcome

    rows = good_rows(2)
    rows[0][3] = "001085012345"
    job = run_job(province_officer, xlsx_bytes(rows))
    row = job.rows.get(row_number=3)
    assert row.data["citizen_id_masked"] == "001*******45"
    assert "001085012345" not in str(row.data)

    def refuse(token: str) -> str:
        raise AssertionError("the import decrypted a citizen ID it had already protected")

    monkeypatch.setattr(services, "citizen_id_decrypt", refuse)
    services.import_job_confirm(job=job, confirmed_by=province_officer)
    job = services.import_job_run(job_id=job.pk)
    assert job.imported_rows == 2
    registered = Household.objects.get(pk=int(job.rows.get(row_number=3).household_id or 0))
    assert registered.citizen_id_encrypted == row.data["citizen_id_encrypted"]
    assert registered.citizen_id_index == row.data["citizen_id_index"]
    assert registered.citizen_id_masked == "001*******45"
    from nongsan.producers.personal_data import citizen_id_decrypt

    assert citizen_id_decrypt(registered.citizen_id_encrypted) == "001085012345"
    # Reports never show the token or the blind index.
    assert not PROTECTED_KEYS & set(RowOutcome(row_number=3, data=row.data).public_household())


def test_a_row_validated_before_the_index_was_kept_still_imports(province_officer: Any) -> None:
    rows = good_rows(1)
    rows[0][3] = "001085012345"
    job = run_job(province_officer, xlsx_bytes(rows))
    row = job.rows.get()
    row.data.pop("citizen_id_index")
    row.save(update_fields=["data"])
    services.import_job_confirm(job=job, confirmed_by=province_officer)
    job = services.import_job_run(job_id=job.pk)
    assert job.imported_rows == 1
    assert Household.objects.get().citizen_id_masked == "001*******45"
