"""Scenario: import a generated household spreadsheet end to end, against a baseline.

A deterministic (seeded) xlsx of ``size`` rows (default 100,000), 5% of them bad (phone,
citizen ID, address, consent, duplicate phone), in the layout provinces send (a banner row,
Vietnamese headers, legacy-encoded cells now and then). It goes through the whole import:
upload (sha256, header), validation of every row (streaming read, address resolution,
duplicates in the file and in the registry), then the import of the valid rows through the
registry's batch service (``households_register_bulk``, 1,000 rows a batch).
``rows_per_s`` is rows of the file per second of that whole run (``validate_seconds`` and
``import_seconds`` split it), ``rows_per_cpu_s`` the same per second of this process's CPU
time (what the wall clock would say on an idle machine); peak memory is the process's maximum
resident set size.

The baseline, timed in the same run, is django-import-export's default import of the same
file (tablib loads the workbook, a ``ModelResource`` for Household saves row by row): it is
given the commune as an id, since it has no address resolution, and checks nothing else; and
its copy of the file has no banner row, which its reader cannot skip.
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

NAME = "household_import"
DEFAULT_SIZE = 100_000
SEED = 20250701
BAD_SHARE = 0.05
HEADER = ["STT", "Họ và tên chủ hộ", "Số điện thoại", "Số CCCD", "Thôn/Xóm/Ấp", "Xã/Phường",
          "Tỉnh", "Sản phẩm chính", "Diện tích (ha)", "Đồng ý"]  # fmt: skip
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Hữu", "Ngọc", "Quang", "Thanh"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hương", "Lan", "Long", "Mai", "Nam", "Phúc",
         "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Việt", "Xuân", "Yến", "Hải"]  # fmt: skip
PRODUCE = ["Vải thiều", "Lúa", "Cà phê", "Thanh long", "Bưởi", "Chè", "Rau", "Xoài"]


def _cpu_seconds() -> float:
    """User and system CPU time of this process: on a shared machine the wall clock measures
    the neighbours too, CPU time mostly this process."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _maxrss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _communes(limit: int = 200) -> list[tuple[int, str, str]]:
    """Current communes whose "commune, province" resolves alone: (id, commune, province)."""
    from nongsan.geo.address import resolve_address
    from nongsan.geo.models import AdministrativeUnit

    found = []
    units = (
        AdministrativeUnit.objects.filter(level="commune", valid_until__isnull=True)
        .select_related("province")
        .order_by("code")
    )
    for unit in units.iterator():
        province = unit.province
        if province is None:
            continue
        result = resolve_address(f"{unit.name}, {province.name}")
        if result.status == "resolved" and result.best and result.best.commune.pk == unit.pk:
            found.append((unit.pk, unit.name, province.name))
        if len(found) >= limit:
            break
    return found


def generate(
    path: Path, size: int, seed: int, communes: list[tuple[int, str, str]], *, banner: bool = True
) -> list[int]:
    """Write the workbook; returns each row's commune id (for the baseline)."""
    from openpyxl import Workbook

    from nongsan.imports.vietnamese_encodings import unicode_to_tcvn3, unicode_to_vni

    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    if banner:
        sheet.append(["DANH SÁCH HỘ SẢN XUẤT NÔNG NGHIỆP (số liệu thử)"])
    sheet.append(HEADER)
    commune_ids = []
    for number in range(1, size + 1):
        commune_id, commune, province = communes[rng.randrange(len(communes))]
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)} {number}"
        phone = f"09{number:08d}"
        citizen_id = f"001{rng.choice('01')}{rng.randrange(60, 99):02d}{number:06d}"
        consent = "x"
        if rng.random() < 0.02:
            name = unicode_to_tcvn3(name) if rng.random() < 0.5 else unicode_to_vni(name)
        if rng.random() < BAD_SHARE:
            flaw = rng.randrange(5)
            if flaw == 0:
                phone = "0123"
            elif flaw == 1:
                citizen_id = "99999"
            elif flaw == 2:
                commune = "Xã Không Có Thật"
            elif flaw == 3:
                consent = ""
            else:
                phone = f"09{max(1, number - 1):08d}"
        village = f"Thôn {rng.randrange(1, 12)}"
        area = f"{rng.randrange(1, 300) / 100}"
        produce = rng.choice(PRODUCE)
        sheet.append(
            [number, name, phone, citizen_id, village, commune, province, produce, area, consent]
        )
        commune_ids.append(commune_id)
    workbook.save(path)
    return commune_ids


def _officer() -> Any:
    from nongsan.accounts.models import User

    user, _created = User.objects.get_or_create(
        phone="+84900000001",
        defaults={"full_name": "Cán bộ đo hiệu năng", "is_superuser": True, "is_staff": True},
    )
    return user


def _ours(path: Path, user: Any) -> dict[str, float]:
    from django.core.files import File

    from nongsan.imports import services

    started = time.perf_counter()
    with path.open("rb") as handle:
        job = services.import_job_create(uploaded_by=user, upload=File(handle), name=path.name)
    job = services.import_job_validate(job_id=job.pk)
    validated = time.perf_counter()
    services.import_job_confirm(job=job, confirmed_by=user)
    job = services.import_job_run(job_id=job.pk)
    return {
        "validate_seconds": round(validated - started, 1),
        "import_seconds": round(time.perf_counter() - validated, 1),
        "imported": job.imported_rows,
        "errors": job.error_rows,
        "duplicates": job.duplicate_rows,
        "unchanged": job.unchanged_rows,
    }


def _baseline(path: Path, commune_ids: list[int]) -> int:
    """django-import-export's default import of the same rows, as much as it can take."""
    import tablib
    from import_export import resources
    from import_export.formats.base_formats import XLSX

    from nongsan.common.text import fold
    from nongsan.geo.models import AdministrativeUnit
    from nongsan.producers.models import Household

    class HouseholdResource(resources.ModelResource):
        class Meta:
            model = Household
            fields = ("id", "head_name", "head_name_folded", "phone", "province", "commune",
                      "village", "main_produce")  # fmt: skip

    provinces = dict(
        AdministrativeUnit.objects.filter(pk__in=set(commune_ids)).values_list("pk", "province_id")
    )
    with path.open("rb") as handle:
        loaded = XLSX().create_dataset(handle.read())
    dataset = tablib.Dataset(
        headers=[
            "head_name",
            "head_name_folded",
            "phone",
            "province",
            "commune",
            "village",
            "main_produce",
        ]  # fmt: skip
    )
    for position, row in enumerate(loaded):
        commune_id = commune_ids[position]
        dataset.append([row[1], fold(str(row[1])), f"+84{str(row[2])[1:]}",
                        provinces[commune_id], commune_id, row[4], row[7]])  # fmt: skip
    result = HouseholdResource().import_data(dataset, dry_run=False, use_transactions=True)
    return int(result.totals.get("new", 0))


def run(*, size: int | None = None, seed: int = SEED) -> dict[str, Any]:
    """Generate, import ours, import the baseline; the result is the scenario's JSON line."""
    from django.conf import settings

    from nongsan.producers.models import Household
    from nongsan.producers.personal_data import development_keys

    size = size or DEFAULT_SIZE
    if not getattr(settings, "PERSONAL_DATA_KEYS", None):
        keys, index_key = development_keys("bench")
        settings.PERSONAL_DATA_KEYS = keys
        settings.PERSONAL_DATA_INDEX_KEY = index_key
    with tempfile.TemporaryDirectory(prefix="nongsan-import-") as folder:
        settings.MEDIA_ROOT = folder
        path = Path(folder) / "ho-san-xuat.xlsx"
        communes = _communes()
        commune_ids = generate(path, size, seed, communes)
        file_mb = path.stat().st_size / (1024 * 1024)
        user = _officer()
        memory_before = _maxrss_mb()
        started, cpu_started = time.perf_counter(), _cpu_seconds()
        counts = _ours(path, user)
        seconds = time.perf_counter() - started
        cpu_seconds = _cpu_seconds() - cpu_started
        peak_mb = _maxrss_mb()
        Household.objects.all().delete()
        started, cpu_started = time.perf_counter(), _cpu_seconds()
        baseline_path = Path(folder) / "khong-tieu-de.xlsx"
        generate(baseline_path, size, seed, communes, banner=False)
        baseline_new = _baseline(baseline_path, commune_ids)
        baseline_seconds = time.perf_counter() - started
        baseline_cpu_seconds = _cpu_seconds() - cpu_started
        baseline_peak_mb = _maxrss_mb()
    rows_per_s = size / seconds
    baseline_rows_per_s = size / baseline_seconds
    return {
        "scenario": NAME,
        "size": size,
        "file_mb": round(file_mb, 1),
        "seconds": round(seconds, 1),
        "rows_per_s": round(rows_per_s),
        "cpu_seconds": round(cpu_seconds, 1),
        "rows_per_cpu_s": round(size / cpu_seconds),
        "peak_mb": round(peak_mb),
        "peak_mb_before_import": round(memory_before),
        **counts,
        "baseline_rows_per_s": round(baseline_rows_per_s),
        "baseline_rows_per_cpu_s": round(size / baseline_cpu_seconds),
        "baseline_new": baseline_new,
        "baseline_peak_mb": round(baseline_peak_mb),
        "ratio": round(rows_per_s / baseline_rows_per_s, 2),
        "target_rows_per_s": 2000,
        "target_peak_mb": 400,
    }
