"""The documents that can be exported, by kind: each app registers a builder and a check.

``register(kind, builder, permission)``:

- ``builder(*, user, params: dict) -> dict`` returns the document:
  ``{"title", "subtitle", "generated_at" (ISO text), "sections": [{"heading", "text",
  "columns": [str], "rows": [[str | int | float | None]]}]}``.
- ``permission(user, params) -> bool`` says whether ``user`` may have it; it raises
  ``ValidationError`` (a Vietnamese message) when the parameters themselves are malformed.

Builders run in the background task with the requester as ``user``, and are checked again
there, so a right withdrawn in between is respected.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Builder = Callable[..., dict[str, Any]]
Permission = Callable[[Any, dict[str, Any]], bool]
KIND_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass(frozen=True)
class ExportKind:
    kind: str
    builder: Builder
    permission: Permission


_REGISTRY: dict[str, ExportKind] = {}


def register(kind: str, builder: Builder, permission: Permission) -> ExportKind:
    if not KIND_PATTERN.fullmatch(kind):
        raise ValueError(f"export kind must be a short lower-case slug: {kind!r}")
    existing = _REGISTRY.get(kind)
    if existing is not None and (existing.builder, existing.permission) != (builder, permission):
        raise ValueError(f"export kind {kind!r} is already registered")
    entry = ExportKind(kind=kind, builder=builder, permission=permission)
    _REGISTRY[kind] = entry
    return entry


def unregister(kind: str) -> None:
    """For tests that register a kind of their own."""
    _REGISTRY.pop(kind, None)


def export_kind(kind: str) -> ExportKind | None:
    return _REGISTRY.get(kind)


def export_kinds() -> list[str]:
    return sorted(_REGISTRY)
