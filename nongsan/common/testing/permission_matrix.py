"""The permission matrix: each scoped model says how to make a row in a commune and how users
see and change it; one test checks every role against every model.

An app adds its models in ``nongsan/<app>/tests/matrix.py`` with :func:`register`; the matrix
test in ``nongsan/accounts/tests/test_permission_matrix.py`` imports every such module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class ScopedModel:
    """How the matrix exercises one scoped model."""

    label: str
    # Make a row that belongs to the given current commune.
    create_in: Callable[[Any], Model]
    # The querysets pages and API start from.
    visible: Callable[[Any], QuerySet[Any]]
    editable: Callable[[Any], QuerySet[Any]] | None = None
    # Roles that, granted on the row's own area, must see it.
    seen_by: frozenset[str] = field(default_factory=frozenset)
    # URLs that must answer 404 to someone of another area (GET for pages, POST for writes).
    page_urls: Callable[[Model], list[str]] = lambda row: []
    write_urls: Callable[[Model], list[str]] = lambda row: []
    api_urls: Callable[[Model], list[str]] = lambda row: []


REGISTRY: dict[str, ScopedModel] = {}


def register(model: ScopedModel) -> ScopedModel:
    REGISTRY[model.label] = model
    return model
