"""Address resolution: parsing on hand-made text, resolving on the real units.

Expected communes come from the crosswalk in the database, never from guesses written here.
"""

from __future__ import annotations

import datetime

import pytest

from nongsan.geo import services
from nongsan.geo.address import (
    MAX_ADDRESS_LENGTH,
    STATUS_AMBIGUOUS,
    STATUS_INVALID,
    STATUS_NEEDS_CHOICE,
    STATUS_NOT_FOUND,
    STATUS_RESOLVED,
    clear_address_index,
    name_key,
    parse_address,
    resolve_address,
)
from nongsan.geo.models import AdministrativeUnit, UnitLevel, UnitSuccession, UnitType

BEFORE_REFORM = datetime.date(2024, 5, 1)
AFTER_REFORM = datetime.date(2025, 9, 1)

# --- parsing (no database) ---------------------------------------------------------------------


def _type_word_before_name(text: str) -> tuple[frozenset[str], frozenset[str], list[str]]:
    """The levels and types the type word announces, and the folded name words after it."""
    parsed = parse_address(text)
    assert len(parsed.type_words) == 1, parsed.type_words
    ((position, (type_word, _start)),) = parsed.type_words.items()
    names = [token.folded for token in parsed.tokens[position:]]
    return type_word.levels, type_word.unit_types, names


COMMUNE = UnitLevel.COMMUNE
DISTRICT = UnitLevel.DISTRICT
PROVINCE = UnitLevel.PROVINCE


@pytest.mark.parametrize(
    ("text", "level", "unit_type", "names"),
    [
        ("X.Tân Mỹ", COMMUNE, UnitType.COMMUNE, ["tan", "my"]),
        ("X. Tân Mỹ", COMMUNE, UnitType.COMMUNE, ["tan", "my"]),
        ("x Tân Mỹ", COMMUNE, UnitType.COMMUNE, ["tan", "my"]),
        ("Xã Tân Mỹ", COMMUNE, UnitType.COMMUNE, ["tan", "my"]),
        ("XA TAN MY", COMMUNE, UnitType.COMMUNE, ["tan", "my"]),
        ("P.4", COMMUNE, UnitType.WARD, ["4"]),
        ("P4", COMMUNE, UnitType.WARD, ["4"]),
        ("p 04", COMMUNE, UnitType.WARD, ["4"]),
        ("F12", COMMUNE, UnitType.WARD, ["12"]),
        ("Phường 04", COMMUNE, UnitType.WARD, ["4"]),
        ("TT.Chũ", COMMUNE, UnitType.TOWNSHIP, ["chu"]),
        ("TT Chũ", COMMUNE, UnitType.TOWNSHIP, ["chu"]),
        ("Thị trấn Chũ", COMMUNE, UnitType.TOWNSHIP, ["chu"]),
        ("Đặc khu Phú Quốc", COMMUNE, UnitType.SPECIAL_ZONE, ["phu", "quoc"]),
        ("H.Lục Ngạn", DISTRICT, UnitType.RURAL_DISTRICT, ["luc", "ngan"]),
        ("H. Lục Ngạn", DISTRICT, UnitType.RURAL_DISTRICT, ["luc", "ngan"]),
        ("huyện Lục Ngạn", DISTRICT, UnitType.RURAL_DISTRICT, ["luc", "ngan"]),
        ("Q.1", DISTRICT, UnitType.URBAN_DISTRICT, ["1"]),
        ("Q1", DISTRICT, UnitType.URBAN_DISTRICT, ["1"]),
        ("Quận 1", DISTRICT, UnitType.URBAN_DISTRICT, ["1"]),
        ("TX.Sơn Tây", DISTRICT, UnitType.DISTRICT_TOWN, ["son", "tay"]),
        ("Thị xã Sơn Tây", DISTRICT, UnitType.DISTRICT_TOWN, ["son", "tay"]),
        ("TP.HCM", PROVINCE, UnitType.MUNICIPALITY, ["hcm"]),
        ("Tp Hồ Chí Minh", PROVINCE, UnitType.MUNICIPALITY, ["ho", "chi", "minh"]),
        ("TP Hồ Chí Minh", PROVINCE, UnitType.MUNICIPALITY, ["ho", "chi", "minh"]),
        ("Thành phố Bắc Giang", DISTRICT, UnitType.PROVINCIAL_CITY, ["bac", "giang"]),
        ("T.Bắc Giang", PROVINCE, UnitType.PROVINCE, ["bac", "giang"]),
        ("T. Bắc Giang", PROVINCE, UnitType.PROVINCE, ["bac", "giang"]),
        ("Tỉnh Bắc Giang", PROVINCE, UnitType.PROVINCE, ["bac", "giang"]),
    ],
)
def test_type_words_are_read_however_abbreviated(text, level, unit_type, names):
    levels, unit_types, written = _type_word_before_name(text)
    assert level in levels
    assert unit_type in unit_types
    assert written == names


def test_a_name_written_with_other_diacritics_is_no_type_word():
    assert parse_address("Phương Liên").type_words == {}
    assert parse_address("Phường Liên").type_words != {}
    # Without diacritics it may be either; the names decide later.
    assert parse_address("phuong lien").type_words != {}


def test_separators_set_boundaries_but_abbreviation_dots_do_not():
    def boundaries(text: str) -> list[int]:
        return [token.boundary_before for token in parse_address(text).tokens[1:]]

    assert boundaries("Hồng Giang,Lục Ngạn") == [0, 2, 0]
    assert boundaries("Hồng Giang - Lục Ngạn") == [0, 1, 0]
    assert boundaries("Hồng Giang Lục Ngạn") == [0, 0, 0]
    assert boundaries("X.Tân Mỹ") == [0, 0]
    assert boundaries("Lục Ngạn. Bắc Giang") == [0, 2, 0]
    assert boundaries("N.T Phong Hải") == [0, 0, 0]
    assert boundaries("Hồng Giang\nLục Ngạn") == [0, 2, 0]


def test_village_and_street_words_open_parts_only_with_their_own_diacritics():
    openings = parse_address("Thôn Đông, số 12 đường Lê Lợi, xã Tân Hoa").openings
    opened = [(start, is_village) for start, _length, is_village in openings]
    assert opened == [(0, True), (2, False), (4, False)]
    assert parse_address("Dương Quang, Tô Hiệu").openings == ()
    assert [start for start, *_ in parse_address("to 5 duong 3").openings] == [0, 2]


def test_name_keys_ignore_case_diacritics_punctuation_and_leading_zeros():
    assert name_key("Ia H' Drai") == name_key("IA H'DRAI") == "ia hdrai"
    assert name_key("Bà Rịa - Vũng Tàu") == "ba ria vung tau"
    assert name_key("Phường 04") == "phuong 4"
    assert name_key("Đắk R'Lấp") == "dak rlap"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Địa chỉ trống."),
        ("   \n\t ", "Địa chỉ trống."),
        ("x" * (MAX_ADDRESS_LENGTH + 1), "Địa chỉ quá dài: tối đa 500 ký tự."),
        ("Xã Hồng\x00Giang", "Địa chỉ chứa ký tự điều khiển không hợp lệ."),
        ("Xã Hồng Giang\x1b[31m", "Địa chỉ chứa ký tự điều khiển không hợp lệ."),
        ("!!! ,,, --- ...", "Địa chỉ không có chữ hay số nào để tìm."),
        ("Tân " * 90, "Địa chỉ có quá nhiều từ: tối đa 80 từ."),
    ],
)
def test_hostile_input_is_refused_with_a_message(text, message):
    result = resolve_address(text)
    assert result.status == STATUS_INVALID
    assert result.candidates == []
    assert result.message == message


def test_a_non_text_address_is_refused():
    assert resolve_address(None).status == STATUS_INVALID  # type: ignore[arg-type]


# --- resolving on the real units ---------------------------------------------------------------


def _legacy_commune(name: str, district: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.legacy().get(
        level=UnitLevel.COMMUNE, name=name, district__name=district
    )


def _successor_ids(unit: AdministrativeUnit) -> set[int]:
    return set(
        UnitSuccession.objects.filter(
            predecessor=unit, successor__valid_until__isnull=True
        ).values_list("successor_id", flat=True)
    )


def _the_successor(unit: AdministrativeUnit) -> int:
    (successor_id,) = _successor_ids(unit)
    return successor_id


def _current_commune(name: str, province: str) -> AdministrativeUnit:
    return AdministrativeUnit.objects.current().get(
        level=UnitLevel.COMMUNE, name=name, province__name=province
    )


@pytest.fixture
def hong_giang(admin_units, db) -> int:
    """The current commune that the legacy Phường Hồng Giang (Thị xã Chũ) went into."""
    return _the_successor(_legacy_commune("Phường Hồng Giang", "Thị xã Chũ"))


@pytest.mark.parametrize(
    "text",
    [
        "Phường Hồng Giang, Thị xã Chũ, Tỉnh Bắc Giang",
        "PHUONG HONG GIANG, THI XA CHU, TINH BAC GIANG",
        "phuong hong giang thi xa chu tinh bac giang",
        "Tỉnh Bắc Giang - Thị xã Chũ - Phường Hồng Giang",
        "Bắc Giang, P.Hồng Giang, TX.Chũ",
        "P. Hong Giang; TX Chu; T. Bac Giang",
        "Hồng Giang, Chũ, Bắc Giang, Việt Nam",
        # Written as people still do: before 2025 Hồng Giang lay in huyện Lục Ngạn.
        "Xã Hồng Giang, Huyện Lục Ngạn, Tỉnh Bắc Giang",
        "XA HONG GIANG HUYEN LUC NGAN TINH BAC GIANG",
    ],
)
def test_a_legacy_address_resolves_to_its_current_successor(hong_giang, text):
    result = resolve_address(text)
    assert result.status == STATUS_RESOLVED, result.message
    assert result.best is not None
    assert result.best.commune.pk == hong_giang
    assert result.best.commune.is_current
    assert result.best.province.pk == result.best.commune.province_id
    assert result.best.matched_via.startswith("legacy commune")
    assert result.best.needs_choice is False
    assert result.message == (
        f"Đã xác định: {result.best.commune.name}, {result.best.province.name}."
    )


def test_a_full_legacy_address_is_more_certain_than_a_partial_one(hong_giang):
    full = resolve_address("Phường Hồng Giang, Thị xã Chũ, Tỉnh Bắc Giang").best
    partial = resolve_address("Phường Hồng Giang, Tỉnh Bắc Giang").best
    assert full is not None
    assert partial is not None
    assert full.commune == partial.commune
    assert full.matched_via == "legacy commune + legacy district + legacy province"
    assert partial.matched_via == "legacy commune + legacy province"
    assert 0 < partial.confidence < full.confidence <= 1


def test_a_current_address_resolves_to_that_commune(admin_units, db):
    luc_ngan = _current_commune("Xã Lục Ngạn", "Tỉnh Bắc Ninh")
    for text in ("Xã Lục Ngạn, tỉnh Bắc Ninh", "xa luc ngan bac ninh", "X.Lục Ngạn - Bắc Ninh"):
        result = resolve_address(text)
        assert result.status == STATUS_RESOLVED, text
        assert result.best is not None
        assert result.best.commune == luc_ngan
        assert result.best.matched_via == "commune + province"


def test_a_split_legacy_commune_needs_a_choice_between_all_its_successors(admin_units, db):
    ward_4 = _legacy_commune("Phường 4", "Quận 3")
    lines = UnitSuccession.objects.filter(predecessor=ward_4)
    assert lines.count() > 1
    assert all(line.is_partial for line in lines)
    successors = _successor_ids(ward_4)
    for text in ("Phường 4, Quận 3, TP.HCM", "P.04 Q.3 Tp Hồ Chí Minh", "F4, Q3, Sài Gòn"):
        result = resolve_address(text, limit=1)
        assert result.status == STATUS_NEEDS_CHOICE, text
        assert {candidate.commune.pk for candidate in result.candidates} == successors
        assert all(candidate.needs_choice for candidate in result.candidates)
        assert len({candidate.confidence for candidate in result.candidates}) == 1
        assert "Phường 4, Quận 3" in result.message


def test_a_name_shared_by_several_provinces_is_ambiguous_with_ranked_candidates(admin_units, db):
    namesakes = AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE, short_name="Phượng Sơn")
    expected: set[int] = set()
    for unit in namesakes:
        expected |= {unit.pk} if unit.is_current else _successor_ids(unit)
    assert len({unit.province_id for unit in namesakes.filter(valid_until__isnull=False)}) > 1

    result = resolve_address("Phượng Sơn", limit=10)

    assert result.status == STATUS_AMBIGUOUS
    assert {candidate.commune.pk for candidate in result.candidates} >= expected
    confidences = [candidate.confidence for candidate in result.candidates]
    assert confidences == sorted(confidences, reverse=True)
    assert confidences[0] < 0.5


def test_a_province_settles_a_shared_name(admin_units, db):
    in_bac_giang = _the_successor(_legacy_commune("Phường Phượng Sơn", "Thị xã Chũ"))
    result = resolve_address("Phượng Sơn, Bắc Giang")
    assert result.status == STATUS_RESOLVED
    assert result.best is not None
    assert result.best.commune.pk == in_bac_giang


@pytest.mark.parametrize(
    ("text", "commune", "district"),
    [
        ("P. Bến Nghé, Q1, TP.HCM", "Phường Bến Nghé", "Quận 1"),
        ("Bến Nghé, Quận 1, Sài Gòn", "Phường Bến Nghé", "Quận 1"),
        ("phuong ben nghe quan 1 hcm", "Phường Bến Nghé", "Quận 1"),
        ("Phường Phúc Xá, Ba Đình, HN", "Phường Phúc Xá", "Quận Ba Đình"),
        ("P.Phúc Xá, Q.Ba Đình, Hanoi", "Phường Phúc Xá", "Quận Ba Đình"),
        ("Phường Phú Hội, TP Huế", "Phường Phú Hội", "Quận Thuận Hóa"),
        ("Phú Hội, Thuận Hóa, TT Huế", "Phường Phú Hội", "Quận Thuận Hóa"),
    ],
)
def test_common_province_nicknames_are_understood(admin_units, db, text, commune, district):
    expected = _the_successor(_legacy_commune(commune, district))
    result = resolve_address(text)
    assert result.status == STATUS_RESOLVED, result.message
    assert result.best is not None
    assert result.best.commune.pk == expected


def test_an_island_district_without_communes_resolves_to_its_special_zone(admin_units, db):
    district = AdministrativeUnit.objects.legacy().get(
        level=UnitLevel.DISTRICT, name="Huyện Bạch Long Vĩ"
    )
    (zone_id,) = _successor_ids(district)
    result = resolve_address("Huyện Bạch Long Vĩ, TP Hải Phòng")
    assert result.status == STATUS_RESOLVED
    assert result.best is not None
    assert result.best.commune.pk == zone_id
    assert result.best.commune.unit_type == UnitType.SPECIAL_ZONE


@pytest.mark.parametrize(
    ("text", "village"),
    [
        ("Thôn Đông Hòa, xã Tân Hoa, huyện Lục Ngạn, Bắc Giang", "Thôn Đông Hòa"),
        ("thôn Đông Hòa xã Tân Hoa huyện Lục Ngạn tỉnh Bắc Giang", "thôn Đông Hòa"),
        ("Ấp 3 Xã Tân Hoa Lục Ngạn Bắc Giang", "Ấp 3"),
        ("tổ dân phố 5 - xã Tân Hoa - Lục Ngạn", "tổ dân phố 5"),
        ("KHU PHỐ 2, X.TÂN HOA, H.LỤC NGẠN", "KHU PHỐ 2"),
        ("Số 12 đường Lê Lợi, xã Tân Hoa, huyện Lục Ngạn", ""),
        ("Xã Tân Hoa, huyện Lục Ngạn", ""),
    ],
)
def test_the_village_part_is_returned_as_written(admin_units, db, text, village):
    expected = _the_successor(_legacy_commune("Xã Tân Hoa", "Huyện Lục Ngạn"))
    result = resolve_address(text)
    assert result.village == village
    assert result.status == STATUS_RESOLVED, result.message
    assert result.best is not None
    assert result.best.commune.pk == expected


def test_a_village_named_like_a_commune_is_not_taken_for_it(admin_units, db):
    # "Thôn Hồng Giang" is a village; the commune is the one after it.
    expected = _the_successor(_legacy_commune("Xã Tân Hoa", "Huyện Lục Ngạn"))
    result = resolve_address("Thôn Hồng Giang, Xã Tân Hoa, Bắc Giang")
    assert result.village == "Thôn Hồng Giang"
    assert result.best is not None
    assert result.best.commune.pk == expected


def test_a_house_number_is_not_read_as_a_ward(admin_units, db):
    result = resolve_address("Số 4, Quận 3, TP.HCM")
    assert result.status == STATUS_NOT_FOUND
    assert result.candidates == []
    assert result.message == "Chỉ nhận ra Quận 3; hãy ghi thêm tên xã, phường hoặc đặc khu."


def test_a_district_or_province_alone_is_not_a_commune(admin_units, db):
    district = resolve_address("huyện Lục Ngạn, Bắc Giang")
    assert district.status == STATUS_NOT_FOUND
    assert "Huyện Lục Ngạn" in district.message
    province = resolve_address("Tỉnh Bắc Giang")
    assert province.status == STATUS_NOT_FOUND
    assert "Tỉnh Bắc Giang" in province.message
    # The ward named like the old province is found when written as a ward.
    ward = resolve_address("Phường Bắc Giang, Bắc Ninh")
    assert ward.best is not None
    assert ward.best.commune == _current_commune("Phường Bắc Giang", "Tỉnh Bắc Ninh")


@pytest.mark.parametrize("text", ["asdfgh qwerty zxcv", "12345", "Hà Nội Hà Nội Hà Nội"])
def test_text_naming_no_commune_is_not_found(admin_units, db, text):
    result = resolve_address(text)
    assert result.status == STATUS_NOT_FOUND
    assert result.candidates == []
    assert result.message


@pytest.mark.parametrize(
    ("text", "unknown"),
    [
        # "Hồ" of the unknown province is also the legacy Phường Hồ: it is no commune here.
        ("Xã Không Có, tỉnh Mơ Hồ", ["“Xã Không Có”", "“tỉnh Mơ Hồ”"]),
        ("X. Không Có - T. Mơ Hồ", ["“X. Không Có”", "“T. Mơ Hồ”"]),
        ("xa khong co, tinh mo ho", ["“xa khong co”", "“tinh mo ho”"]),
        ("Xã Qwerty, tỉnh Zxcvb", ["“Xã Qwerty”", "“tỉnh Zxcvb”"]),
        ("Quận 13, TP.HCM", ["“Quận 13”"]),
    ],
)
def test_typed_parts_that_name_nothing_are_not_found_and_named(admin_units, db, text, unknown):
    result = resolve_address(text)
    assert result.status == STATUS_NOT_FOUND
    assert result.candidates == []
    assert result.message.startswith(f"Không nhận ra {', '.join(unknown)}.")


def test_a_real_commune_with_an_unknown_province_is_offered_never_resolved(admin_units, db):
    ward = _the_successor(_legacy_commune("Phường Hồ", "Thị xã Thuận Thành"))
    known = resolve_address("Phường Hồ")
    assert known.status == STATUS_RESOLVED
    assert known.best is not None

    result = resolve_address("Phường Hồ, tỉnh Mơ Hồ")

    assert result.status == STATUS_AMBIGUOUS
    assert [candidate.commune.pk for candidate in result.candidates] == [ward]
    assert result.candidates[0].confidence < known.best.confidence
    assert result.candidates[0].confidence < 0.5
    assert result.message.startswith("Không nhận ra “tỉnh Mơ Hồ”; có thể là ")


def test_an_unknown_district_keeps_a_full_address_from_being_resolved(admin_units, db):
    expected = _the_successor(_legacy_commune("Xã Tân Hoa", "Huyện Lục Ngạn"))
    result = resolve_address("Xã Tân Hoa, huyện Không Có, tỉnh Bắc Giang")
    assert result.status == STATUS_AMBIGUOUS
    assert result.best is not None
    assert result.best.commune.pk == expected
    assert "“huyện Không Có”" in result.message
    commune_unknown = resolve_address("Xã Không Có, huyện Lục Ngạn, Bắc Giang")
    assert commune_unknown.status == STATUS_NOT_FOUND
    assert commune_unknown.message == (
        "Không nhận ra “Xã Không Có”. "
        "Chỉ nhận ra Huyện Lục Ngạn; hãy ghi thêm tên xã, phường hoặc đặc khu."
    )


@pytest.mark.parametrize(
    ("text", "commune", "district"),
    [
        # Unaccented "quan", "tinh", "xa" ending a name are no type words.
        ("H. Van Quan - Xa Yen Phuc", "Xã Yên Phúc", "Huyện Văn Quan"),
        ("xa phung xa - huyen thach that", "Xã Phùng Xá", "Huyện Thạch Thất"),
        ("T.Ha Tinh - huyen Cam Xuyen - xa Cam My", "Xã Cẩm Mỹ", "Huyện Cẩm Xuyên"),
    ],
)
def test_a_name_ending_in_a_type_word_is_no_unknown_part(admin_units, db, text, commune, district):
    result = resolve_address(text)
    assert result.status == STATUS_RESOLVED, result.message
    assert result.best is not None
    assert result.best.commune.pk == _the_successor(_legacy_commune(commune, district))


def test_a_typo_is_forgiven_inside_a_matched_district(hong_giang):
    result = resolve_address("Phường Hồng Gianq, Thị xã Chũ, Tỉnh Bắc Giang")
    assert result.status == STATUS_RESOLVED
    assert result.best is not None
    assert result.best.commune.pk == hong_giang
    assert "(typo)" in result.best.matched_via
    exact = resolve_address("Phường Hồng Giang, Thị xã Chũ, Tỉnh Bắc Giang").best
    assert exact is not None
    assert result.best.confidence < exact.confidence


def test_the_date_written_decides_between_a_legacy_and_a_current_namesake(admin_units, db):
    current = _current_commune("Xã Mường Than", "Tỉnh Lai Châu")
    legacy_successor = _the_successor(_legacy_commune("Xã Mường Than", "Huyện Than Uyên"))
    assert legacy_successor != current.pk
    text = "Xã Mường Than, tỉnh Lai Châu"

    undated = resolve_address(text)
    assert undated.status == STATUS_AMBIGUOUS
    assert {candidate.commune.pk for candidate in undated.candidates[:2]} == {
        current.pk,
        legacy_successor,
    }
    before = resolve_address(text, on=BEFORE_REFORM).best
    after = resolve_address(text, on=AFTER_REFORM).best
    assert before is not None
    assert after is not None
    assert before.commune.pk == legacy_successor
    assert after.commune == current
    # A district is only in the legacy map: it dates the address by itself.
    dated = resolve_address("Xã Mường Than, huyện Than Uyên, tỉnh Lai Châu").best
    assert dated is not None
    assert dated.commune.pk == legacy_successor


def test_limit_caps_the_candidates(admin_units, db):
    assert len(resolve_address("Tân Lập", limit=3).candidates) == 3
    assert len(resolve_address("Tân Lập", limit=0).candidates) == 1


def test_resolving_asks_the_database_nothing_once_the_index_is_built(
    admin_units, db, django_assert_num_queries
):
    resolve_address("Xã Lục Ngạn, Bắc Ninh")
    with django_assert_num_queries(0):
        resolve_address("Phường Hồng Giang, Thị xã Chũ, Tỉnh Bắc Giang")
        resolve_address("Phượng Sơn")


@pytest.fixture
def index_cleared_after():
    """A test that changes units leaves no index of its rolled-back changes behind."""
    clear_address_index()
    yield
    clear_address_index()


def test_a_renamed_unit_is_found_by_both_names_once_the_index_is_cleared(
    admin_units, db, index_cleared_after
):
    unit = _current_commune("Xã Lục Ngạn", "Tỉnh Bắc Ninh")
    assert resolve_address("Xã Vải Thiều, Bắc Ninh").status == STATUS_NOT_FOUND
    services.unit_rename(
        unit=unit,
        new_name="Xã Vải Thiều",
        new_unit_type=UnitType.COMMUNE,
        effective_date=datetime.date(2026, 1, 1),
        legal_basis="Nghị quyết thử nghiệm",
        recorded_by=None,
    )
    assert resolve_address("Xã Vải Thiều, Bắc Ninh").status == STATUS_NOT_FOUND  # cached

    clear_address_index()

    renamed = resolve_address("Xã Vải Thiều, Bắc Ninh").best
    earlier = resolve_address("Xã Lục Ngạn, Bắc Ninh").best
    assert renamed is not None
    assert earlier is not None
    assert renamed.commune.pk == earlier.commune.pk == unit.pk
    assert renamed.commune.name == "Xã Vải Thiều"
