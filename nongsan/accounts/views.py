"""Account pages: sign up, confirm the phone, log in and out, reset a password, profile,
phone change and, for officers, role grants. Thin: parse, call one service, render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from nongsan.accounts import services
from nongsan.accounts.forms import (
    CodeForm,
    GrantForm,
    LoginForm,
    PasswordResetForm,
    PasswordResetRequestForm,
    PhoneChangeForm,
    ProfileForm,
    SignUpForm,
)
from nongsan.accounts.models import User
from nongsan.accounts.permissions import active_grants, editable_grants, visible_grants
from nongsan.audit.middleware import client_ip
from nongsan.geo.models import AdministrativeUnit

SESSION_PENDING_PHONE = "accounts.pending_phone"
SESSION_RESET_PHONE = "accounts.reset_phone"
SESSION_NEW_PHONE = "accounts.new_phone"


def _apply_errors(form: BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the field it names when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _with_language(response: HttpResponse, language: str) -> HttpResponse:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type] # a setting
    )
    return response


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_sign_up(
                phone=form.cleaned_data["phone"],
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
                preferred_language=request.LANGUAGE_CODE,
                roles=(form.cleaned_data["role"],),
                ip=client_ip(request),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            request.session[SESSION_PENDING_PHONE] = user.phone
            return redirect("accounts:confirm")
    return render(request, "accounts/sign_up.html", {"form": form})


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    phone = request.session.get(SESSION_PENDING_PHONE)
    if not phone:
        messages.info(request, _("Hãy đăng ký trước, rồi nhập mã được gửi tới điện thoại."))
        return redirect("accounts:sign-up")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "resend":
        try:
            services.sign_up_code_resend(phone=phone, ip=client_ip(request))
            messages.success(request, _("Đã gửi mã mới."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("accounts:confirm")
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_confirm_phone(phone=phone, code=form.cleaned_data["code"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            del request.session[SESSION_PENDING_PHONE]
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Số điện thoại đã được xác nhận. Chào mừng bạn!"))
            return _with_language(redirect("accounts:profile"), user.preferred_language)
    return render(request, "accounts/confirm.html", {"form": form, "phone": phone})


class PhoneLoginView(LoginView):
    """Log in by phone number; the person's chosen language follows them."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        return _with_language(response, form.get_user().preferred_language)


@require_http_methods(["GET", "POST"])
def password_reset_request(request: HttpRequest) -> HttpResponse:
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_request(phone=form.cleaned_data["phone"], ip=client_ip(request))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            request.session[SESSION_RESET_PHONE] = form.cleaned_data["phone"]
            messages.info(
                request,
                _("Nếu số này có tài khoản, một mã xác nhận vừa được gửi tới đó."),
            )
            return redirect("accounts:password-reset-complete")
    return render(request, "accounts/password_reset_request.html", {"form": form})


@require_http_methods(["GET", "POST"])
def password_reset_complete(request: HttpRequest) -> HttpResponse:
    phone = request.session.get(SESSION_RESET_PHONE)
    if not phone:
        return redirect("accounts:password-reset")
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_reset_complete(
                phone=phone,
                code=form.cleaned_data["code"],
                new_password=form.cleaned_data["new_password"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            del request.session[SESSION_RESET_PHONE]
            messages.success(request, _("Đã đổi mật khẩu. Hãy đăng nhập bằng mật khẩu mới."))
            return redirect("accounts:login")
    return render(request, "accounts/password_reset_complete.html", {"form": form, "phone": phone})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(
                user=user,
                full_name=form.cleaned_data["full_name"],
                email=form.cleaned_data["email"],
                preferred_language=form.cleaned_data["preferred_language"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Đã lưu hồ sơ."))
            return _with_language(redirect("accounts:profile"), user.preferred_language)
    grants = active_grants(user).select_related("unit")
    return render(request, "accounts/profile.html", {"form": form, "grants": grants})


@login_required
@require_http_methods(["GET", "POST"])
def phone_change(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    new_phone = request.session.get(SESSION_NEW_PHONE)
    if request.method == "POST" and "code" in request.POST and new_phone:
        code_form = CodeForm(request.POST)
        if code_form.is_valid():
            try:
                services.phone_change_confirm(
                    user=user, new_phone=new_phone, code=code_form.cleaned_data["code"]
                )
            except ValidationError as error:
                _apply_errors(code_form, error)
            else:
                del request.session[SESSION_NEW_PHONE]
                messages.success(request, _("Đã đổi số điện thoại đăng nhập."))
                return redirect("accounts:profile")
        return render(
            request,
            "accounts/phone_change.html",
            {"form": PhoneChangeForm(), "code_form": code_form, "new_phone": new_phone},
        )
    form = PhoneChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new_phone = services.phone_change_request(
                user=user, new_phone=form.cleaned_data["new_phone"], ip=client_ip(request)
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            request.session[SESSION_NEW_PHONE] = new_phone
            messages.info(request, _("Đã gửi mã xác nhận tới số mới."))
            return redirect("accounts:phone-change")
    return render(
        request,
        "accounts/phone_change.html",
        {"form": form, "code_form": CodeForm() if new_phone else None, "new_phone": new_phone},
    )


@login_required
@require_http_methods(["GET", "POST"])
def grant_list(request: HttpRequest) -> HttpResponse:
    """Officers see the grants of their area, grant roles inside it and revoke them."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    can_grant = user.has_perm("accounts.grant_roles")
    if not user.has_perm("accounts.view_area_grants") and not can_grant:
        raise PermissionDenied(_("Trang này dành cho cán bộ được phân quyền theo địa bàn."))
    form = GrantForm(request.POST or None)
    if request.method == "POST" and not can_grant:
        raise PermissionDenied(_("Bạn không có quyền cấp vai trò."))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        level = "province" if len(data["unit_code"]) == 2 else "commune"
        unit = AdministrativeUnit.objects.current().filter(level=level, code=data["unit_code"])
        grantee = User.objects.filter(phone=data["phone"]).first()
        if not unit.exists():
            form.add_error("unit_code", _("Không có địa bàn hiện hành với mã này."))
        elif grantee is None:
            form.add_error("phone", _("Chưa có tài khoản nào với số điện thoại này."))
        else:
            try:
                services.role_grant(
                    granted_by=user,
                    user=grantee,
                    role=data["role"],
                    unit=unit.get(),
                    assistant_kind=data["assistant_kind"],
                )
            except PermissionDenied as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Đã cấp vai trò."))
                return redirect("accounts:grants")
    grants = visible_grants(user).filter(revoked_at__isnull=True).order_by("-granted_at", "-pk")
    page = Paginator(grants, 50).get_page(request.GET.get("page"))
    revocable = set(
        editable_grants(user).filter(pk__in=[g.pk for g in page]).values_list("pk", flat=True)
    )
    return render(
        request,
        "accounts/grants.html",
        {"form": form if can_grant else None, "page": page, "revocable": revocable},
    )


@login_required
@require_POST
def grant_revoke(request: HttpRequest, grant_id: int) -> HttpResponseRedirect:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - login_required guarantees it
    grant = get_object_or_404(editable_grants(user), pk=grant_id)
    try:
        services.role_revoke(revoked_by=user, grant=grant)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, str(getattr(error, "message", error)))
    else:
        messages.success(request, _("Đã thu hồi vai trò."))
    return HttpResponseRedirect(reverse("accounts:grants"))


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Django's set_language, plus the signed-in person's preference."""
    response = set_language(request)
    user = request.user
    if isinstance(user, User) and user.is_authenticated:
        services.preferred_language_set(user=user, language=request.POST.get("language", ""))
    return response
