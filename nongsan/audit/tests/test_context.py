"""The request's user, IP, user agent and id reach every entry written while it is served."""

from __future__ import annotations

import threading

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import path

from nongsan.accounts.models import User
from nongsan.accounts.tests.factories import UserFactory
from nongsan.audit.context import AuditContext, acting, audit_context, current_context
from nongsan.audit.middleware import AuditContextMiddleware, client_ip
from nongsan.audit.models import AuditEntry
from nongsan.audit.services import audit_record

MIDDLEWARE = "nongsan.audit.middleware.AuditContextMiddleware"


def write_two_entries(request: HttpRequest) -> HttpResponse:
    """A stand-in for a page that calls two write services."""
    audit_record(action="test.first")
    audit_record(action="test.second")
    return HttpResponse("ok")


def write_nothing(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def act_for_seller(request: HttpRequest) -> HttpResponse:
    """A stand-in for an assistant's page that writes for the household they help."""
    seller = User.objects.get(pk=request.GET["seller"])
    with acting(on_behalf_of=seller):
        audit_record(action="catalog.listing_create")
    return HttpResponse("ok")


urlpatterns = [
    path("write/", write_two_entries),
    path("nothing/", write_nothing),
    path("act-for/", act_for_seller),
]


@pytest.fixture
def audited_requests(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, MIDDLEWARE]
    settings.ROOT_URLCONF = __name__
    return settings


@pytest.mark.django_db
def test_entries_written_during_a_request_carry_its_user_ip_agent_and_id(client, audited_requests):
    user = UserFactory.create()
    client.force_login(user)

    response = client.get(
        "/write/", REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Zalo/23.1 Android 13"
    )

    first, second = AuditEntry.objects.order_by("id")
    assert (first.actor, first.ip, first.user_agent) == (
        user,
        "203.0.113.7",
        "Zalo/23.1 Android 13",
    )
    assert first.request_id
    assert first.request_id == second.request_id
    assert response["X-Request-ID"] == first.request_id


@pytest.mark.django_db
def test_each_request_gets_its_own_id(client, audited_requests):
    client.get("/write/")
    client.get("/write/")

    assert AuditEntry.objects.values("request_id").distinct().count() == 2


@pytest.mark.django_db
def test_an_anonymous_request_is_recorded_without_an_actor(client, audited_requests):
    client.get("/write/", REMOTE_ADDR="198.51.100.1")

    entry = AuditEntry.objects.first()
    assert entry is not None
    assert entry.actor is None
    assert entry.ip == "198.51.100.1"


@pytest.mark.django_db
def test_a_long_user_agent_is_trimmed_and_control_characters_dropped(client, audited_requests):
    client.get("/write/", HTTP_USER_AGENT="Mozilla\x00/5.0 " + "x" * 1000)

    entry = AuditEntry.objects.first()
    assert entry is not None
    assert len(entry.user_agent) == 300
    assert entry.user_agent.startswith("Mozilla/5.0 x")


def test_the_context_ends_with_the_request(rf: RequestFactory):
    middleware = AuditContextMiddleware(write_nothing)
    middleware(rf.get("/", REMOTE_ADDR="203.0.113.9"))

    assert current_context() == AuditContext()


def test_the_context_is_restored_when_the_view_fails(rf: RequestFactory):
    def failing(request: HttpRequest) -> HttpResponse:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        AuditContextMiddleware(failing)(rf.get("/"))
    assert current_context() == AuditContext()


def test_x_forwarded_for_is_ignored_unless_proxies_are_trusted(rf: RequestFactory, settings):
    settings.AUDIT_TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")

    assert client_ip(request) == "10.0.0.2"


def test_with_trusted_proxies_the_address_they_saw_is_taken(rf: RequestFactory, settings):
    settings.AUDIT_TRUSTED_PROXY_COUNT = 1
    # The client wrote "1.2.3.4" itself; our one proxy appended the address it saw.
    spoofed = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
    assert client_ip(spoofed) == "203.0.113.5"

    settings.AUDIT_TRUSTED_PROXY_COUNT = 2
    two_proxies = rf.get(
        "/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="1.2.3.4, 2001:db8::1, 10.0.0.2"
    )
    assert client_ip(two_proxies) == "2001:db8::1"


def test_a_short_or_malformed_forwarded_header_falls_back_safely(rf: RequestFactory, settings):
    settings.AUDIT_TRUSTED_PROXY_COUNT = 2
    short = rf.get("/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client_ip(short) == "10.0.0.3"

    settings.AUDIT_TRUSTED_PROXY_COUNT = 1
    garbage = rf.get("/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="not-an-address")
    assert client_ip(garbage) is None
    assert client_ip(rf.get("/", REMOTE_ADDR="")) is None


def test_acting_sets_the_actor_and_nested_blocks_restore_it():
    assistant, seller, officer = object(), object(), object()

    with acting(actor=assistant, on_behalf_of=seller):
        assert current_context().actor is assistant
        with acting(actor=officer):
            assert current_context().current_actor() is officer
            # Who is acted for carries into the inner block unless replaced.
            assert current_context().on_behalf_of is seller
        assert current_context().current_actor() is assistant
        with acting(on_behalf_of_label="Hộ ông Nguyễn Văn Ba"):
            assert current_context().on_behalf_of is None
            assert current_context().on_behalf_of_label == "Hộ ông Nguyễn Văn Ba"
            assert current_context().actor is assistant
        assert current_context().on_behalf_of is seller
    assert current_context() == AuditContext()


def test_acting_keeps_the_request_details():
    request_context = AuditContext(ip="203.0.113.1", user_agent="UA", request_id="abc")
    with audit_context(request_context), acting(actor="someone"):
        context = current_context()
        assert (context.ip, context.user_agent, context.request_id) == ("203.0.113.1", "UA", "abc")


def test_acting_is_restored_after_an_exception():
    with pytest.raises(ValueError, match="stop"), acting(actor="someone"):
        raise ValueError("stop")
    assert current_context().actor is None


def test_threads_do_not_share_a_context():
    seen: list[object] = []
    with acting(actor="main thread"):
        worker = threading.Thread(target=lambda: seen.append(current_context().actor))
        worker.start()
        worker.join()
    assert seen == [None]


@pytest.mark.django_db
def test_acting_inside_a_request_records_on_behalf_of(client, audited_requests):
    assistant, seller = (
        UserFactory.create(full_name="Trần Thị Hỗ Trợ"),
        UserFactory.create(full_name="Lò Văn Bán"),
    )
    client.force_login(assistant)

    client.get("/act-for/", {"seller": seller.pk}, REMOTE_ADDR="203.0.113.8")

    entry = AuditEntry.objects.get()
    assert entry.actor == assistant
    assert entry.on_behalf_of == seller
    assert entry.on_behalf_of_label == "Lò Văn Bán"
    assert entry.ip == "203.0.113.8"
