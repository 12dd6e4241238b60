"""SQLite: the FTS5 table of listings again, with prefix indexes for 2- and 3-letter starts.

Buyers type "ca", "vai th": without prefix indexes FTS5 expands such a prefix over every
matching term at query time, which at a million listings costs more than the whole rest of
the search (decision 0024). Same columns and triggers as 0002; nothing on PostgreSQL.
"""

from django.db import migrations

FTS_COLUMNS = "title, produce, description"


def _statements(prefix: str) -> list[str]:
    options = f", prefix='{prefix}'" if prefix else ""
    return [
        "DROP TABLE IF EXISTS catalog_listing_fts",
        f"CREATE VIRTUAL TABLE catalog_listing_fts USING fts5({FTS_COLUMNS}, "
        f"tokenize='unicode61'{options})",
        f"""INSERT INTO catalog_listing_fts(rowid, {FTS_COLUMNS})
            SELECT id, title_folded, produce_folded, description_folded FROM catalog_listing""",
    ]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in _statements("2 3"):
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in _statements(""):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_listing_search_row")]

    operations = [migrations.RunPython(forward, backward)]
