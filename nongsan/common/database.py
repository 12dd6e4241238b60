"""Database helpers that make SQLite and PostgreSQL behave alike for Vietnamese text.

Both databases get a collation named ``vi``: on SQLite it is registered on every connection
from :func:`nongsan.common.text.vi_compare`; on PostgreSQL a migration of this app creates it
from ICU (``vi-x-icu``), whose order the Python key matches.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Expression, F
from django.db.models.functions import Collate

from nongsan.common.text import fold, vi_compare

VI_COLLATION = "vi"


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Give each new SQLite connection the ``vi`` collation and a ``vi_fold()`` function."""
    if connection.vendor != "sqlite":
        return
    raw = connection.connection
    raw.create_collation(VI_COLLATION, vi_compare)
    raw.create_function(
        "vi_fold", 1, lambda value: None if value is None else fold(value), deterministic=True
    )


def vi_ordered(field: str | Expression, descending: bool = False) -> Any:
    """An ``order_by`` term that sorts ``field`` in Vietnamese alphabetical order."""
    expression = Collate(F(field) if isinstance(field, str) else field, VI_COLLATION)
    return expression.desc() if descending else expression.asc()
