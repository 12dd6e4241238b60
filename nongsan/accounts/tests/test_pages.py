"""Account pages through the HTTP layer: sign up, confirm, log in, reset, profile, phone."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from nongsan.accounts.models import Role, RoleGrant, User
from nongsan.accounts.tests.factories import UserFactory
from nongsan.messaging.selectors import latest_message_for

pytestmark = pytest.mark.django_db


def _code_for(phone: str) -> str:
    message = latest_message_for(phone)
    assert message is not None
    match = re.search(r"\b(\d{6})\b", message.body)
    assert match is not None, message.body
    return match.group(1)


SIGN_UP = {
    "full_name": "Nguyễn Thị Hoa",
    "phone": "0912 345 678",
    "password": "vai-thieu-luc-ngan",
    "password_again": "vai-thieu-luc-ngan",
    "role": Role.HOUSEHOLD_SELLER,
}


def test_sign_up_confirm_and_land_on_the_profile(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:sign-up"), SIGN_UP)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:confirm")
    user = User.objects.get(phone="+84912345678")
    assert not user.is_active
    assert RoleGrant.objects.filter(user=user, role=Role.HOUSEHOLD_SELLER).exists()
    page = client.get(reverse("accounts:confirm"))
    assert "+84912345678" in page.content.decode()
    response = client.post(reverse("accounts:confirm"), {"code": _code_for("+84912345678")})
    assert response["Location"] == reverse("accounts:profile")
    user.refresh_from_db()
    assert user.is_active
    assert user.phone_confirmed_at is not None
    profile = client.get(reverse("accounts:profile"))
    assert "Nguyễn Thị Hoa" in profile.content.decode()


def test_sign_up_errors_are_in_vietnamese_and_nothing_is_written(client):
    bad = {**SIGN_UP, "phone": "12345", "password_again": "khac"}
    response = client.post(reverse("accounts:sign-up"), bad)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hai mật khẩu không giống nhau" in body
    assert "Số điện thoại" in body
    assert not User.objects.exists()


def test_sign_up_refuses_a_weak_password_on_its_field(client):
    weak = {**SIGN_UP, "password": "12345678", "password_again": "12345678"}
    response = client.post(reverse("accounts:sign-up"), weak)
    assert response.status_code == 200
    assert "has-error" in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_with_a_confirmed_phone_is_refused(client):
    UserFactory.create(phone="+84912345678")
    response = client.post(reverse("accounts:sign-up"), SIGN_UP)
    assert "đã có tài khoản" in response.content.decode()


def test_sign_up_cannot_claim_an_officer_role(client):
    response = client.post(reverse("accounts:sign-up"), {**SIGN_UP, "role": Role.MINISTRY})
    assert response.status_code == 200
    assert not User.objects.exists()


def test_a_wrong_code_keeps_the_account_inactive(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:sign-up"), SIGN_UP)
    code = _code_for("+84912345678")
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = client.post(reverse("accounts:confirm"), {"code": wrong})
    assert "Mã không đúng" in response.content.decode()
    assert not User.objects.get().is_active


def test_confirm_without_a_pending_sign_up_sends_back(client):
    response = client.get(reverse("accounts:confirm"))
    assert response["Location"] == reverse("accounts:sign-up")


def test_log_in_with_the_phone_as_written_and_log_out(client):
    UserFactory.create(phone="+84912345678", preferred_language="en")
    response = client.post(
        reverse("accounts:login"), {"username": "0912.345.678", "password": "mat-khau-dai-123"}
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_a_failed_log_in_says_so_in_vietnamese(client):
    UserFactory.create(phone="+84912345678")
    response = client.post(
        reverse("accounts:login"), {"username": "0912345678", "password": "sai-mat-khau"}
    )
    assert response.status_code == 200
    assert "Số điện thoại hoặc mật khẩu không đúng" in response.content.decode()


def test_password_reset_does_not_reveal_whether_the_phone_has_an_account(client):
    first = client.post(reverse("accounts:password-reset"), {"phone": "0987654321"}, follow=True)
    UserFactory.create(phone="+84912345678")
    second = client.post(reverse("accounts:password-reset"), {"phone": "0912345678"}, follow=True)
    assert "Nếu số này có tài khoản" in first.content.decode()
    assert "Nếu số này có tài khoản" in second.content.decode()
    assert latest_message_for("+84987654321") is None


def test_password_reset_with_the_code(client, django_capture_on_commit_callbacks):
    UserFactory.create(phone="+84912345678")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password-reset"), {"phone": "0912345678"})
    response = client.post(
        reverse("accounts:password-reset-complete"),
        {"code": _code_for("+84912345678"), "new_password": "mat-khau-moi-dai-hon"},
    )
    assert response["Location"] == reverse("accounts:login")
    assert User.objects.get().check_password("mat-khau-moi-dai-hon")


def test_profile_update_sets_the_language(client):
    user = UserFactory.create()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "  Lò Văn   Sơn ", "email": "son@example.vn", "preferred_language": "en"},
    )
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    user.refresh_from_db()
    assert user.full_name == "Lò Văn Sơn"


def test_profile_rejects_a_bad_email(client):
    user = UserFactory.create()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "Lò Văn Sơn", "email": "khong-phai-email", "preferred_language": "vi"},
    )
    assert response.status_code == 200
    assert "has-error" in response.content.decode()


def test_phone_change_needs_a_code_sent_to_the_new_number(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory.create(phone="+84912345678")
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:phone-change"), {"new_phone": "0987 654 321"})
    assert response["Location"] == reverse("accounts:phone-change")
    user.refresh_from_db()
    assert user.phone == "+84912345678"
    client.post(reverse("accounts:phone-change"), {"code": _code_for("+84987654321")})
    user.refresh_from_db()
    assert user.phone == "+84987654321"


def test_phone_change_to_a_taken_number_is_refused(client):
    UserFactory.create(phone="+84987654321")
    user = UserFactory.create(phone="+84912345678")
    client.force_login(user)
    response = client.post(reverse("accounts:phone-change"), {"new_phone": "0987654321"})
    assert "đã có tài khoản" in response.content.decode()


@pytest.mark.parametrize("name", ["accounts:profile", "accounts:phone-change", "accounts:grants"])
def test_private_pages_send_anonymous_visitors_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
