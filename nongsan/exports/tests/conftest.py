"""Exports tests: files in a temporary folder, and a document kind the tests control."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from nongsan.exports.registry import register, unregister

KIND = "test_table"
ALLOWED: set[int] = set()
DOCUMENT: dict[str, Any] = {}


def table_document(*, user: Any, params: dict[str, Any]) -> dict[str, Any]:
    if DOCUMENT.get("raise"):
        raise RuntimeError("builder broke")
    return DOCUMENT["value"]


def table_permission(user: Any, params: dict[str, Any]) -> bool:
    if "rows" in params and not isinstance(params["rows"], int):
        raise ValidationError({"params": "Số dòng phải là một số."})
    return user.pk in ALLOWED


def sample_document() -> dict[str, Any]:
    return {
        "title": "Tiến độ Kế hoạch 1034 — Tỉnh Lào Cai",
        "subtitle": "Tháng 03/2026",
        "generated_at": datetime.datetime(2026, 4, 2, 9, 0, tzinfo=datetime.UTC).isoformat(),
        "sections": [
            {
                "heading": "Số liệu",
                "text": "Số liệu do nền tảng đo.",
                "columns": ["Chỉ tiêu", "Giá trị", "Mục tiêu"],
                "rows": [
                    ["Hộ đã đăng ký", 1200, 2000],
                    ["Giá trị hàng đã giao (đồng)", 45_500_000, None],
                    ["Tỉ lệ đơn chưa xác nhận", 12.5, None],
                    ['=HYPERLINK("http://x")', -3, None],
                ],
            },
            {
                "heading": "Khó khăn, vướng mắc",
                "text": "Phí vận chuyển cao.\nThiếu kho lạnh.",
                "columns": [],
                "rows": [],
            },
        ],
    }


@pytest.fixture(autouse=True)
def export_settings(settings: Any, tmp_path: Any) -> Iterator[None]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    register(KIND, table_document, table_permission)
    ALLOWED.clear()
    DOCUMENT.clear()
    DOCUMENT["value"] = sample_document()
    yield
    unregister(KIND)
