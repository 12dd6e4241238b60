"""manage.py rebuild_search_rows: rewrite the search rows of every listing (after rows were
written straight to the tables, or to repair them); safe to run at any time."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from nongsan.catalog.search_rows import search_rows_rebuild


class Command(BaseCommand):
    help = "Dựng lại bảng tìm kiếm của mọi tin đăng. / Rebuild the search rows of every listing."

    def handle(self, *args: Any, **options: Any) -> None:
        count = search_rows_rebuild()
        self.stdout.write(f"Dòng tìm kiếm / search rows: {count}")
