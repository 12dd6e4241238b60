"""The curated produce types: the shipped file loads, idempotently, and bad files are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from nongsan.catalog.models import Listing, ProduceCategory, ProduceType
from nongsan.catalog.produce_types import (
    COLUMNS,
    DATA_FILE,
    ProduceTypeFileError,
    produce_types_load,
)
from nongsan.catalog.selectors import produce_type_list
from nongsan.catalog.tests.factories import listing, produce_type

pytestmark = pytest.mark.django_db
HEADER = ",".join(COLUMNS)


def _file(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "types.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_the_shipped_file_loads_every_category_and_finds_pineapple_by_its_names():
    report = produce_types_load(path=DATA_FILE)
    assert len(report.created) >= 150
    assert set(ProduceType.objects.values_list("category", flat=True)) == set(
        ProduceCategory.values
    )
    for name in ("thơm", "khóm", "dua", "Pineapple"):
        assert "Dứa" in [t.name_vi for t in produce_type_list(query=name)], name


def test_loading_twice_changes_nothing_the_second_time():
    produce_types_load(path=DATA_FILE)
    report = produce_types_load(path=DATA_FILE)
    assert (report.created, report.updated) == ([], [])
    assert report.unchanged >= 150


def test_loading_updates_by_slug_and_refreshes_listing_search_text(admin_units, tmp_path):
    kind = produce_type(slug="dua", name_vi="Dứa", unit="qua")
    row = listing(produce_type=kind)
    report = produce_types_load(
        path=_file(tmp_path, "dua,fruit,Dứa,Pineapple,thơm|khóm,,qua,7,🍍", "cam,fruit,Cam,,,,kg,,")
    )
    assert report.updated == ["dua"]
    assert report.created == ["cam"]
    row.refresh_from_db()
    assert " khom " in row.produce_folded
    # The document the PostgreSQL search and the search rows read has the new synonym too.
    assert " khom " in row.search_document


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("Dua,fruit,Dứa,,,,kg,7,", "mã"),
        ("dua,fruitx,Dứa,,,,kg,7,", "nhóm"),
        ("dua,fruit,,,,,kg,7,", "tên"),
        ("dua,fruit,Dứa,,,,tấn,7,", "đơn vị"),
        ("dua,fruit,Dứa,,,,kg,-1,", "số ngày"),
        ("dua,fruit,Dứa,,,,kg,7,,extra", "thừa"),
    ],
)
def test_a_bad_row_is_refused_naming_its_line_and_nothing_is_written(tmp_path, line, problem):
    path = _file(tmp_path, "cam,fruit,Cam,,,,kg,,", line)
    with pytest.raises(ProduceTypeFileError) as caught:
        produce_types_load(path=path)
    assert "Dòng 3" in caught.value.problems[0]
    assert problem in caught.value.problems[0]
    assert not ProduceType.objects.exists()


def test_a_wrong_header_or_encoding_is_refused(tmp_path):
    path = tmp_path / "types.csv"
    path.write_text("slug,name\ncam,Cam\n", encoding="utf-8")
    with pytest.raises(ProduceTypeFileError, match="tiêu đề"):
        produce_types_load(path=path)
    path.write_bytes((HEADER + "\ncam,fruit,Cam,,,,kg,,\n").encode("utf-16"))
    with pytest.raises(ProduceTypeFileError, match="UTF-8"):
        produce_types_load(path=path)


def test_the_command_reports_what_changed(tmp_path, capsys):
    call_command("load_produce_types", file=_file(tmp_path, "cam,fruit,Cam,,,,kg,,"))
    assert "1 mới / created" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("load_produce_types", file=tmp_path / "missing.csv")
    assert Listing.objects.count() == 0
