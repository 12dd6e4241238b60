"""The import end to end: validation errors, duplicates, idempotent re-import, scope, CLI,
pages, export, and a 5,000-row file through the background path."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

from nongsan.accounts.models import Role
from nongsan.accounts.tests.factories import officer
from nongsan.audit.models import AuditEntry
from nongsan.geo.address import resolve_address
from nongsan.geo.models import AdministrativeUnit
from nongsan.imports import services
from nongsan.imports.models import ImportJob, ImportRow, ImportStatus, RowStatus
from nongsan.imports.vietnamese_encodings import unicode_to_tcvn3, unicode_to_vni
from nongsan.producers.models import Household
from nongsan.producers.tests.factories import household, staff_user

pytestmark = [pytest.mark.django_db, pytest.mark.urls("nongsan.imports.tests.urls")]
HEADER = ["STT", "Họ và tên chủ hộ", "Số điện thoại", "Số CCCD", "Địa chỉ", "Sản phẩm chính",
          "Diện tích (ha)", "Đồng ý"]  # fmt: skip
ADDRESS = "Xã Hồng Giang, huyện Lục Ngạn, tỉnh Bắc Giang"
CITIZEN_ID = "001085012345"


@pytest.fixture
def commune(admin_units: Any) -> AdministrativeUnit:
    result = resolve_address(ADDRESS)
    assert result.status == "resolved"
    assert result.best is not None
    return AdministrativeUnit.objects.select_related("province").get(pk=result.best.commune.pk)


@pytest.fixture
def province_officer(commune: AdministrativeUnit) -> Any:
    return officer(Role.PROVINCE_OFFICER, commune.province)


def good_rows(count: int = 3, start: int = 0) -> list[list[Any]]:
    return [
        [i + 1, f"Nguyễn Văn Thử {i}", f"0912{i:06d}", "", ADDRESS, "Vải thiều", "0,5", "x"]
        for i in range(start, start + count)
    ]


def text_cell(sheet: Any, value: Any) -> Any:
    """A text cell even when it starts with "=" (as a CSV-injection payload arrives)."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_bytes(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["DANH SÁCH HỘ SẢN XUẤT"])
    sheet.append(header)
    for row in rows:
        sheet.append([text_cell(sheet, value) for value in row])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def run_job(user: Any, content: bytes, name: str = "ds.xlsx") -> ImportJob:
    upload = SimpleUploadedFile(name, content)
    job = services.import_job_create(uploaded_by=user, upload=upload, name=name)
    services.import_job_validate(job_id=job.pk)
    job.refresh_from_db()
    return job


def outcomes(job: ImportJob) -> dict[int, ImportRow]:
    return {row.row_number: row for row in job.rows.all()}


def test_a_clean_file_is_validated_then_imported(province_officer: Any) -> None:
    job = run_job(province_officer, xlsx_bytes(good_rows(3)))
    assert job.status == ImportStatus.VALIDATED
    assert job.header_row == 2
    assert (job.total_rows, job.valid_rows, job.error_rows) == (3, 3, 0)
    assert job.province_id is not None
    services.import_job_start_import(job, confirmed_by=province_officer)
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.imported_rows == 3
    households = Household.objects.filter(registered_via="import")
    assert households.count() == 3
    assert {item.commune.province_id for item in households} == {job.province_id}


def test_importing_the_same_file_again_changes_nothing(province_officer: Any) -> None:
    content = xlsx_bytes(good_rows(4))
    first = run_job(province_officer, content)
    services.import_job_start_import(first, confirmed_by=province_officer)
    households = Household.objects.count()
    entries = AuditEntry.objects.filter(action__startswith="producers.").count()

    second = run_job(province_officer, content)

    assert second.unchanged_rows == 4
    assert second.valid_rows == 0
    assert {row.status for row in second.rows.all()} == {RowStatus.UNCHANGED}
    assert all(row.household_id for row in second.rows.all())
    assert Household.objects.count() == households
    assert AuditEntry.objects.filter(action__startswith="producers.").count() == entries


def test_every_bad_cell_is_an_error_naming_its_column(province_officer: Any) -> None:
    rows = [
        [1, "", "0912000001", "", ADDRESS, "", "", "x"],
        [2, "Lê Văn Hai", "12345", "", ADDRESS, "", "", "x"],
        [3, "Lê Văn Ba", "0912000003", "999", ADDRESS, "", "", "x"],
        [4, "Lê Văn Bốn", "0912000004", "", "Không có nơi nào như thế", "", "", "x"],
        [5, "Lê Văn Năm", "0912000005", "", "Phượng Sơn", "", "", "x"],
        [6, "Lê Văn Sáu", "0912000006", "", "Phường 4, Quận 3, TP.HCM", "", "", "x"],
        [7, "Lê Văn Bảy", "0912000007", "", ADDRESS, "", "nửa ha", "x"],
        [8, "Lê Văn Tám", "0912000008", "", ADDRESS, "", "", ""],
        [9, "Lê Văn Chín", "0912000009", "", ADDRESS, "", "", "có lẽ"],
        [10, "Lê Văn Mười", "0912000010", "", "", "", "-2", "x"],
    ]
    job = run_job(province_officer, xlsx_bytes(rows))
    found = outcomes(job)
    assert all(row.status == RowStatus.ERROR for row in found.values())
    expected = {
        3: "Cột «Họ và tên chủ hộ»: thiếu họ tên",
        4: "Cột «Số điện thoại»:",
        5: "Cột «Số CCCD»:",
        6: "không tìm thấy xã",
        7: "khớp nhiều xã",
        8: "xã cũ đã tách",
        9: "Cột «Diện tích (ha)»: diện tích phải là một số",
        10: "Cột «Đồng ý»: hộ chưa đồng ý",
        11: "Cột «Đồng ý»: không hiểu «có lẽ»",
        12: "thiếu địa chỉ",
    }
    for row_number, text in expected.items():
        assert any(text in error for error in found[row_number].errors), (
            row_number,
            found[row_number].errors,
        )
    assert "Phường" in " ".join(found[8].errors)  # the successors are listed


def test_a_commune_outside_the_officers_area_is_refused(commune: AdministrativeUnit) -> None:
    other = AdministrativeUnit.objects.filter(level="province", valid_until__isnull=True).exclude(
        pk=commune.province_id or 0
    )[0]
    outsider = officer(Role.PROVINCE_OFFICER, other)
    job = run_job(outsider, xlsx_bytes(good_rows(1)))
    (row,) = job.rows.all()
    assert row.status == RowStatus.ERROR
    assert "không thuộc địa bàn" in row.errors[0]


def test_duplicates_inside_the_file_and_against_the_registry(
    province_officer: Any, commune: AdministrativeUnit
) -> None:
    household(commune, phone="0912999999", head_name="Phạm Văn Cũ")
    rows = [
        [1, "Trần Văn A", "0912000001", CITIZEN_ID, ADDRESS, "", "", "x"],
        [2, "Trần Văn B", "0912000001", "", ADDRESS, "", "", "x"],
        [3, "Trần Văn C", "0912000003", CITIZEN_ID, ADDRESS, "", "", "x"],
        [4, "TRAN VAN A", "0912000004", "", ADDRESS, "", "", "x"],
        [5, "Phạm Văn Mới", "0912999999", "", ADDRESS, "", "", "x"],
        [6, "Phạm Văn Cũ", "0912888888", "", ADDRESS, "", "", "x"],
    ]
    job = run_job(province_officer, xlsx_bytes(rows))
    found = outcomes(job)
    assert found[3].status == RowStatus.VALID
    assert found[4].status == RowStatus.DUPLICATE
    assert "trùng số điện thoại với dòng 3" in found[4].errors[0]
    assert "trùng số CCCD với dòng 3" in found[5].errors[0]
    assert "trùng họ tên trong cùng xã với dòng 3" in found[6].errors[0]
    assert found[7].status == RowStatus.DUPLICATE
    assert "sổ đăng ký" in found[7].errors[0]
    assert found[8].status == RowStatus.DUPLICATE
    assert found[3].data["citizen_id_masked"] == "001*******45"
    assert CITIZEN_ID not in json.dumps(found[3].data)


def test_a_row_with_another_households_second_phone_is_a_duplicate(
    province_officer: Any, commune: AdministrativeUnit
) -> None:
    from nongsan.producers.models import HouseholdPhone

    owner = household(commune, phone="0912999999", head_name="Phạm Văn Cũ")
    HouseholdPhone.objects.create(household=owner, phone="+84912777777")
    rows = [[1, "Lê Văn Khác", "0912777777", "", ADDRESS, "", "", "x"]]
    job = run_job(province_officer, xlsx_bytes(rows))
    (row,) = job.rows.all()
    assert row.status == RowStatus.DUPLICATE
    assert (
        f"trùng số điện thoại phụ của một hộ đã có trong sổ đăng ký (hộ số {owner.pk})"
        in (row.errors[0])
    )


def test_legacy_encoded_cells_are_converted_and_reported(province_officer: Any) -> None:
    rows = [
        [
            1,
            unicode_to_tcvn3("Nguyễn Thị Hương"),
            "0912000001",
            "",
            unicode_to_vni(ADDRESS),
            "",
            "",
            "x",
        ]
    ]
    job = run_job(province_officer, xlsx_bytes(rows))
    (row,) = job.rows.all()
    assert row.status == RowStatus.VALID, row.errors
    assert row.data["head_name"] == "Nguyễn Thị Hương"
    assert [item["encoding"] for item in row.conversions] == ["tcvn3", "vni"]
    assert job.converted_cells == 2


def test_a_formula_cell_is_imported_as_text_and_exported_escaped(
    province_officer: Any, client: Any
) -> None:
    rows = [[1, '=HYPERLINK("http://x","An")', "0912000001", "", ADDRESS, "", "", "x"]]
    job = run_job(province_officer, xlsx_bytes(rows))
    services.import_job_start_import(job, confirmed_by=province_officer)
    assert Household.objects.get().head_name == '=HYPERLINK("http://x","An")'
    client.force_login(province_officer)
    response = client.get(reverse("imports:registry-export") + "?format=csv")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    response = client.get(reverse("imports:registry-export") + "?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    # A string cell with the quote prefix: never run, and no apostrophe shown in the value.
    name = sheet.cell(row=2, column=2)
    assert name.value == '=HYPERLINK("http://x","An")'
    assert (name.data_type, name.quotePrefix) == ("s", True)
    phone = sheet.cell(row=2, column=3)
    assert phone.value == "+84912000001"
    assert phone.data_type == "s"


def test_the_export_holds_only_households_whose_registry_consent_stands_and_is_audited(
    province_officer: Any, commune: AdministrativeUnit, client: Any
) -> None:
    from nongsan.producers.models import ConsentPurpose, Purpose

    household(commune, head_name="Hộ Còn Đồng Ý")
    withdrawn = household(commune, head_name="Hộ Đã Rút Lại")
    ConsentPurpose.objects.filter(household=withdrawn, purpose=Purpose.REGISTRY).update(
        withdrawn_at=withdrawn.created_at
    )
    client.force_login(province_officer)
    text = client.get(reverse("imports:registry-export") + "?format=csv").content.decode(
        "utf-8-sig"
    )
    assert "Hộ Còn Đồng Ý" in text
    assert "Hộ Đã Rút Lại" not in text
    entry = AuditEntry.objects.get(action="imports.registry_export")
    assert entry.actor == province_officer
    assert entry.is_reveal
    assert entry.province_id == commune.province_id
    assert entry.changes["households"] == [None, 1]
    assert entry.changes["format"] == [None, "csv"]
    assert entry.changes["area"][1]["provinces"] == [commune.province_id]


def test_the_export_holds_only_visible_households(
    province_officer: Any, commune: AdministrativeUnit, client: Any
) -> None:
    household(commune, head_name="Hộ Trong Tỉnh")
    elsewhere = AdministrativeUnit.objects.filter(
        level="commune", valid_until__isnull=True
    ).exclude(province=commune.province_id)[0]
    household(elsewhere, head_name="Hộ Tỉnh Khác")
    client.force_login(province_officer)
    text = client.get(reverse("imports:registry-export") + "?format=csv").content.decode(
        "utf-8-sig"
    )
    assert "Hộ Trong Tỉnh" in text
    assert "Hộ Tỉnh Khác" not in text
    assert client.get(reverse("imports:registry-export") + "?format=pdf").status_code == 400


def test_an_officer_of_another_province_cannot_see_the_job(
    province_officer: Any, commune: AdministrativeUnit, client: Any
) -> None:
    job = run_job(province_officer, xlsx_bytes(good_rows(1)))
    other = AdministrativeUnit.objects.filter(level="province", valid_until__isnull=True).exclude(
        pk=commune.province_id or 0
    )[0]
    client.force_login(officer(Role.PROVINCE_OFFICER, other))
    for name in (
        "imports:job-detail",
        "imports:job-progress",
        "imports:job-report",
        "imports:job-mapping",
    ):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("imports:job-confirm", args=[job.pk])).status_code == 404
    assert job not in client.get(reverse("imports:job-list")).context["jobs"]


def test_the_pages_take_an_upload_through_mapping_to_import(
    province_officer: Any, client: Any
) -> None:
    client.force_login(province_officer)
    upload = SimpleUploadedFile("ds.xlsx", xlsx_bytes(good_rows(2)))
    response = client.post(reverse("imports:job-list"), {"file": upload})
    job = ImportJob.objects.get()
    assert response.url == reverse("imports:job-mapping", args=[job.pk])
    page = client.get(response.url)
    assert page.status_code == 200
    assert "Nguyễn Văn Thử 0" in page.content.decode()  # the preview
    form = page.context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    response = client.post(reverse("imports:job-mapping", args=[job.pk]), data)
    assert response.url == reverse("imports:job-detail", args=[job.pk])
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED
    report = client.get(reverse("imports:job-report", args=[job.pk]) + "?all=1")
    assert load_workbook(io.BytesIO(b"".join(report.streaming_content))).active.max_row == 3
    client.post(reverse("imports:job-confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.imported_rows == 2


def test_a_bad_upload_shows_a_vietnamese_error(province_officer: Any, client: Any) -> None:
    client.force_login(province_officer)
    upload = SimpleUploadedFile("ds.xlsx", b"%PDF-1.4 fake")
    response = client.post(reverse("imports:job-list"), {"file": upload})
    assert response.status_code == 200
    assert "PDF" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_progress_box_polls_while_the_job_runs(province_officer: Any, client: Any) -> None:
    job = run_job(province_officer, xlsx_bytes(good_rows(1)))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.VALIDATING)
    client.force_login(province_officer)
    html = client.get(reverse("imports:job-progress", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in html


def test_a_large_file_streams_through_the_background_task(
    province_officer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = good_rows(5000)
    rows[10][2] = "không phải số"
    upload = SimpleUploadedFile("big.xlsx", xlsx_bytes(rows))
    job = services.import_job_create(uploaded_by=province_officer, upload=upload, name="big.xlsx")
    monkeypatch.setattr(services, "INLINE_FILE_BYTES", 0)
    job = services.import_job_start_validation(job)
    assert job.status == ImportStatus.VALIDATED
    assert (job.total_rows, job.valid_rows, job.error_rows) == (5000, 4999, 1)
    assert job.rows.count() == 5000
    assert job.error_report


def test_the_command_dry_run_writes_the_json_report(province_officer: Any, tmp_path: Path) -> None:
    path = tmp_path / "ds.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Tên", "ĐT", "Địa chỉ", "Đồng ý"])
        writer.writerow(["Hoàng Văn Một", "0912000001", ADDRESS, "x"])
        writer.writerow(["Hoàng Văn Hai", "sai", ADDRESS, "x"])
    report = tmp_path / "report.json"
    output = io.StringIO()
    call_command(
        "import_households", str(path), "--dry-run", "--report", str(report),
        "--map", "Tên=name,ĐT=phone", "--as", province_officer.phone, stdout=output,
    )  # fmt: skip
    document = json.loads(report.read_text(encoding="utf-8"))
    assert set(document) == {"summary", "rows"}
    assert document["summary"]["total"] == 2
    first, second = document["rows"]
    assert set(first) == {"row", "status", "errors", "household"}
    assert first["status"] == "valid"
    assert first["household"]["head_name"] == "Hoàng Văn Một"
    assert first["household"]["phone"] == "+84912000001"
    assert first["household"]["commune_code"]
    assert second["status"] == "error"
    assert "Cột «ĐT»" in second["errors"][0]
    assert not Household.objects.exists()
    assert "Kiểm tra (không ghi)" in output.getvalue()

    call_command("import_households", str(path), "--map", "Tên=name,ĐT=phone",
                 "--as", province_officer.phone, stdout=io.StringIO())  # fmt: skip
    assert Household.objects.count() == 1


def test_the_command_refuses_an_unknown_officer_and_a_bad_map(
    tmp_path: Path, admin_units: Any
) -> None:
    from django.core.management.base import CommandError

    path = tmp_path / "ds.csv"
    path.write_text("Họ tên,SĐT,Địa chỉ,Đồng ý\nA,0912000001,x,x\n", encoding="utf-8")
    staff_user()
    with pytest.raises(CommandError, match="Không có tài khoản"):
        call_command("import_households", str(path), "--as", "0987000000")
    with pytest.raises(CommandError, match="Không có cột"):
        call_command("import_households", str(path), "--map", "Nope=phone")


def test_the_job_page_lists_the_rows_to_fix_a_page_at_a_time(
    province_officer: Any, client: Any, django_assert_max_num_queries: Any, monkeypatch: Any
) -> None:
    from nongsan.imports import views

    monkeypatch.setattr(views, "PROBLEMS_PER_PAGE", 2)
    bad = [[10 + i, f"Lê Văn Lỗi {i}", "12345", "", ADDRESS, "", "", "x"] for i in range(3)]
    job = run_job(province_officer, xlsx_bytes(good_rows(2) + bad))
    client.force_login(province_officer)
    url = reverse("imports:job-detail", args=[job.pk])
    with django_assert_max_num_queries(12):
        first = client.get(url).content.decode()
    assert "3 dòng cần sửa" in first
    assert "Lê Văn Lỗi 0" in first
    assert "Lê Văn Lỗi 1" in first
    assert "Lê Văn Lỗi 2" not in first
    assert "Cột «Số điện thoại»" in first
    assert "Nguyễn Văn Thử 0" not in first  # valid rows are not problems
    assert "?trang=2" in first
    second = client.get(url + "?trang=2").content.decode()
    assert "Lê Văn Lỗi 2" in second
    assert "Lê Văn Lỗi 0" not in second
    assert "?trang=1" in second
    # A page number that is not one shows the first page, never an error.
    assert client.get(url + "?trang=abc").status_code == 200
    with django_assert_max_num_queries(12):
        client.get(url + "?trang=99999999999")


def test_a_clean_job_page_lists_no_rows_to_fix(province_officer: Any, client: Any) -> None:
    job = run_job(province_officer, xlsx_bytes(good_rows(2)))
    client.force_login(province_officer)
    page = client.get(reverse("imports:job-detail", args=[job.pk])).content.decode()
    assert "cần sửa" not in page


def test_the_mapping_page_shows_sample_values_under_each_column(
    province_officer: Any, client: Any
) -> None:
    client.force_login(province_officer)
    upload = SimpleUploadedFile("ds.xlsx", xlsx_bytes(good_rows(4)))
    client.post(reverse("imports:job-list"), {"file": upload})
    job = ImportJob.objects.get()
    page = client.get(reverse("imports:job-mapping", args=[job.pk])).content.decode()
    assert "Ví dụ: Nguyễn Văn Thử 0 · Nguyễn Văn Thử 1 · Nguyễn Văn Thử 2" in page
    assert "Nguyễn Văn Thử 3 ·" not in page  # three samples at most
