"""The databases sort Vietnamese as vi_sort_key does: SQLite through the collation registered
from Python, PostgreSQL through ICU. Run the suite on both (DATABASE_URL)."""

from __future__ import annotations

import csv
import json
import random
import unicodedata
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from nongsan.common.database import vi_ordered
from nongsan.common.tests.strategies import in_any_normal_form, vietnamese_names
from nongsan.common.text import fold, vi_sort_key
from nongsan.geo.models import AdministrativeUnit, UnitLevel, UnitType

# Real commune and ward names: tones on every vowel, đ, numbered wards, apostrophes and
# hyphens of ethnic-minority and merged names.
PLACE_NAMES = [
    "Phường 1", "Phường 2", "Phường 10", "Phường 12", "Phường 9",
    "Phường An Cựu", "Phường An Lạc", "Phường Ái Nghĩa", "Phường Ấp Bắc",
    "Phường Bình Đức", "Phường Bửu Hòa", "Phường Bửu Long", "Phường B'lao",
    "Phường Cửa Bắc", "Phường Cửa Đông", "Phường Cửa Ông", "Phường Cự Khối",
    "Phường Dị Sử", "Phường Dữu Lâu", "Phường Đống Đa", "Phường Đông Hải",
    "Phường Hoài Đức", "Phường Hòa Hiệp", "Phường Hợp Đức", "Phường Hữu Nghị",
    "Phường Phương Liên - Trung Tự", "Phường Văn Miếu - Quốc Tử Giám",
    "Phường Ô Chợ Dừa", "Phường Ơn Đức",
    "Thị trấn Ea T'Ling", "Thị trấn M'Đrắk", "Thị trấn Đạ M'ri", "Thị trấn Ái Tử",
    "Xã Ân Hảo", "Xã Ẳng Cang", "Xã Ăn Sơn",
    "Xã B' Lá", "Xã Ba Vì", "Xã Bà Điểm", "Xã Bả Mây", "Xã Bá Hiến",
    "Xã Cư M'gar", "Xã Cư M'ta", "Xã Cư Êwi", "Xã Ch'ơm",
    "Xã Ea H'leo", "Xã Ea H'đinh", "Xã Ea M' Doal",
    "Xã Đắk R'Moan", "Xã Đăk Pxi", "Xã Đạ K' Nàng",
    "Xã Êa Trang", "Xã Ia Dom", "Xã Ia H'Drai", "Xã Ít Ong",
    "Xã Lục Ngạn", "Xã Lục Nam", "Xã Nậm Ét", "Xã N'Thol Hạ",
    "Xã Ô Lâm", "Xã Ơ Rê", "Xã Tr'Hy", "Xã Ứng Hòe", "Xã Ừng Hoè",
    "Xã Ưng Hòe", "Xã Yên Bình", "Xã Ý Yên",
]  # fmt: skip
ADMIN_UNITS_FOLDER = Path(settings.BASE_DIR).parent / "shared" / "data" / "admin-units"


def create_communes(names: list[str]) -> None:
    AdministrativeUnit.objects.bulk_create(
        AdministrativeUnit(
            level=UnitLevel.COMMUNE,
            unit_type=UnitType.COMMUNE,
            code=f"9{index:04d}",
            name=name,
            short_name=name,
            name_folded=fold(name),
            short_name_folded=fold(name),
        )
        for index, name in enumerate(names)
    )


def database_order(names: list[str]) -> list[str]:
    """Let the database sort bare strings with the ``vi`` collation, without creating rows."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute('SELECT x FROM unnest(%s::text[]) AS x ORDER BY x COLLATE "vi"', [names])
        else:
            cursor.execute(
                "SELECT value FROM json_each(%s) ORDER BY value COLLATE vi", [json.dumps(names)]
            )
        return [row[0] for row in cursor.fetchall()]


def test_place_names_have_distinct_sort_keys() -> None:
    # Otherwise ties could make the comparisons below pass or fail by accident.
    assert len({vi_sort_key(name) for name in PLACE_NAMES}) == len(PLACE_NAMES) >= 60


@pytest.mark.django_db
def test_database_orders_unit_names_as_vi_sort_key_does() -> None:
    shuffled = PLACE_NAMES[:]
    random.Random(2025).shuffle(shuffled)
    create_communes(shuffled)

    ordered = list(
        AdministrativeUnit.objects.order_by(vi_ordered("name")).values_list("name", flat=True)
    )

    assert ordered == sorted(PLACE_NAMES, key=vi_sort_key)
    assert ordered.index("Phường 10") < ordered.index("Phường 2")
    # letters decide before tones: "Bà Điểm" before "Ba Vì" because đ comes before v
    assert ordered.index("Xã Bà Điểm") < ordered.index("Xã Ba Vì")
    assert ordered.index("Xã Bá Hiến") < ordered.index("Xã Bả Mây")
    assert ordered.index("Xã Ít Ong") < ordered.index("Xã Lục Nam") < ordered.index("Xã Lục Ngạn")
    assert ordered.index("Xã Ô Lâm") < ordered.index("Xã Ơ Rê")
    assert ordered.index("Xã Ưng Hòe") < ordered.index("Xã Ừng Hoè") < ordered.index("Xã Ứng Hòe")


@pytest.mark.django_db
def test_database_orders_unit_names_descending_as_vi_sort_key_does() -> None:
    create_communes(PLACE_NAMES)

    ordered = list(
        AdministrativeUnit.objects.order_by(vi_ordered("name", descending=True)).values_list(
            "name", flat=True
        )
    )

    assert ordered == sorted(PLACE_NAMES, key=vi_sort_key, reverse=True)


@pytest.mark.django_db
def test_database_orders_decomposed_names_as_vi_sort_key_does() -> None:
    decomposed = [unicodedata.normalize("NFD", name) for name in PLACE_NAMES]
    create_communes(decomposed)

    ordered = list(
        AdministrativeUnit.objects.order_by(vi_ordered("name")).values_list("name", flat=True)
    )

    assert ordered == sorted(decomposed, key=vi_sort_key)


@pytest.mark.django_db
def test_database_sorts_letters_and_tones_in_dictionary_order() -> None:
    expected = ["a", "à", "ả", "ã", "á", "ạ", "ă", "ằ", "â", "ấ", "d", "đ", "o", "ô", "ơ", "u", "ư"]

    assert database_order(list(reversed(expected))) == expected


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(in_any_normal_form(vietnamese_names), min_size=2, max_size=40))
def test_database_and_python_agree_on_any_vietnamese_names(names: list[str]) -> None:
    python_order = sorted(names, key=lambda name: (vi_sort_key(name), name))

    assert database_order(names) == python_order


@pytest.mark.django_db
@pytest.mark.skipif(
    not ADMIN_UNITS_FOLDER.is_dir(), reason="the official tables in ../shared are not present"
)
def test_database_and_python_agree_on_every_official_unit_name() -> None:
    with (ADMIN_UNITS_FOLDER / "legacy-communes-2025-01-04.csv").open(encoding="utf-8") as file:
        rows = list(csv.reader(file))[1:]
    names = sorted({row[column].strip() for row in rows for column in (0, 2, 4)} - {""})
    assert len(names) > 7000

    assert database_order(names) == sorted(names, key=lambda name: (vi_sort_key(name), name))


@pytest.mark.django_db
def test_sqlite_folds_in_sql_as_python_does() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("vi_fold() is registered on SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT vi_fold(%s), vi_fold(NULL)", ["  ĐẮK  Lắk "])
        assert cursor.fetchone() == ("dak lak", None)
