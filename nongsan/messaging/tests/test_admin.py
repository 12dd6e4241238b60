"""The outbox in the Django admin: readable, searchable, never editable."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nongsan.messaging.tests.factories import OutboundMessageFactory

pytestmark = pytest.mark.django_db

SMS_BACKEND = "nongsan.messaging.backends.sms.HttpSmsBackend"
CHANGELIST = "admin:messaging_outboundmessage_changelist"


def test_admin_search_finds_a_phone_however_it_is_written(superuser_client):
    wanted = OutboundMessageFactory.create(recipient="+84912345678")
    other = OutboundMessageFactory.create(recipient="+84987654321")

    response = superuser_client.get(reverse(CHANGELIST), {"q": "0912 345 678"})

    assert response.status_code == 200
    assert [message.pk for message in response.context["cl"].result_list] == [wanted.pk]
    assert other.pk not in [message.pk for message in response.context["cl"].result_list]


def test_admin_filters_by_channel_and_status(superuser_client):
    OutboundMessageFactory.create(channel="sms")
    email = OutboundMessageFactory.create(
        channel="email", recipient="ba@example.vn", status="failed", sent_at=None
    )

    response = superuser_client.get(
        reverse(CHANGELIST), {"channel__exact": "email", "status__exact": "failed"}
    )

    assert [message.pk for message in response.context["cl"].result_list] == [email.pk]


def test_admin_can_neither_add_change_nor_delete(superuser_client):
    message = OutboundMessageFactory.create(body="Mã: 482913")
    change_url = reverse("admin:messaging_outboundmessage_change", args=[message.pk])

    assert superuser_client.get(reverse("admin:messaging_outboundmessage_add")).status_code == 403
    assert superuser_client.post(change_url, {"body": "khác"}).status_code == 403
    delete_url = reverse("admin:messaging_outboundmessage_delete", args=[message.pk])
    assert superuser_client.post(delete_url, {"post": "yes"}).status_code == 403
    message.refresh_from_db()
    assert message.body == "Mã: 482913"
    view = superuser_client.get(change_url)
    assert view.status_code == 200
    assert "482913" in view.content.decode()


def test_admin_hides_the_body_of_a_message_sent_through_a_gateway(superuser_client):
    message = OutboundMessageFactory.create(
        recipient="+84912345678", body="Mã: 935172", backend=SMS_BACKEND
    )
    content = superuser_client.get(
        reverse("admin:messaging_outboundmessage_change", args=[message.pk])
    ).content.decode()
    assert "935172" not in content
    assert "+84912•••678" in content
