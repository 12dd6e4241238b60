"""Concurrent reports of one series against PostgreSQL, with real threads."""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import pytest
from django.db import connection

from nongsan.audit.services import AuditBatch
from nongsan.catalog.tests.factories import lychee
from nongsan.geo.loading import load_units
from nongsan.prices.models import DailyPriceStatistic, PriceReport
from nongsan.prices.tests.factories import DAY, price_report, trader
from nongsan.producers.tests.factories import current_commune, province_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_reports_of_one_series_at_once_both_count(monkeypatch: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are tested on PostgreSQL")
    load_units()
    produce = lychee()
    province = province_of(current_commune("24"))
    people = [trader(), trader()]
    # Each writer waits here (after inserting its report, before the statistics) until the
    # other arrives, or for a few seconds when the other cannot arrive because it waits for
    # the series' lock: without the lock both compute the day from their own report only.
    meet = threading.Barrier(2)
    write = AuditBatch.write

    def write_then_meet(self: AuditBatch) -> None:
        write(self)
        with contextlib.suppress(threading.BrokenBarrierError):
            meet.wait(timeout=3)

    monkeypatch.setattr(AuditBatch, "write", write_then_meet)
    errors: list[BaseException] = []

    def report(person: Any, price: int) -> None:
        try:
            price_report(price, by=person, produce_type=produce, province=province)
        except BaseException as error:  # noqa: BLE001 - the test reports what went wrong
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=report, args=(person, price))
        for person, price in zip(people, (40000, 44000), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert PriceReport.objects.count() == 2
    statistic = DailyPriceStatistic.objects.get(day=DAY)
    assert (statistic.report_count, statistic.mean_vnd) == (2, 42000)
