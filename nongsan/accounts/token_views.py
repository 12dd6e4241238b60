"""Pages for a person's API tokens: list, create (the secret shown once), revoke.

Every lookup starts from the person's own tokens, so another person's token answers 404.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from nongsan.accounts import tokens
from nongsan.accounts.models import ApiToken, User
from nongsan.common.formatting import DISPLAY_TIMEZONE

TOKENS_PER_PAGE = 25


class TokenForm(forms.Form):
    """A token's name and optional last day of validity, written dd/mm/yyyy."""

    name = forms.CharField(
        label=gettext_lazy("Tên gợi nhớ"),
        max_length=tokens.MAX_NAME_LENGTH,
        help_text=gettext_lazy("Để nhận ra mã sau này, ví dụ “Phần mềm kế toán HTX”."),
        error_messages={
            "required": gettext_lazy("Hãy đặt tên cho mã truy cập."),
            "max_length": gettext_lazy("Tên dài tối đa %(limit_value)d ký tự."),
        },
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Dùng đến hết ngày (không bắt buộc)"),
        required=False,
        input_formats=["%d/%m/%Y"],
        help_text=gettext_lazy("Dạng ngày/tháng/năm, ví dụ 31/12/2026. Để trống: không hết hạn."),
        error_messages={
            "invalid": gettext_lazy("Hãy nhập ngày dạng ngày/tháng/năm, ví dụ 31/12/2026."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "dd/mm/yyyy"}),
    )

    def clean_expires_on(self) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        today = timezone.localdate(timezone=DISPLAY_TIMEZONE)
        if day < today:
            raise ValidationError(_("Ngày hết hạn phải từ hôm nay trở đi."), code="in_past")
        if day > today + tokens.MAX_LIFETIME - datetime.timedelta(days=1):
            raise ValidationError(
                _("Mã truy cập chỉ được có hạn dùng tối đa 5 năm."), code="too_far"
            )
        return day

    def expires_at(self) -> datetime.datetime | None:
        """The end of the chosen day in Vietnam: the token works through that whole day."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return datetime.datetime.combine(
            day + datetime.timedelta(days=1), datetime.time.min, tzinfo=DISPLAY_TIMEZONE
        )


def _current_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    return user


def _own_token(user: User, token_id: int) -> ApiToken:
    try:
        return tokens.token_get(user=user, token_id=token_id)
    except ApiToken.DoesNotExist as missing:
        raise Http404(_("Không tìm thấy mã truy cập này.")) from missing


@login_required
@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    user = _current_user(request)
    now = timezone.now()
    page = Paginator(tokens.token_list(user), TOKENS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(token, tokens.token_status(token, now=now)) for token in page]
    return render(
        request,
        "accounts/tokens/list.html",
        {
            "page": page,
            "rows": rows,
            "active_count": tokens.token_active_count(user, now=now),
            "limit": tokens.MAX_ACTIVE_TOKENS,
        },
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_create(request: HttpRequest) -> HttpResponse:
    """The form; on success the one response that ever contains the token's secret."""
    user = _current_user(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, plaintext = tokens.token_create(
                user=user, name=form.cleaned_data["name"], expires_at=form.expires_at()
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error("expires_on" if field == "expires_at" else field, errors)
            else:
                form.add_error(None, error)
        else:
            return render(
                request, "accounts/tokens/created.html", {"token": token, "plaintext": plaintext}
            )
    return render(request, "accounts/tokens/create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """A confirmation page; the POST from it revokes."""
    user = _current_user(request)
    token = _own_token(user, token_id)
    if request.method == "GET":
        return render(
            request,
            "accounts/tokens/revoke.html",
            {"token": token, "status": tokens.token_status(token)},
        )
    was_revoked = token.revoked_at is not None
    try:
        tokens.token_revoke(token=token, by=user)
    except PermissionDenied as error:  # pragma: no cover - the lookup above already scoped it
        raise Http404 from error
    if was_revoked:
        messages.info(
            request, _("Mã truy cập “%(name)s” đã được thu hồi từ trước.") % {"name": token.name}
        )
    else:
        messages.success(request, _("Đã thu hồi mã truy cập “%(name)s”.") % {"name": token.name})
    return HttpResponseRedirect(reverse("tokens:list"))
