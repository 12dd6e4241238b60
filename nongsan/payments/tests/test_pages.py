"""The reconciliation page is for staff only."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from nongsan.payments.services import bank_notification_record
from nongsan.producers.tests.factories import make_user, staff_user

pytestmark = pytest.mark.django_db


def test_staff_see_notices_that_credited_nothing(client):
    bank_notification_record(
        notification_id="GD-77",
        amount_vnd=99000,
        description="khong ro",
        sent_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
        body={},
    )
    client.force_login(staff_user())
    page = client.get(reverse("payments:reconciliation")).content.decode()
    assert "GD-77" in page
    assert "Không tìm thấy mã đơn" in page


def test_others_may_not_see_the_reconciliation_page(client):
    client.force_login(make_user())
    assert client.get(reverse("payments:reconciliation")).status_code == 403
