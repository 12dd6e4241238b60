"""A message whose on-commit dispatch was lost is sent by the periodic sweep, once."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.db import connection
from django.utils import timezone

from nongsan.common.periodic import FREQUENT, PERIODIC_TASKS
from nongsan.messaging import services
from nongsan.messaging.models import OutboundMessage, Status
from nongsan.messaging.services import dispatch_stale, message_send
from nongsan.messaging.tests.factories import OutboundMessageFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 7, 1, 3, 0, tzinfo=datetime.UTC)


def _queued(minutes_ago: int) -> OutboundMessage:
    return OutboundMessageFactory.create(
        status=Status.QUEUED,
        attempts=0,
        sent_at=None,
        created_at=NOW - datetime.timedelta(minutes=minutes_ago),
    )


def test_a_message_whose_on_commit_dispatch_failed_is_sent_by_the_sweep(
    monkeypatch, django_capture_on_commit_callbacks
):
    def lost(message_id: int) -> None:
        raise ConnectionError("worker died before sending")

    with monkeypatch.context() as patched:
        patched.setattr(services, "dispatch", lost)
        with django_capture_on_commit_callbacks(execute=True):
            message = message_send(
                channel="sms", recipient="0912 345 678", body="Mã: 123456", purpose="sign_up_code"
            )
    assert OutboundMessage.objects.get(pk=message.pk).status == Status.QUEUED
    assert dispatch_stale(now=timezone.now()) == 0  # not yet five minutes
    later = timezone.now() + datetime.timedelta(minutes=6)
    assert dispatch_stale(now=later) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)
    assert dispatch_stale(now=later) == 0  # sent once, never again


def test_the_sweep_takes_only_old_queued_messages_oldest_first_in_batches():
    oldest, older, fresh = _queued(30), _queued(6), _queued(4)
    sent = OutboundMessageFactory.create(created_at=NOW - datetime.timedelta(hours=1))
    assert dispatch_stale(now=NOW, batch_size=1) == 1
    statuses = dict(OutboundMessage.objects.values_list("pk", "status"))
    assert statuses[oldest.pk] == Status.SENT
    assert statuses[older.pk] == Status.QUEUED
    assert dispatch_stale(now=NOW) == 1
    statuses = dict(OutboundMessage.objects.values_list("pk", "status"))
    assert statuses[older.pk] == Status.SENT
    assert statuses[fresh.pk] == Status.QUEUED
    assert OutboundMessage.objects.get(pk=sent.pk).attempts == 1


def test_a_batch_is_five_hundred(monkeypatch):
    assert services.STALE_BATCH_SIZE == 500
    assert datetime.timedelta(minutes=5) == services.STALE_AFTER


def test_one_message_failing_does_not_hold_back_the_rest(monkeypatch, caplog):
    first, second = _queued(10), _queued(9)
    real = services.dispatch

    def flaky(message_id: int):
        if message_id == first.pk:
            raise ConnectionError("database went away")
        return real(message_id)

    monkeypatch.setattr(services, "dispatch", flaky)
    with caplog.at_level(logging.ERROR):
        assert dispatch_stale(now=NOW) == 1
    assert OutboundMessage.objects.get(pk=second.pk).status == Status.SENT
    assert "database went away" in caplog.text


def test_the_sweep_runs_every_few_minutes_as_a_task():
    assert "nongsan.messaging.tasks.messages_dispatch_stale_task" in PERIODIC_TASKS[FREQUENT]
    from nongsan.messaging.tasks import messages_dispatch_stale_task

    _queued(60 * 24 * 365)  # long ago
    assert messages_dispatch_stale_task.enqueue().return_value == 1


def test_queued_messages_have_their_own_partial_index():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, OutboundMessage._meta.db_table
        )
    assert constraints["messaging_queued_created"]["columns"] == ["created_at"]
    index = next(i for i in OutboundMessage._meta.indexes if i.name == "messaging_queued_created")
    assert index.condition is not None
