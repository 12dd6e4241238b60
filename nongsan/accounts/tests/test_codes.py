"""One-time codes: sent through the message sender, expiring, single-use, rate-limited."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from nongsan.accounts.codes import CODE_LIFETIME, MAX_FAILED_ATTEMPTS, code_request, code_verify
from nongsan.accounts.models import OneTimeCode
from nongsan.messaging.selectors import latest_message_for

pytestmark = pytest.mark.django_db

PHONE = "+84912345678"
PURPOSE = OneTimeCode.Purpose.PASSWORD_RESET


def _sent_code(phone: str = PHONE) -> str:
    message = latest_message_for(phone)
    assert message is not None
    match = re.search(r"\b(\d{6})\b", message.body)
    assert match, message.body
    return match.group(1)


def _request(now=None, phone: str = PHONE, ip: str = "10.0.0.1", **kwargs):
    return code_request(phone=phone, purpose=PURPOSE, ip=ip, now=now, **kwargs)


def test_a_code_is_sent_and_only_its_hash_is_stored(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        stored = _request()
    code = _sent_code()
    assert code not in stored.code_hash
    message = latest_message_for(PHONE)
    assert message is not None
    assert "Không đưa mã này cho bất kỳ ai" in message.body


def test_the_message_follows_the_chosen_language(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _request(language="en")
    message = latest_message_for(PHONE)
    assert message is not None
    assert message.language == "en"
    assert "Nông Sàn" in message.body
    assert "Mã đặt lại" not in message.body


def test_a_code_works_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _request()
    code = _sent_code()
    assert code_verify(phone=PHONE, purpose=PURPOSE, code=code).used_at is not None
    with pytest.raises(ValidationError, match="đã được dùng"):
        code_verify(phone=PHONE, purpose=PURPOSE, code=code)


def test_a_code_expires(django_capture_on_commit_callbacks):
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        _request(now=start)
    code = _sent_code()
    later = start + CODE_LIFETIME + datetime.timedelta(seconds=1)
    with pytest.raises(ValidationError, match="hết hạn"):
        code_verify(phone=PHONE, purpose=PURPOSE, code=code, now=later)


def test_a_new_code_replaces_the_previous_one(django_capture_on_commit_callbacks):
    start = timezone.now()
    again = start + datetime.timedelta(minutes=2)
    first = _request(now=start)
    with django_capture_on_commit_callbacks(execute=True):
        _request(now=again)
    first.refresh_from_db()
    assert first.expires_at == again
    code = _sent_code()
    assert code_verify(phone=PHONE, purpose=PURPOSE, code=code, now=again)


def test_wrong_guesses_are_counted_and_then_the_code_is_void(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _request()
    code = _sent_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for attempt in range(1, MAX_FAILED_ATTEMPTS):
        with pytest.raises(ValidationError, match=f"còn {MAX_FAILED_ATTEMPTS - attempt} lần"):
            code_verify(phone=PHONE, purpose=PURPOSE, code=wrong)
    with pytest.raises(ValidationError, match="quá nhiều lần"):
        code_verify(phone=PHONE, purpose=PURPOSE, code=wrong)
    with pytest.raises(ValidationError, match="hết hạn"):
        code_verify(phone=PHONE, purpose=PURPOSE, code=code)
    assert OneTimeCode.objects.get().failed_attempts == MAX_FAILED_ATTEMPTS


@pytest.mark.parametrize("text", ["", "12345", "1234567", "abcdef", "12 34 5x", "١٢٣٤٥٦"])
def test_malformed_codes_get_a_clear_message(text):
    with pytest.raises(ValidationError, match="6 chữ số"):
        code_verify(phone=PHONE, purpose=PURPOSE, code=text)


def test_a_code_typed_with_spaces_or_full_width_digits_is_accepted(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        _request()
    code = _sent_code()
    full_width = "".join(chr(ord(digit) + 0xFEE0) for digit in code)
    assert code_verify(phone=PHONE, purpose=PURPOSE, code=f" {full_width[:3]} {full_width[3:]} ")


def test_no_code_requested_yet():
    with pytest.raises(ValidationError, match="Chưa có mã"):
        code_verify(phone=PHONE, purpose=PURPOSE, code="123456")


def test_requests_are_limited_per_phone():
    start = timezone.now()
    _request(now=start)
    with pytest.raises(ValidationError, match="thử lại sau 1 phút"):
        _request(now=start + datetime.timedelta(seconds=30))
    for minute in (2, 3, 4, 5):  # five requests in the hour, each a minute or more apart
        _request(now=start + datetime.timedelta(minutes=minute))
    with pytest.raises(ValidationError, match="quá nhiều lần"):
        _request(now=start + datetime.timedelta(minutes=10))
    _request(now=start + datetime.timedelta(hours=1, minutes=5))


def test_requests_are_limited_per_network_address():
    start = timezone.now()
    for number in range(20):
        _request(now=start, phone=f"+8491200{number:04d}", ip="10.9.9.9")
    with pytest.raises(ValidationError, match="mạng này"):
        _request(now=start, phone="+84913000000", ip="10.9.9.9")
    _request(now=start, phone="+84913000000", ip="10.9.9.10")
