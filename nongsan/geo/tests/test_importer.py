"""The importer on the real official tables, and on hostile copies of them."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from nongsan.geo.dataset import DATA_DIR, read_dataset, write_dataset
from nongsan.geo.importer import (
    CONVERSION_FILE,
    LEGACY_FILE,
    derive_dataset,
    split_unit_name,
    succession_kind,
)
from nongsan.geo.models import UnitSuccession, UnitType

SHARED = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "admin-units"
needs_shared = pytest.mark.skipif(
    not (SHARED / LEGACY_FILE).is_file(),
    reason="../shared/data/admin-units is not beside the project",
)


@pytest.fixture(scope="module")
def official():
    return derive_dataset(SHARED)


@needs_shared
def test_shipped_data_equals_a_fresh_derivation_from_the_official_tables(official):
    assert read_dataset(DATA_DIR) == official.dataset


@needs_shared
def test_import_counts_match_the_official_figures(official):
    counts = official.counts()
    assert counts["current_province"] == 34
    assert counts["current_commune"] == 3321
    assert counts["legacy_province"] == 63
    assert counts["legacy_district"] == 696
    # 10,051 communes in the January 2025 list plus 10 codes only the conversion table names.
    assert counts["legacy_commune"] == 10_061


@needs_shared
def test_every_legacy_commune_is_mapped_or_reported(official):
    mapped = {
        record.predecessor_code
        for record in official.dataset.successions
        if record.predecessor_level == "commune"
    }
    unmapped_reported = {
        finding.where.rsplit(" ", 1)[-1]
        for finding in official.findings
        if finding.category == "unmapped"
    }
    legacy_communes = {
        unit.code
        for unit in official.dataset.units
        if unit.level == "commune" and unit.valid_until is not None
    }
    assert legacy_communes == mapped | unmapped_reported
    assert len(unmapped_reported) == 28
    assert not mapped & unmapped_reported


@needs_shared
def test_split_legacy_communes_are_marked_partial_on_every_successor(official):
    successors = Counter(
        record.predecessor_code
        for record in official.dataset.successions
        if record.predecessor_level == "commune"
    )
    split = {code for code, count in successors.items() if count > 1}
    # SOURCE.md's "442 old codes on more than one row" counts the blank code of the six rows
    # that start from a district; 441 real codes are split, and one more (00556) is marked
    # "một phần" on a single row, so 442 legacy communes end up partial.
    assert len(split) == 441
    partial = {
        record.predecessor_code
        for record in official.dataset.successions
        if record.predecessor_level == "commune" and record.is_partial
    }
    assert partial == split | {"00556"}
    for record in official.dataset.successions:
        if record.predecessor_code in split and record.predecessor_level == "commune":
            assert record.is_partial
            assert record.kind != UnitSuccession.Kind.MERGED_WHOLE


@needs_shared
def test_codes_beat_names_and_each_disagreement_is_reported(official):
    findings = [str(finding) for finding in official.findings]
    # Phường 4 of Tân An (27691) is written under Tiền Giang; the legacy list says Long An.
    assert any("Tiền Giang (82)" in text and "Long An (80)" in text for text in findings)
    # Old Quảng Trị written without its type and with Quảng Bình's code.
    assert any("Quảng Trị (44)" in text for text in findings)
    units = {(unit.level, unit.code, unit.valid_until): unit for unit in official.dataset.units}
    tan_an_ward = next(
        unit for key, unit in units.items() if key[:2] == ("commune", "27691") and key[2]
    )
    district = next(
        unit
        for key, unit in units.items()
        if key[:2] == ("district", tan_an_ward.parent_code) and key[2]
    )
    assert district.parent_code == "80"


@needs_shared
def test_island_districts_become_special_zones(official):
    special = {
        record.predecessor_code: record
        for record in official.dataset.successions
        if record.kind == UnitSuccession.Kind.SPECIAL_ZONE
        and record.predecessor_level == "district"
    }
    assert set(special) == {"318", "471", "498", "536", "755"}  # Bạch Long Vĩ … Côn Đảo
    assert not any(record.is_partial for record in special.values())


@needs_shared
def test_province_successions_follow_reused_codes(official):
    provinces = {
        record.predecessor_code: record.successor_code
        for record in official.dataset.successions
        if record.predecessor_level == "province"
    }
    assert provinces["24"] == "24"  # old Bắc Giang → new Bắc Ninh (code 24)
    assert provinces["27"] == "24"  # old Bắc Ninh → new Bắc Ninh
    assert provinces["26"] == "25"  # Vĩnh Phúc → Phú Thọ
    assert len(provinces) == 63


@pytest.mark.parametrize(
    ("raw", "level", "expected"),
    [
        ("Thị Xã Ninh Hòa", "district", (UnitType.DISTRICT_TOWN, "Thị xã Ninh Hòa", "Ninh Hòa")),
        (
            "Thành Phố Bắc Kạn",
            "district",
            (UnitType.PROVINCIAL_CITY, "Thành phố Bắc Kạn", "Bắc Kạn"),
        ),
        ("Xa Ea Kly", "commune", (UnitType.COMMUNE, "Xã Ea Kly", "Ea Kly")),
        ("\nPhường Đăk Cấm\n", "commune", (UnitType.WARD, "Phường Đăk Cấm", "Đăk Cấm")),
        ("Đặc khu Côn Đảo", "commune", (UnitType.SPECIAL_ZONE, "Đặc khu Côn Đảo", "Côn Đảo")),
        ("Thành phố Hà Nội", "province", (UnitType.MUNICIPALITY, "Thành phố Hà Nội", "Hà Nội")),
        ("Quận 12", "district", (UnitType.URBAN_DISTRICT, "Quận 12", "12")),
    ],
)
def test_split_unit_name_reads_the_type_word_however_it_is_written(raw, level, expected):
    unit_type, name, short, _irregular = split_unit_name(raw, level)
    assert (unit_type, name, short) == expected


def test_split_unit_name_refuses_a_name_without_a_type():
    with pytest.raises(ValueError, match="không nhận ra"):
        split_unit_name("Lục Ngạn", "commune")


@pytest.mark.parametrize(
    ("note", "kind"),
    [
        ("Nhập toàn bộ", UnitSuccession.Kind.MERGED_WHOLE),
        ("Nhâp một phần diện tích", UnitSuccession.Kind.MERGED_PART),
        ("Nhập một  phần", UnitSuccession.Kind.MERGED_PART),
        ("Nhập một phần diện tích, toàn bộ dân số", UnitSuccession.Kind.MERGED_PART),
        ("Giữ nguyên ", UnitSuccession.Kind.UNCHANGED),
        ("Đổi tên", UnitSuccession.Kind.RENAMED),
        ("Đổi loại hình", UnitSuccession.Kind.TYPE_CHANGED),
        ("Sắp xếp toàn bộ huyện Côn Đảo thành đặc khu Côn Đảo", UnitSuccession.Kind.SPECIAL_ZONE),
        ("Phần còn lại sau khi tách một phần vào xã Canh Vinh", UnitSuccession.Kind.MERGED_PART),
    ],
)
def test_succession_kind_reads_every_spelling_of_the_note(note, kind):
    assert succession_kind(note) == kind


def _copy_official(tmp_path: Path) -> Path:
    folder = tmp_path / "official"
    folder.mkdir()
    for name in (LEGACY_FILE, CONVERSION_FILE):
        shutil.copy(SHARED / name, folder / name)
    return folder


@needs_shared
def test_a_malformed_row_is_reported_and_skipped_not_half_imported(tmp_path):
    folder = _copy_official(tmp_path)
    with (folder / CONVERSION_FILE).open("a", encoding="utf-8") as handle:
        handle.write(
            "Tỉnh Không Mã,Xã Ma,ABCDE,Xã Cũ,00001,Nhập toàn bộ,Huyện X (001),Tỉnh Y (01),\n"
        )
    result = derive_dataset(folder)
    formats = [finding for finding in result.findings if finding.category == "format"]
    assert len(formats) == 1
    assert "thiếu mã" in formats[0].message
    assert result.counts()["current_commune"] == 3321


def test_import_command_refuses_a_folder_without_the_tables(tmp_path):
    with pytest.raises(CommandError, match="không tìm thấy"):
        call_command("import_admin_units", str(tmp_path))


@needs_shared
def test_import_command_check_mode_detects_a_stale_shipped_file(tmp_path, official):
    stale = tmp_path / "stale"
    write_dataset(official.dataset, stale)
    call_command(
        "import_admin_units", str(SHARED), "--output", str(stale), "--check", "--summary-only"
    )
    lines = (stale / "units.csv").read_text(encoding="utf-8").splitlines()
    (stale / "units.csv").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="khác"):
        call_command(
            "import_admin_units", str(SHARED), "--output", str(stale), "--check", "--summary-only"
        )
