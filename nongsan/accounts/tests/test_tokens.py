"""API tokens: the services, authentication through the API, and the pages."""

from __future__ import annotations

import datetime
import hashlib
import io
import re
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from django.utils import timezone
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient

from config.urls import urlpatterns as project_urlpatterns
from nongsan.accounts import tokens
from nongsan.accounts.models import ApiToken
from nongsan.accounts.tests.factories import UserFactory
from nongsan.audit.models import AuditEntry
from nongsan.common.formatting import DISPLAY_TIMEZONE


# -- a test-only endpoint that needs an authenticated caller --------------------------------
@api_view(["GET", "POST"])
@permission_classes([IsAuthenticated])
def whoami(request: Request) -> Response:
    token = request.auth if isinstance(request.auth, ApiToken) else None
    phone = getattr(request.user, "phone", None)
    return Response({"phone": phone, "token": token.prefix if token else None})


urlpatterns = [path("test-only/whoami/", whoami, name="whoami"), *project_urlpatterns]
if not any(getattr(pattern, "namespace", None) == "tokens" for pattern in project_urlpatterns):
    urlpatterns.append(path("tai-khoan/ma-truy-cap/", include("nongsan.accounts.token_urls")))

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

TOKEN = re.compile(r"ns_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})")
WHOAMI = "/test-only/whoami/"


@pytest.fixture
def owner():
    return UserFactory.create(phone="+84912345678")


@pytest.fixture
def stranger():
    return UserFactory.create(phone="+84987654321")


def _bearer(plaintext: str, scheme: str = "Bearer") -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"{scheme} {plaintext}"}


# -- services -------------------------------------------------------------------------------
def test_token_create_returns_the_secret_once_and_keeps_only_its_digest(owner):
    token, plaintext = tokens.token_create(user=owner, name="Máy chủ HTX")

    match = TOKEN.fullmatch(plaintext)
    assert match is not None
    prefix, secret = match.groups()
    assert token.prefix == prefix
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    stored = io.StringIO()
    call_command("dumpdata", stdout=stored)
    assert token.digest in stored.getvalue()
    assert secret not in stored.getvalue()
    assert plaintext not in stored.getvalue()


def test_creating_and_revoking_a_token_is_audited_without_its_secret(owner):
    token, plaintext = tokens.token_create(user=owner, name="Máy chủ HTX")
    tokens.token_revoke(token=token, by=owner)
    tokens.token_revoke(token=token, by=owner)  # already revoked: nothing new to record

    entries = AuditEntry.objects.filter(target_id=str(token.pk)).order_by("pk")

    assert [entry.action for entry in entries] == [
        "accounts.api_token_create",
        "accounts.api_token_revoke",
    ]
    assert all(entry.actor_id == owner.pk for entry in entries)
    assert entries[0].changes["prefix"] == [None, token.prefix]
    assert plaintext[12:] not in str(entries[0].changes)
    assert token.digest not in str(entries[0].changes)


def test_two_tokens_never_share_a_prefix_or_a_secret(owner):
    first = tokens.token_create(user=owner, name="Một")[1]
    second = tokens.token_create(user=owner, name="Hai")[1]

    assert first[:11] != second[:11]
    assert first[12:] != second[12:]


def test_token_create_trims_the_name(owner):
    token, _plaintext = tokens.token_create(user=owner, name="  Phần mềm\n kế toán  ")

    assert token.name == "Phần mềm kế toán"


@pytest.mark.parametrize("name", ["", "   ", "\n\t", "x" * 101])
def test_token_create_refuses_an_empty_or_overlong_name(owner, name):
    with pytest.raises(ValidationError) as refusal:
        tokens.token_create(user=owner, name=name)

    assert "name" in refusal.value.error_dict
    assert not ApiToken.objects.exists()


def test_token_create_accepts_a_name_of_exactly_a_hundred_characters(owner):
    token, _plaintext = tokens.token_create(user=owner, name="x" * 100)

    assert len(token.name) == 100


def test_token_create_refuses_an_expiry_in_the_past_or_beyond_five_years(owner):
    now = timezone.now()
    for expires_at in (now - datetime.timedelta(seconds=1), now + datetime.timedelta(days=1831)):
        with pytest.raises(ValidationError) as refusal:
            tokens.token_create(user=owner, name="Hết hạn", expires_at=expires_at, now=now)
        assert "expires_at" in refusal.value.error_dict
    naive = datetime.datetime(2030, 1, 1)  # noqa: DTZ001 - the bad input under test
    with pytest.raises(ValueError, match="aware"):
        tokens.token_create(user=owner, name="Không múi giờ", expires_at=naive)


def test_a_person_holds_at_most_twenty_active_tokens(owner, stranger):
    now = timezone.now()
    for number in range(tokens.MAX_ACTIVE_TOKENS):
        tokens.token_create(user=owner, name=f"Mã {number}", now=now)
    tokens.token_create(user=stranger, name="Của người khác")

    with pytest.raises(ValidationError) as refusal:
        tokens.token_create(user=owner, name="Mã thứ 21", now=now)

    assert refusal.value.code == "too_many"
    assert "20" in refusal.value.messages[0]


def test_revoked_and_expired_tokens_leave_room_for_new_ones(owner):
    now = timezone.now()
    created = [
        tokens.token_create(
            user=owner, name=f"Mã {n}", expires_at=now + datetime.timedelta(hours=1), now=now
        )[0]
        for n in range(tokens.MAX_ACTIVE_TOKENS)
    ]
    tokens.token_revoke(token=created[0], by=owner, now=now)

    tokens.token_create(user=owner, name="Thay mã đã thu hồi", now=now)
    later = now + datetime.timedelta(hours=2)  # every token above has expired by then
    tokens.token_create(user=owner, name="Sau khi hết hạn", now=later)

    # The twenty with an expiry are gone; the two without one are left.
    assert tokens.token_active_count(owner, now=later) == 2


def test_token_revoke_is_for_the_owner_and_happens_once(owner, stranger):
    token, _plaintext = tokens.token_create(user=owner, name="Máy chủ")
    first = timezone.now()

    with pytest.raises(PermissionDenied):
        tokens.token_revoke(token=token, by=stranger)
    tokens.token_revoke(token=token, by=owner, now=first)
    tokens.token_revoke(token=token, by=owner, now=first + datetime.timedelta(hours=1))

    token.refresh_from_db()
    assert token.revoked_at == first


def test_a_superuser_may_revoke_a_leaked_token(owner):
    admin = UserFactory.create(is_superuser=True, is_staff=True)
    token, _plaintext = tokens.token_create(user=owner, name="Đối tác")

    tokens.token_revoke(token=token, by=admin)

    assert tokens.token_status(token) == tokens.TokenStatus.REVOKED


def test_token_list_and_get_see_only_the_persons_own_tokens(owner, stranger):
    mine, _plaintext = tokens.token_create(user=owner, name="Của tôi")
    theirs, _plaintext = tokens.token_create(user=stranger, name="Của họ")

    assert list(tokens.token_list(owner)) == [mine]
    with pytest.raises(ApiToken.DoesNotExist):
        tokens.token_get(user=owner, token_id=theirs.pk)


# -- authentication through the API ---------------------------------------------------------
def test_a_valid_token_authenticates_its_owner(owner):
    token, plaintext = tokens.token_create(user=owner, name="Máy chủ")
    api = APIClient()

    for scheme in ("Bearer", "bearer", "Token"):
        response = api.get(WHOAMI, **_bearer(plaintext, scheme))
        assert response.status_code == 200, scheme
        assert response.json() == {"phone": owner.phone, "token": token.prefix}


def test_without_credentials_the_endpoint_answers_401_with_the_bearer_challenge():
    response = APIClient().get(WHOAMI)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_revoked_token_is_refused_in_vietnamese(owner):
    token, plaintext = tokens.token_create(user=owner, name="Máy chủ")
    tokens.token_revoke(token=token, by=owner)

    response = APIClient().get(WHOAMI, **_bearer(plaintext))

    assert response.status_code == 401
    assert response.json()["detail"] == "Mã truy cập này đã bị thu hồi."


def test_an_expired_token_is_refused(owner):
    now = timezone.now()
    token, plaintext = tokens.token_create(
        user=owner, name="Ngắn hạn", expires_at=now + datetime.timedelta(minutes=5), now=now
    )
    ApiToken.objects.filter(pk=token.pk).update(expires_at=now - datetime.timedelta(seconds=1))

    response = APIClient().get(WHOAMI, **_bearer(plaintext))

    assert response.status_code == 401
    assert response.json()["detail"] == "Mã truy cập này đã hết hạn."


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ",
        "Bearer abc",
        "Bearer ns_",
        "Bearer ns_short",
        "Bearer ns_abc$efgh_" + "x" * 43,
        "Bearer ns_abcdefghXsecret",
        "Bearer ns_abcdefgh_secret extra",
        "Token " + "ns_abcdefgh_" + "x" * 300,
    ],
)
def test_a_malformed_token_is_refused_with_401(header):
    response = APIClient().get(WHOAMI, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response.json()["detail"] in {
        "Mã truy cập không đúng định dạng ns_…",
        "Tiêu đề Authorization phải có dạng “Bearer ns_…”.",
    }


def test_an_unknown_token_and_a_wrong_secret_get_the_same_answer(owner):
    token, plaintext = tokens.token_create(user=owner, name="Máy chủ")
    unknown = "ns_ZZZZZZZZ_" + "a" * 43
    wrong_secret = f"ns_{token.prefix}_" + "a" * 43

    answers = [APIClient().get(WHOAMI, **_bearer(value)) for value in (unknown, wrong_secret)]

    assert [answer.status_code for answer in answers] == [401, 401]
    assert {answer.json()["detail"] for answer in answers} == {
        "Mã truy cập không đúng hoặc không tồn tại."
    }


def test_the_token_of_a_deactivated_account_is_refused(owner):
    _token, plaintext = tokens.token_create(user=owner, name="Máy chủ")
    owner.is_active = False
    owner.save(update_fields=["is_active"])

    response = APIClient().get(WHOAMI, **_bearer(plaintext))

    assert response.status_code == 401


def test_another_scheme_is_left_to_the_other_authenticators(owner):
    response = APIClient().get(WHOAMI, HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")

    assert response.status_code == 401  # nobody authenticated it; no crash


def test_a_bad_token_is_refused_even_on_a_public_endpoint(owner):
    token, plaintext = tokens.token_create(user=owner, name="Máy chủ")
    url = "/api/v1/admin-units/?limit=1"
    api = APIClient()

    assert api.get(url, **_bearer(plaintext)).status_code == 200
    tokens.token_revoke(token=token, by=owner)
    assert api.get(url, **_bearer(plaintext)).status_code == 401


def test_a_token_needs_no_csrf_token_but_a_session_does(owner):
    _token, plaintext = tokens.token_create(user=owner, name="Máy chủ")
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(owner)

    assert APIClient().post(WHOAMI, **_bearer(plaintext)).status_code == 200
    assert session.get(WHOAMI).json()["token"] is None  # the page's session authenticates
    assert session.post(WHOAMI).status_code == 403  # but must prove it came from our page


def test_last_used_is_written_at_most_once_a_minute(owner):
    token, plaintext = tokens.token_create(user=owner, name="Máy chủ")
    start = timezone.now()

    tokens.token_authenticate(plaintext, now=start)
    tokens.token_authenticate(plaintext, now=start + datetime.timedelta(seconds=59))
    token.refresh_from_db()
    assert token.last_used_at == start

    tokens.token_authenticate(plaintext, now=start + datetime.timedelta(seconds=60))
    token.refresh_from_db()
    assert token.last_used_at == start + datetime.timedelta(seconds=60)


def test_a_request_within_the_minute_writes_nothing(owner):
    _token, plaintext = tokens.token_create(user=owner, name="Máy chủ")
    api = APIClient()

    with CaptureQueriesContext(connection) as first:
        api.get(WHOAMI, **_bearer(plaintext))
    with CaptureQueriesContext(connection) as second:
        api.get(WHOAMI, **_bearer(plaintext))

    def writes(queries: CaptureQueriesContext) -> list[str]:
        return [query["sql"] for query in queries if query["sql"].lstrip().startswith("UPDATE")]

    assert len(writes(first)) == 1
    assert writes(second) == []


# -- pages ----------------------------------------------------------------------------------
@pytest.fixture
def signed_in(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [("tokens:list", {}), ("tokens:create", {}), ("tokens:revoke", {"token_id": 1})],
)
def test_the_token_pages_send_anonymous_visitors_to_log_in(client, name, kwargs):
    url = reverse(name, kwargs=kwargs)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")


def test_create_page_shows_the_secret_once_and_never_again(signed_in, owner):
    last_day = timezone.localdate(timezone=DISPLAY_TIMEZONE) + datetime.timedelta(days=30)

    response = signed_in.post(
        reverse("tokens:create"),
        {"name": "  Phần mềm HTX ", "expires_on": last_day.strftime("%d/%m/%Y")},
    )

    assert response.status_code == 200
    html = response.content.decode()
    match = TOKEN.search(html)
    assert match is not None
    plaintext = match.group(0)
    assert "sẽ không được hiện lại" in html
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=owner)
    assert token.name == "Phần mềm HTX"
    assert token.expires_at == datetime.datetime.combine(
        last_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=DISPLAY_TIMEZONE
    )
    assert all(plaintext not in str(value) for value in signed_in.session.values())
    listing = signed_in.get(reverse("tokens:list")).content.decode()
    assert f"ns_{token.prefix}_…" in listing
    assert match.group(2) not in listing


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "expires_on": ""}, "Hãy đặt tên cho mã truy cập."),
        ({"name": "   ", "expires_on": ""}, "Hãy đặt tên cho mã truy cập."),
        ({"name": "x" * 101, "expires_on": ""}, "Tên dài tối đa 100 ký tự."),
        ({"name": "API", "expires_on": "2030-12-31"}, "Hãy nhập ngày dạng ngày/tháng/năm"),
        ({"name": "API", "expires_on": "31/02/2027"}, "Hãy nhập ngày dạng ngày/tháng/năm"),
        ({"name": "API", "expires_on": "01/01/2000"}, "Ngày hết hạn phải từ hôm nay trở đi."),
        ({"name": "API", "expires_on": "31/12/9999"}, "tối đa 5 năm"),
    ],
)
def test_create_page_explains_bad_input(signed_in, data, message):
    response = signed_in.post(reverse("tokens:create"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_create_page_refuses_the_twenty_first_token(signed_in, owner):
    for number in range(tokens.MAX_ACTIVE_TOKENS):
        tokens.token_create(user=owner, name=f"Mã {number}")

    response = signed_in.post(reverse("tokens:create"), {"name": "Thêm", "expires_on": ""})

    assert response.status_code == 200
    assert "Hãy thu hồi mã không cần nữa" in response.content.decode()
    assert ApiToken.objects.filter(user=owner).count() == tokens.MAX_ACTIVE_TOKENS


def test_list_page_shows_own_tokens_with_status_and_vietnam_times(signed_in, owner, stranger):
    moment = datetime.datetime(2026, 5, 1, 17, 30, tzinfo=datetime.UTC)  # 00:30 on 2 May in VN
    active, _plaintext = tokens.token_create(user=owner, name="Đang dùng", now=moment)
    ApiToken.objects.filter(pk=active.pk).update(last_used_at=moment)
    revoked, _plaintext = tokens.token_create(user=owner, name="Đã bỏ")
    tokens.token_revoke(token=revoked, by=owner)
    expired, _plaintext = tokens.token_create(user=owner, name="Cũ")
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    tokens.token_create(user=stranger, name="Của người khác")

    html = signed_in.get(reverse("tokens:list")).content.decode()

    assert "02/05/2026 00:30" in html
    assert "Của người khác" not in html
    assert html.count('class="badge badge-success"') == 1
    assert html.count('class="badge badge-warning"') == 1
    assert html.count('class="badge badge-danger"') == 1
    assert reverse("tokens:revoke", kwargs={"token_id": active.pk}) in html
    assert reverse("tokens:revoke", kwargs={"token_id": revoked.pk}) not in html


def test_list_page_costs_the_same_queries_for_many_tokens(
    signed_in, owner, django_assert_max_num_queries
):
    tokens.token_create(user=owner, name="Một")
    with CaptureQueriesContext(connection) as few:
        signed_in.get(reverse("tokens:list"))
    for number in range(19):
        tokens.token_create(user=owner, name=f"Mã {number}")

    with django_assert_max_num_queries(len(few)):
        response = signed_in.get(reverse("tokens:list"))

    assert response.content.decode().count("data-token=") == 20


def test_revoke_asks_first_then_revokes_on_post(signed_in, owner):
    token, plaintext = tokens.token_create(user=owner, name="Máy chủ")
    url = reverse("tokens:revoke", kwargs={"token_id": token.pk})

    confirmation = signed_in.get(url)
    token.refresh_from_db()
    assert confirmation.status_code == 200
    assert "csrfmiddlewaretoken" in confirmation.content.decode()
    assert token.revoked_at is None

    response = signed_in.post(url, follow=True)

    token.refresh_from_db()
    assert response.redirect_chain[-1][0] == reverse("tokens:list")
    assert "Đã thu hồi mã truy cập “Máy chủ”." in response.content.decode()
    assert token.revoked_at is not None
    assert APIClient().get(WHOAMI, **_bearer(plaintext)).status_code == 401


def test_another_persons_token_answers_404_and_stays_untouched(signed_in, stranger):
    theirs, _plaintext = tokens.token_create(user=stranger, name="Của họ")
    url = reverse("tokens:revoke", kwargs={"token_id": theirs.pk})

    assert signed_in.get(url).status_code == 404
    assert signed_in.post(url).status_code == 404
    assert signed_in.post(reverse("tokens:revoke", kwargs={"token_id": 999999})).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_revoke_without_the_csrf_token_is_refused(owner):
    token, _plaintext = tokens.token_create(user=owner, name="Máy chủ")
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)

    response = client.post(reverse("tokens:revoke", kwargs={"token_id": token.pk}))

    assert response.status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
