"""The nightly rebuild of the candidate table reads the sellers' certificates once per batch
of sources, not once per row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nongsan.producers.models import Certification, CertificationKind
from nongsan.trade import candidates
from nongsan.trade.candidates import candidates_rebuild
from nongsan.trade.models import SupplyCandidate
from nongsan.trade.tests.factories import harvest

pytestmark = pytest.mark.django_db


def _vietgap_harvest():
    announced = harvest()
    Certification.objects.create(
        kind=CertificationKind.VIETGAP,
        household_id=announced.household_id,
        province_id=announced.province_id,
        commune_id=announced.commune_id,
    )
    return announced


def _rebuild_queries() -> tuple[int, int]:
    """(all queries, certificate reads) of one rebuild."""
    with CaptureQueriesContext(connection) as captured:
        candidates_rebuild()
    sql = [query["sql"] for query in captured.captured_queries]
    return len(sql), sum(1 for text in sql if 'FROM "producers_certification"' in text)


def test_the_rebuild_reads_certificates_once_per_batch_not_per_row(admin_units):
    _vietgap_harvest()
    one = _rebuild_queries()
    for _ in range(4):
        _vietgap_harvest()
    assert _rebuild_queries() == one
    assert one[1] == 1
    assert SupplyCandidate.objects.count() == 5
    assert set(SupplyCandidate.objects.values_list("certification_mask", flat=True)) == {1}


def test_a_batch_of_sources_shares_one_certificate_query(admin_units, monkeypatch):
    monkeypatch.setattr(candidates, "REBUILD_BATCH", 2)
    for _ in range(5):
        _vietgap_harvest()
    assert _rebuild_queries()[1] == 3  # batches of two, two and one sources
    monkeypatch.setattr(candidates, "REBUILD_BATCH", 5)
    assert _rebuild_queries()[1] == 1
    assert SupplyCandidate.objects.filter(certification_mask=1).count() == 5
