"""The curated produce types shipped in ``data/produce_types.csv``, loaded idempotently.

``manage.py load_produce_types`` (also run by ``seed_demo``) upserts the file by slug and
reports what changed; a row of the database missing from the file is left alone, not deleted:
listings refer to it. Every row is checked before anything is written.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from nongsan.audit.services import audit_record
from nongsan.catalog.folding import search_text
from nongsan.catalog.models import Listing, ProduceCategory, ProduceType, SellingUnit
from nongsan.catalog.search_rows import search_rows_refresh

DATA_FILE = Path(__file__).resolve().parent / "data" / "produce_types.csv"
COLUMNS = [
    "slug",
    "category",
    "name_vi",
    "name_en",
    "synonyms_vi",
    "synonyms_en",
    "unit",
    "shelf_life_days",
    "icon",
]
FIELDS = ("category", "name_vi", "name_en", "synonyms_vi", "synonyms_en", "unit")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_ROWS = 5000


class ProduceTypeFileError(ValueError):
    """The file cannot be loaded; ``problems`` names each line that is wrong."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    not_in_file: list[str] = field(default_factory=list)


def produce_search_text(
    name_vi: str, name_en: str, synonyms_vi: str = "", synonyms_en: str = ""
) -> str:
    return search_text(
        name_vi, name_en, synonyms_vi.replace("|", " "), synonyms_en.replace("|", " ")
    )


def _synonyms(text: str) -> str:
    return "|".join(part.strip() for part in text.split("|") if part.strip())


def _parse(text: str) -> list[dict[str, object]]:
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames != COLUMNS:
        raise ProduceTypeFileError(
            [_("Dòng tiêu đề phải là: %(columns)s.") % {"columns": ",".join(COLUMNS)}]
        )
    rows: list[dict[str, object]] = []
    problems: list[str] = []
    seen: set[str] = set()
    for line, raw in enumerate(reader, start=2):
        if line > MAX_ROWS + 1:
            problems.append(_("Tệp quá dài: tối đa %(count)d dòng.") % {"count": MAX_ROWS})
            break
        values = {key: (raw.get(key) or "").strip() for key in COLUMNS}
        errors: list[str] = []
        if None in raw:
            errors.append(_("thừa cột"))
        if not _SLUG.fullmatch(values["slug"]) or len(values["slug"]) > 60:
            errors.append(_("mã không hợp lệ"))
        elif values["slug"] in seen:
            errors.append(_("mã bị lặp"))
        if values["category"] not in ProduceCategory.values:
            errors.append(_("nhóm không hợp lệ"))
        if not values["name_vi"] or len(values["name_vi"]) > 100:
            errors.append(_("thiếu tên tiếng Việt hoặc quá dài"))
        if len(values["name_en"]) > 100:
            errors.append(_("tên tiếng Anh quá dài"))
        if values["unit"] not in SellingUnit.values:
            errors.append(_("đơn vị không hợp lệ"))
        shelf_life: int | None = None
        if values["shelf_life_days"]:
            if values["shelf_life_days"].isdigit() and int(values["shelf_life_days"]) <= 3650:
                shelf_life = int(values["shelf_life_days"])
            else:
                errors.append(_("số ngày giữ được không hợp lệ"))
        if len(values["icon"]) > 16:
            errors.append(_("biểu tượng quá dài"))
        synonyms_vi, synonyms_en = (
            _synonyms(values["synonyms_vi"]),
            _synonyms(values["synonyms_en"]),
        )
        if len(synonyms_vi) > 300 or len(synonyms_en) > 300:
            errors.append(_("quá nhiều tên gọi khác"))
        if errors:
            problems.append(
                _("Dòng %(line)d: %(errors)s.") % {"line": line, "errors": "; ".join(errors)}
            )
            continue
        seen.add(values["slug"])
        rows.append(
            {
                **values,
                "synonyms_vi": synonyms_vi,
                "synonyms_en": synonyms_en,
                "shelf_life_days": shelf_life,
            }
        )
    if problems:
        raise ProduceTypeFileError(problems)
    return rows


def _listings_refold(produce_type: ProduceType, folded: str) -> None:
    """A type's new names and synonyms into its listings' folded fields and search document
    (what the PostgreSQL search and the search rows read), a thousand listings at a time."""
    listings = Listing.objects.filter(produce_type=produce_type).only("title", "description")
    batch: list[Listing] = []
    for listing in listings.iterator(chunk_size=1000):
        listing.produce_folded = folded
        listing.search_document = search_text(listing.title, folded, listing.description)
        batch.append(listing)
        if len(batch) >= 1000:
            Listing.objects.bulk_update(batch, ["produce_folded", "search_document"])
            batch = []
    Listing.objects.bulk_update(batch, ["produce_folded", "search_document"])


def produce_types_load(*, path: Path = DATA_FILE) -> LoadReport:
    """Upsert the produce types of ``path`` by slug; all rows or none."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ProduceTypeFileError([_("Tệp phải được lưu bằng mã UTF-8.")]) from error
    rows = _parse(text)
    report = LoadReport()
    with transaction.atomic():
        existing = {row.slug: row for row in ProduceType.objects.select_for_update()}
        for values in rows:
            slug = str(values["slug"])
            folded = produce_search_text(
                str(values["name_vi"]),
                str(values["name_en"]),
                str(values["synonyms_vi"]),
                str(values["synonyms_en"]),
            )
            wanted = {
                **{name: values[name] for name in FIELDS},
                "shelf_life_days": values["shelf_life_days"],
                "icon": values["icon"],
                "search_folded": folded,
            }
            current = existing.get(slug)
            if current is None:
                ProduceType.objects.create(slug=slug, **wanted)
                report.created.append(slug)
                continue
            changed = {name for name, value in wanted.items() if getattr(current, name) != value}
            if not changed:
                report.unchanged += 1
                continue
            for name in changed:
                setattr(current, name, wanted[name])
            current.save(update_fields=sorted(changed))
            report.updated.append(slug)
            if "search_folded" in changed:
                _listings_refold(current, folded)
            if changed & {"search_folded", "category"}:
                search_rows_refresh(
                    Listing.objects.filter(produce_type=current).values_list("pk", flat=True)
                )
        report.not_in_file = sorted(set(existing) - {str(row["slug"]) for row in rows})
        if report.created or report.updated:
            audit_record(
                action="catalog.produce_types_load",
                changes={"created": [None, report.created], "updated": [None, report.updated]},
            )
    return report
