"""Two roll-up rebuilds at once, with real threads on PostgreSQL: the second waits for the
first and replaces its rows, so no figure counts twice.

SQLite lets one writer at a time, so only PostgreSQL, where both transactions really run side
by side, can show that the table lock is what keeps the figures right.
"""

from __future__ import annotations

import datetime
import threading
import time
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from nongsan.programme import crosswalk, rollup
from nongsan.programme.models import CrosswalkWeight, Fact
from nongsan.programme.selectors import unit_figures
from nongsan.programme.tests import factories as make

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
TODAY = datetime.date(2026, 5, 15)
D = datetime.date


def _two_rebuilds() -> list[BaseException]:
    """Run two rebuilds in two threads; answer what they raised."""
    failures: list[BaseException] = []

    def worker() -> None:
        try:
            rollup.rollup_rebuild(today=TODAY)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return failures


def test_two_rebuilds_at_once_do_not_double_the_figures(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are tested on PostgreSQL")
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    w = make.world()
    seller = make.household(w.commune_a, D(2026, 1, 10))
    make.order(seller, D(2026, 2, 20))
    make.order(seller, D(2026, 3, 2))
    rows_of_one = rollup.rollup_rebuild(today=TODAY).rows

    # Both compute their rows, then enter the swap together; the write is slowed so the
    # second swap begins while the first is still open.
    start = threading.Barrier(2)
    compute, write = rollup.rollup_rows, rollup._write

    def rows_then_wait(**kwargs: Any) -> list[dict[str, Any]]:
        rows = compute(**kwargs)
        start.wait(timeout=30)
        return rows

    def slow_write(rows: list[dict[str, Any]]) -> None:
        time.sleep(0.5)
        write(rows)

    monkeypatch.setattr(rollup, "rollup_rows", rows_then_wait)
    monkeypatch.setattr(rollup, "_write", slow_write)
    assert _two_rebuilds() == []
    assert Fact.objects.count() == rows_of_one
    figures = unit_figures(unit=w.province, start=D(2026, 1, 1), end=D(2026, 3, 31))
    assert {row["code"]: row["value"] for row in figures}["orders"] == 2


def test_two_rebuilds_at_once_swap_the_crosswalk_weights_in_turn(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are tested on PostgreSQL")
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    make.world()
    weights_of_one = crosswalk.weights_rebuild()
    # Both compute their weights, then swap them together, the insert slowed so the second
    # swap begins while the first is still open.
    start = threading.Barrier(2)
    compute, insert = crosswalk.weights_compute, crosswalk.insert_values

    def weights_then_wait() -> list[dict[str, Any]]:
        rows = compute()
        start.wait(timeout=30)
        return rows

    def slow_insert(model: Any, rows: list[dict[str, Any]]) -> None:
        time.sleep(0.5)
        insert(model, rows)

    monkeypatch.setattr(crosswalk, "weights_compute", weights_then_wait)
    monkeypatch.setattr(crosswalk, "insert_values", slow_insert)
    assert _two_rebuilds() == []
    assert CrosswalkWeight.objects.count() == weights_of_one
