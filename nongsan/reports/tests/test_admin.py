"""The admin's list of report events reads each event's report and person with the list, not
one query per row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nongsan.accounts.tests.factories import UserFactory
from nongsan.reports.tests.factories import province, submitted

pytestmark = pytest.mark.django_db
EVENTS = reverse("admin:reports_reportevent_changelist")


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(EVENTS).status_code == 200
    return len(captured)


def test_the_report_event_list_costs_the_same_queries_for_more_events(client):
    client.force_login(UserFactory.create(is_staff=True, is_superuser=True))
    submitted(province())
    few = _queries(client)
    for _ in range(4):
        submitted(province())
    assert _queries(client) == few
