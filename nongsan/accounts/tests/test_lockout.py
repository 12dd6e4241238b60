"""Login lockout (django-axes): per phone however written, per address, cool-off, the answer."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from nongsan.accounts.lockout import (
    lockout_clear,
    lockout_ends_at,
    lockout_message,
    lockout_username,
)
from nongsan.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-dai-123"  # noqa: S105 - the factory's test password
WRONG = "mat-khau-sai"
PHONE = "+84912345678"
SPELLINGS = ["0912 345 678", "+84912345678", "84912345678", "0912.345.678", "(091) 234-5678"]
RETRY = re.compile(r"thử lại lúc (\d\d):(\d\d) \(giờ Việt Nam\), sau (\d+) phút nữa")


@pytest.fixture
def farmer():
    return UserFactory.create(phone=PHONE)


def _login(username: str, password: str, *, ip: str = "203.0.113.10", **headers: Any):
    """authenticate() as a login page calls it: with the request, from the address ``ip``."""
    request = RequestFactory().post(
        "/tai-khoan/dang-nhap/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
        **headers,
    )
    user = authenticate(request=request, username=username, password=password)
    return user, request


def _fail(times: int, username: str = PHONE, *, ip: str = "203.0.113.10") -> None:
    for _ in range(times):
        user, _request = _login(username, WRONG, ip=ip)
        assert user is None


# -- per phone ------------------------------------------------------------------------------
def test_four_wrong_passwords_do_not_lock(farmer):
    _fail(4)

    user, request = _login(PHONE, PASSWORD)

    assert user == farmer
    assert not request.axes_locked_out


def test_five_wrong_passwords_lock_the_phone_whatever_its_spelling(farmer):
    # Each failure from its own address: only the phone ties them together.
    for number, spelling in enumerate(SPELLINGS):
        user, request = _login(spelling, WRONG, ip=f"198.51.100.{number + 1}")
        assert user is None
    assert request.axes_locked_out  # the fifth failure locks

    user, request = _login("0912345678", PASSWORD, ip="192.0.2.77")

    assert user is None
    assert request.axes_locked_out
    # One row per address, all counted against the one E.164 number.
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {PHONE}
    assert AccessAttempt.objects.count() == len(SPELLINGS)


def test_a_locked_phone_leaves_other_phones_alone(farmer):
    neighbour = UserFactory.create(phone="+84987654321")
    for number in range(5):
        _login(PHONE, WRONG, ip=f"198.51.100.{number + 1}")

    user, request = _login("0987 654 321", PASSWORD, ip="192.0.2.77")

    assert user == neighbour
    assert not request.axes_locked_out


def test_text_that_is_no_phone_number_still_counts_against_itself():
    for number in range(5):
        _login("  admin ", WRONG, ip=f"198.51.100.{number + 1}")

    _user, request = _login("admin", WRONG, ip="192.0.2.77")

    assert request.axes_locked_out


# -- per address ----------------------------------------------------------------------------
def test_five_failures_from_one_address_lock_that_address_for_every_phone(farmer):
    for number in range(5):
        _login(f"090{number}000000", WRONG, ip="203.0.113.99")

    locked, request = _login(PHONE, PASSWORD, ip="203.0.113.99")
    elsewhere, other_request = _login(PHONE, PASSWORD, ip="203.0.113.100")

    assert locked is None
    assert request.axes_locked_out
    assert elsewhere == farmer
    assert not other_request.axes_locked_out


def test_a_client_cannot_dodge_the_address_lock_by_writing_x_forwarded_for(farmer, settings):
    settings.AUDIT_TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for number in range(5):
        _login(
            f"090{number}000000",
            WRONG,
            ip=proxy,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.99",
        )

    user, request = _login(
        PHONE, PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.99"
    )

    assert user is None
    assert request.axes_locked_out
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.99"}


# -- success and cool-off -------------------------------------------------------------------
def test_a_successful_login_clears_the_failures(client, farmer):
    _fail(4, ip="127.0.0.1")  # the test client's address
    response = client.post(reverse("accounts:login"), {"username": PHONE, "password": PASSWORD})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    client.logout()

    _fail(4, ip="127.0.0.1")
    response = client.post(reverse("accounts:login"), {"username": PHONE, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(farmer.pk)


def _age_attempts(by: datetime.timedelta) -> None:
    """Move every recorded failure back in time, as if the clock had run on."""
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=attempt.attempt_time - by)


def test_the_lock_holds_during_the_cool_off_and_lifts_when_the_page_said(farmer):
    _fail(5)
    _age_attempts(datetime.timedelta(minutes=14))
    still_locked, request = _login(PHONE, PASSWORD)
    assert still_locked is None
    assert request.axes_locked_out
    # Trying while locked is not counted: it does not push the retry time back.
    assert AccessAttempt.objects.get().failures_since_start == 5

    _age_attempts(datetime.timedelta(minutes=1, seconds=1))
    user, request = _login(PHONE, PASSWORD)

    assert user == farmer
    assert not request.axes_locked_out


def test_lockout_ends_when_enough_failures_age_out_of_the_cool_off(farmer):
    _fail(4)
    _fail(1, ip="192.0.2.50")  # the fifth, from elsewhere
    four = AccessAttempt.objects.get(ip_address="203.0.113.10").attempt_time
    _user, request = _login(PHONE, PASSWORD, ip="192.0.2.51")

    ends_at = lockout_ends_at(request)

    # Once the first four are fifteen minutes old only one failure is left: the lock lifts
    # then, a little before fifteen minutes after the fifth.
    assert request.axes_locked_out
    assert ends_at == four + settings.AXES_COOLOFF_TIME


def test_lockout_ends_when_the_newest_failures_no_longer_reach_the_limit(farmer):
    now = timezone.now()
    # Three failures ten minutes ago from one address, two just now from another: together
    # they lock the phone until the older three are fifteen minutes old.
    AccessAttempt.objects.create(
        username=PHONE,
        ip_address="198.51.100.1",
        user_agent="a",
        failures_since_start=3,
        attempt_time=now,
    )
    AccessAttempt.objects.filter(ip_address="198.51.100.1").update(
        attempt_time=now - datetime.timedelta(minutes=10)
    )
    AccessAttempt.objects.create(
        username=PHONE, ip_address="198.51.100.2", user_agent="b", failures_since_start=2
    )
    _user, request = _login(PHONE, WRONG, ip="192.0.2.60")
    request_time = request.axes_attempt_time

    ends_at = lockout_ends_at(request, now=request_time)

    # The phone's newest rows: this request (1), two (2) — 3 < 5 — then the old three: 6.
    assert ends_at == now - datetime.timedelta(minutes=10) + settings.AXES_COOLOFF_TIME


# -- the message ----------------------------------------------------------------------------
def test_lockout_message_names_the_vietnam_time_and_the_minutes_left():
    now = datetime.datetime(2026, 3, 1, 3, 0, tzinfo=datetime.UTC)
    ends_at = now + datetime.timedelta(minutes=15)

    message = lockout_message(ends_at, now=now)

    assert "thử lại lúc 10:15 (giờ Việt Nam), sau 15 phút nữa" in message
    assert message.startswith("Đăng nhập đang tạm khoá")


def test_lockout_message_rounds_up_so_the_person_never_retries_too_early():
    now = datetime.datetime(2026, 3, 1, 16, 50, 10, tzinfo=datetime.UTC)
    ends_at = datetime.datetime(2026, 3, 1, 16, 59, 30, tzinfo=datetime.UTC)

    message = lockout_message(ends_at, now=now)

    # 23:59:30 in Vietnam: retry at 00:00, in 10 minutes (9 min 20 s rounded up).
    assert "lúc 00:00 (giờ Việt Nam), sau 10 phút nữa" in message


def test_admin_login_answers_the_fifth_failure_with_the_lockout_page(client, farmer):
    url = reverse("admin:login")
    for spelling in SPELLINGS[:4]:
        response = client.post(url, {"username": spelling, "password": WRONG})
        assert response.status_code == 200  # the form again, with its error

    response = client.post(url, {"username": SPELLINGS[4], "password": WRONG})

    assert response.status_code == 429
    html = response.content.decode()
    assert "Tạm khoá đăng nhập" in html
    assert '<html lang="vi">' in html
    match = RETRY.search(html)
    assert match is not None
    retry_at = (AccessAttempt.objects.get().attempt_time + settings.AXES_COOLOFF_TIME).astimezone(
        datetime.timezone(datetime.timedelta(hours=7))
    )
    rounded = retry_at.replace(second=0, microsecond=0) + datetime.timedelta(
        minutes=1 if retry_at.second or retry_at.microsecond else 0
    )
    assert match.group(1, 2) == (f"{rounded.hour:02d}", f"{rounded.minute:02d}")
    assert match.group(3) == "15"
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60


def test_the_login_page_answers_a_locked_phone_with_the_lockout_page(client, farmer):
    url = reverse("accounts:login")
    _fail(5)

    response = client.post(url, {"username": "0912 345 678", "password": PASSWORD})

    assert response.status_code == 429
    assert RETRY.search(response.content.decode())
    assert "_auth_user_id" not in client.session


def test_the_lockout_page_follows_the_visitors_english(client, farmer):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    _fail(5)

    response = client.post(reverse("admin:login"), {"username": PHONE, "password": PASSWORD})

    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert ">Home<" in html  # the page shell in English around the message


def test_an_api_client_gets_the_lockout_as_json(client, farmer):
    _fail(5)

    response = client.post(
        reverse("admin:login"),
        {"username": PHONE, "password": PASSWORD},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert RETRY.search(body["detail"])
    assert 14 * 60 < body["retry_after_seconds"] <= 15 * 60
    assert body["retry_at"].endswith("+07:00")
    assert response["Retry-After"] == str(body["retry_after_seconds"])


# -- helpers --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("credentials", "expected"),
    [
        ({"username": "0912 345 678"}, PHONE),
        ({"username": "(091) 234-5678"}, PHONE),
        ({"phone": "84912345678"}, PHONE),
        ({"username": "  không phải số  "}, "không phải số"),
        ({"username": "a\x00b"}, "ab"),
        ({"username": "x" * 400}, "x" * 255),
        ({"username": ""}, ""),
        ({}, None),
    ],
)
def test_lockout_username_folds_phone_spellings_and_keeps_other_text(credentials, expected):
    request = RequestFactory().get("/")

    assert lockout_username(request, credentials) == expected


def test_lockout_username_reads_the_posted_form_without_credentials():
    request = RequestFactory().post("/", {"username": "0912345678"})

    assert lockout_username(request) == PHONE


def test_an_absurdly_long_login_is_counted_without_a_database_error():
    _user, request = _login("9" * 300 + "x", WRONG)

    assert AccessAttempt.objects.get().username == ("9" * 300 + "x")[:255]
    assert not request.axes_locked_out


def test_lockout_clear_forgets_a_phone_whatever_its_spelling(farmer):
    _fail(5)

    removed = lockout_clear(phone="0912 345 678")
    user, _request = _login(PHONE, PASSWORD, ip="192.0.2.1")

    assert removed == 1
    assert user == farmer


def test_authenticate_without_a_request_is_neither_checked_nor_counted(farmer):
    _fail(5)

    # The shell, a management command or the test client's login(): no address to lock.
    assert authenticate(username=PHONE, password=PASSWORD) == farmer
    assert authenticate(username=PHONE, password=WRONG) is None
    assert AccessAttempt.objects.get().failures_since_start == 5
