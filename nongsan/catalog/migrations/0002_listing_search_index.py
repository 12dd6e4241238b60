"""The full-text index of listings, one per database vendor (see nongsan/catalog/search.py).

SQLite: an FTS5 table over the folded title, produce names and description, kept in step by
triggers on catalog_listing (rowid = listing id). Django rebuilds a SQLite table to alter it,
which drops its triggers: a later migration that alters Listing must recreate them.
PostgreSQL: pg_trgm and a trigram GIN index on the folded search document, so that the
word-prefix LIKE the search runs uses an index.
"""

from django.db import migrations

FTS_COLUMNS = "title, produce, description"
FTS_VALUES = "new.id, new.title_folded, new.produce_folded, new.description_folded"

SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE catalog_listing_fts USING fts5({FTS_COLUMNS}, tokenize='unicode61')",
    f"""CREATE TRIGGER catalog_listing_fts_insert AFTER INSERT ON catalog_listing BEGIN
        INSERT INTO catalog_listing_fts(rowid, {FTS_COLUMNS}) VALUES ({FTS_VALUES});
    END""",
    f"""CREATE TRIGGER catalog_listing_fts_update AFTER UPDATE ON catalog_listing BEGIN
        DELETE FROM catalog_listing_fts WHERE rowid = old.id;
        INSERT INTO catalog_listing_fts(rowid, {FTS_COLUMNS}) VALUES ({FTS_VALUES});
    END""",
    """CREATE TRIGGER catalog_listing_fts_delete AFTER DELETE ON catalog_listing BEGIN
        DELETE FROM catalog_listing_fts WHERE rowid = old.id;
    END""",
    f"""INSERT INTO catalog_listing_fts(rowid, {FTS_COLUMNS})
        SELECT id, title_folded, produce_folded, description_folded FROM catalog_listing""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_listing_fts_delete",
    "DROP TRIGGER IF EXISTS catalog_listing_fts_update",
    "DROP TRIGGER IF EXISTS catalog_listing_fts_insert",
    "DROP TABLE IF EXISTS catalog_listing_fts",
]
POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX catalog_listing_search_trgm ON catalog_listing "
    "USING gin (search_document gin_trgm_ops)",
]
POSTGRESQL_BACKWARD = ["DROP INDEX IF EXISTS catalog_listing_search_trgm"]


def forward(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
