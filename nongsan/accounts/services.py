"""Writes about people: sign-up, confirmation, passwords, profile, role grants, assistance.

Every write records an audit entry through :func:`nongsan.audit.services.audit_record`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nongsan.accounts.codes import code_request, code_verify
from nongsan.accounts.lockout import lockout_clear
from nongsan.accounts.models import (
    AREA_ROLES,
    Assistance,
    AssistantKind,
    OneTimeCode,
    Role,
    RoleGrant,
    User,
)
from nongsan.accounts.permissions import grantable_roles, user_scope
from nongsan.audit.context import acting
from nongsan.audit.services import audit_record, changes_between, snapshot
from nongsan.common.phone import normalize_phone
from nongsan.geo.models import AdministrativeUnit

if TYPE_CHECKING:
    from nongsan.producers.models import Household

# Roles a person may take for themself at sign-up; the others are granted.
SELF_SERVICE_ROLES = (Role.BUYER, Role.HOUSEHOLD_SELLER, Role.TRADER)
PROFILE_FIELDS = ("full_name", "email", "preferred_language")


def _province_of(unit: AdministrativeUnit) -> AdministrativeUnit:
    return unit if unit.level == "province" else unit.province  # type: ignore[return-value]


# -- sign-up and confirmation ----------------------------------------------------------------
def user_sign_up(
    *,
    phone: str,
    password: str,
    full_name: str,
    preferred_language: str = User.Language.VIETNAMESE,
    roles: tuple[str, ...] = (Role.BUYER,),
    ip: str | None = None,
) -> User:
    """Create an account that stays inactive until the phone is confirmed with a code.

    Signing up again with a phone that never confirmed replaces that unconfirmed account's
    name and password (the owner of the number may have mistyped), but never touches a
    confirmed account.
    """
    phone = normalize_phone(phone)
    full_name = " ".join(full_name.split())
    if not full_name:
        raise ValidationError({"full_name": _("Vui lòng nhập họ và tên.")})
    if len(full_name) > 150:
        raise ValidationError({"full_name": _("Họ và tên dài quá 150 ký tự.")})
    unknown = set(roles) - set(SELF_SERVICE_ROLES)
    if unknown or not roles:
        raise ValidationError({"roles": _("Vai trò này không tự đăng ký được.")})
    with transaction.atomic():
        user = User.objects.select_for_update().filter(phone=phone).first()
        if user is not None and user.phone_confirmed_at is not None:
            raise ValidationError(
                {
                    "phone": _(
                        "Số điện thoại này đã có tài khoản. Hãy đăng nhập hoặc lấy lại mật khẩu."
                    )
                }
            )
        if user is None:
            user = User(phone=phone)
        user.full_name = full_name
        user.preferred_language = preferred_language
        user.is_active = False
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
        user.set_password(password)
        user.save()
        for role in roles:
            RoleGrant.objects.get_or_create(
                user=user, role=role, unit=None, revoked_at=None, defaults={"granted_by": user}
            )
        with acting(actor=user):
            audit_record(action="accounts.sign_up", target=user, changes={"roles": list(roles)})
        code_request(
            phone=phone,
            purpose=OneTimeCode.Purpose.SIGN_UP,
            ip=ip,
            user=user,
            language=preferred_language,
        )
    return user


def user_confirm_phone(*, phone: str, code: str, now: datetime.datetime | None = None) -> User:
    """Use the sign-up code: the account becomes active with a confirmed phone."""
    phone = normalize_phone(phone)
    used = code_verify(phone=phone, purpose=OneTimeCode.Purpose.SIGN_UP, code=code, now=now)
    with transaction.atomic():
        user = User.objects.select_for_update().get(phone=phone)
        if used.user_id not in (None, user.pk):
            raise ValidationError(_("Mã không dành cho tài khoản này."))
        user.phone_confirmed_at = used.used_at
        user.is_active = True
        user.save(update_fields=["phone_confirmed_at", "is_active"])
        with acting(actor=user):
            audit_record(action="accounts.phone_confirm", target=user)
    return user


def sign_up_code_resend(*, phone: str, ip: str | None) -> None:
    """Send a new sign-up code to an account that is still waiting for confirmation."""
    phone = normalize_phone(phone)
    user = User.objects.filter(phone=phone, phone_confirmed_at__isnull=True).first()
    if user is None:
        raise ValidationError(_("Không có tài khoản nào đang chờ xác nhận với số này."))
    code_request(
        phone=phone,
        purpose=OneTimeCode.Purpose.SIGN_UP,
        ip=ip,
        user=user,
        language=user.preferred_language,
    )


# -- passwords -------------------------------------------------------------------------------
def password_reset_request(*, phone: str, ip: str | None) -> None:
    """Send a reset code if an active account has this phone; say nothing either way.

    The caller shows the same answer whether or not the number has an account, so the form
    cannot be used to learn who is registered. Rate limits apply either way.
    """
    phone = normalize_phone(phone)
    user = User.objects.filter(phone=phone, is_active=True).first()
    if user is None:
        return
    code_request(
        phone=phone,
        purpose=OneTimeCode.Purpose.PASSWORD_RESET,
        ip=ip,
        user=user,
        language=user.preferred_language,
    )


def password_reset_complete(*, phone: str, code: str, new_password: str) -> User:
    phone = normalize_phone(phone)
    user = User.objects.filter(phone=phone, is_active=True).first()
    if user is None:
        raise ValidationError(_("Mã không đúng hoặc đã hết hạn."))
    try:
        validate_password(new_password, user)
    except ValidationError as error:
        raise ValidationError({"new_password": error.messages}) from error
    code_verify(phone=phone, purpose=OneTimeCode.Purpose.PASSWORD_RESET, code=code)
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        with acting(actor=user):
            audit_record(action="accounts.password_reset", target=user)
    # Proving ownership of the phone lifts a lockout caused by forgotten passwords.
    lockout_clear(phone=phone)
    return user


# -- profile ---------------------------------------------------------------------------------
def profile_update(*, user: User, full_name: str, email: str, preferred_language: str) -> User:
    before = snapshot(user, PROFILE_FIELDS)
    user.full_name = " ".join(full_name.split())
    user.email = User.objects.normalize_email(email.strip())
    user.preferred_language = preferred_language
    user.full_clean(exclude=["password", "phone"])
    with transaction.atomic():
        user.save(update_fields=list(PROFILE_FIELDS))
        audit_record(
            action="accounts.profile_update",
            target=user,
            changes=changes_between(before, user, PROFILE_FIELDS),
        )
    return user


def phone_change_request(*, user: User, new_phone: str, ip: str | None) -> str:
    new_phone = normalize_phone(new_phone)
    if new_phone == user.phone:
        raise ValidationError({"new_phone": _("Đây là số điện thoại hiện tại của bạn.")})
    if User.objects.filter(phone=new_phone).exclude(pk=user.pk).exists():
        raise ValidationError({"new_phone": _("Số điện thoại này đã có tài khoản.")})
    code_request(
        phone=new_phone,
        purpose=OneTimeCode.Purpose.PHONE_CHANGE,
        ip=ip,
        user=user,
        language=user.preferred_language,
    )
    return new_phone


def phone_change_confirm(*, user: User, new_phone: str, code: str) -> User:
    new_phone = normalize_phone(new_phone)
    used = code_verify(phone=new_phone, purpose=OneTimeCode.Purpose.PHONE_CHANGE, code=code)
    if used.user_id != user.pk:
        raise ValidationError(_("Mã không dành cho tài khoản này."))
    with transaction.atomic():
        if User.objects.filter(phone=new_phone).exclude(pk=user.pk).exists():
            raise ValidationError({"new_phone": _("Số điện thoại này đã có tài khoản.")})
        old_phone = user.phone
        user.phone = new_phone
        user.phone_confirmed_at = used.used_at
        user.save(update_fields=["phone", "phone_confirmed_at"])
        audit_record(
            action="accounts.phone_change",
            target=user,
            changes={"phone": [_masked(old_phone), _masked(new_phone)]},
        )
    return user


def _masked(phone: str) -> str:
    """Audit entries keep the shape of a phone number, not the number itself."""
    return phone[:5] + "*" * max(0, len(phone) - 8) + phone[-3:]


# -- role grants -----------------------------------------------------------------------------
def role_grant(
    *,
    granted_by: User,
    user: User,
    role: str,
    unit: AdministrativeUnit | None = None,
    assistant_kind: str = "",
) -> RoleGrant:
    """Grant ``role`` to ``user`` (bound to ``unit`` for area roles) if ``granted_by`` may."""
    role = Role(role)
    if role in AREA_ROLES:
        if unit is None:
            raise ValidationError({"unit": _("Vai trò này cần chọn địa bàn.")})
        if unit.valid_until is not None:
            raise ValidationError({"unit": _("Chỉ cấp quyền trên đơn vị hành chính hiện hành.")})
        wanted_level = "province" if role == Role.PROVINCE_OFFICER else "commune"
        if role == Role.ASSISTANT:
            wanted_level = unit.level if unit.level in ("province", "commune") else "commune"
        if unit.level != wanted_level:
            raise ValidationError({"unit": _("Địa bàn không đúng cấp cho vai trò này.")})
    elif unit is not None:
        raise ValidationError({"unit": _("Vai trò này không gắn với địa bàn.")})
    if role == Role.ASSISTANT and assistant_kind not in AssistantKind.values:
        raise ValidationError({"assistant_kind": _("Hãy chọn loại người hỗ trợ.")})
    if role != Role.ASSISTANT:
        assistant_kind = ""
    if role not in grantable_roles(granted_by, unit):
        raise PermissionDenied(_("Bạn không có quyền cấp vai trò này trên địa bàn này."))
    if not user.is_active:
        raise ValidationError(_("Tài khoản này chưa kích hoạt hoặc đã bị khoá."))
    with transaction.atomic():
        if RoleGrant.objects.active().filter(user=user, role=role, unit=unit).exists():
            raise ValidationError(_("Người này đã có vai trò này trên địa bàn này."))
        grant = RoleGrant.objects.create(
            user=user,
            role=role,
            assistant_kind=assistant_kind,
            unit=unit,
            province=_province_of(unit) if unit else None,
            granted_by=granted_by,
        )
        audit_record(
            action="accounts.role_grant",
            target=grant,
            changes={"role": [None, role], "user": [None, user.pk]},
            province=grant.province,
            commune=unit if unit and unit.level == "commune" else None,
            actor=granted_by,
        )
    return grant


def role_revoke(
    *, revoked_by: User, grant: RoleGrant, now: datetime.datetime | None = None
) -> RoleGrant:
    if grant.revoked_at is not None:
        raise ValidationError(_("Vai trò này đã được thu hồi."))
    if grant.role not in grantable_roles(revoked_by, grant.unit):
        raise PermissionDenied(_("Bạn không có quyền thu hồi vai trò này."))
    with transaction.atomic():
        grant.revoked_at = now or timezone.now()
        grant.revoked_by = revoked_by
        grant.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(
            action="accounts.role_revoke",
            target=grant,
            changes={"revoked_at": [None, grant.revoked_at]},
            province=grant.province,
            commune=grant.unit if grant.unit and grant.unit.level == "commune" else None,
            actor=revoked_by,
        )
    return grant


# -- assistance ------------------------------------------------------------------------------
def assistance_assign(
    *, assigned_by: User, assistant: User, seller: User, commune: AdministrativeUnit
) -> Assistance:
    """Assign an assistant to a household seller of a commune the officer covers."""
    if commune.level != "commune" or commune.valid_until is not None:
        raise ValidationError({"commune": _("Hãy chọn một xã, phường hiện hành.")})
    scope = user_scope(assigned_by)
    if not scope.covers(province_id=commune.province_id, commune_id=commune.pk):
        raise PermissionDenied(_("Xã này nằm ngoài địa bàn của bạn."))
    if not user_scope(assistant, roles=[Role.ASSISTANT]).covers(
        province_id=commune.province_id, commune_id=commune.pk
    ):
        raise ValidationError(
            {"assistant": _("Người này chưa được cấp vai trò hỗ trợ tại xã này.")}
        )
    if not RoleGrant.objects.active().filter(user=seller, role=Role.HOUSEHOLD_SELLER).exists():
        raise ValidationError({"seller": _("Người được hỗ trợ phải là hộ sản xuất / người bán.")})
    with transaction.atomic():
        if Assistance.objects.filter(
            assistant=assistant, seller=seller, ended_at__isnull=True
        ).exists():
            raise ValidationError(_("Người hỗ trợ này đã được phân công cho hộ này."))
        assistance = Assistance.objects.create(
            assistant=assistant,
            seller=seller,
            commune=commune,
            province=_province_of(commune),
            assigned_by=assigned_by,
        )
        audit_record(
            action="accounts.assistance_assign",
            target=assistance,
            province=commune.province,
            commune=commune,
            actor=assigned_by,
        )
    return assistance


def assistance_record_consent(
    *, recorded_by: User, assistance: Assistance, when: datetime.datetime | None = None
) -> Assistance:
    """Record that the household agreed to be assisted (until the registry's consent exists)."""
    scope = user_scope(recorded_by)
    if recorded_by != assistance.assistant and not scope.covers(
        province_id=assistance.province_id, commune_id=assistance.commune_id
    ):
        raise PermissionDenied(_("Bạn không phụ trách phân công này."))
    with transaction.atomic():
        assistance.consent_recorded_at = when or timezone.now()
        assistance.save(update_fields=["consent_recorded_at"])
        audit_record(
            action="accounts.assistance_consent",
            target=assistance,
            changes={"consent_recorded_at": [None, assistance.consent_recorded_at]},
            province=assistance.province,
            commune=assistance.commune,
            actor=recorded_by,
        )
    return assistance


def assistance_end(*, ended_by: User, assistance: Assistance) -> Assistance:
    scope = user_scope(ended_by)
    if ended_by not in (assistance.assistant, assistance.seller) and not scope.covers(
        province_id=assistance.province_id, commune_id=assistance.commune_id
    ):
        raise PermissionDenied(_("Bạn không phụ trách phân công này."))
    with transaction.atomic():
        assistance.ended_at = timezone.now()
        assistance.save(update_fields=["ended_at"])
        audit_record(
            action="accounts.assistance_end",
            target=assistance,
            province=assistance.province,
            commune=assistance.commune,
            actor=ended_by,
        )
    return assistance


def can_act_for(assistant: User, seller: User) -> bool:
    """An assistant acts for a seller only while assigned and after consent was recorded."""
    return Assistance.objects.filter(
        assistant=assistant,
        seller=seller,
        ended_at__isnull=True,
        consent_recorded_at__isnull=False,
    ).exists()


@contextmanager
def on_behalf_of(*, assistant: User, seller: User) -> Iterator[None]:
    """Run writes as ``assistant`` acting for ``seller``; every audit entry says so."""
    if not can_act_for(assistant, seller):
        raise PermissionDenied(
            _("Bạn chưa được phân công hoặc hộ chưa đồng ý để bạn thao tác thay.")
        )
    with acting(actor=assistant, on_behalf_of=seller):
        yield


def preferred_language_set(*, user: User, language: str) -> None:
    """Remember the language a signed-in person switched to, so it follows them everywhere."""
    if language not in User.Language.values or user.preferred_language == language:
        return
    with transaction.atomic():
        before = user.preferred_language
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
        audit_record(
            action="accounts.language_set",
            target=user,
            changes={"preferred_language": [before, language]},
        )


def assistance_assign_household(
    *, assigned_by: User, assistant: User, household: Household
) -> Assistance:
    """Assign an assistant to a registry household of a commune the officer covers.

    Many assisted households have no account of their own, so the assignment names the
    household; the household's consent to the registry is what lets the assistant act.
    """
    commune = household.commune
    scope = user_scope(assigned_by)
    if not scope.covers(province_id=household.province_id, commune_id=household.commune_id):
        raise PermissionDenied(_("Xã này nằm ngoài địa bàn của bạn."))
    if not user_scope(assistant, roles=[Role.ASSISTANT]).covers(
        province_id=household.province_id, commune_id=household.commune_id
    ):
        raise ValidationError(
            {"assistant": _("Người này chưa được cấp vai trò hỗ trợ tại xã này.")}
        )
    with transaction.atomic():
        if Assistance.objects.filter(
            assistant=assistant, household=household, ended_at__isnull=True
        ).exists():
            raise ValidationError(_("Người hỗ trợ này đã được phân công cho hộ này."))
        assistance = Assistance.objects.create(
            assistant=assistant,
            household=household,
            seller=household.user,
            commune=commune,
            province=household.province,
            assigned_by=assigned_by,
        )
        audit_record(
            action="accounts.assistance_assign",
            target=assistance,
            province=household.province,
            commune=commune,
            actor=assigned_by,
        )
    return assistance


def can_act_for_household(assistant: User, household: Household) -> bool:
    """While assigned, and only while the household's consent to the registry stands."""
    from nongsan.producers.selectors import household_consent_given

    assigned = Assistance.objects.filter(
        assistant=assistant, household=household, ended_at__isnull=True
    ).exists()
    return assigned and household_consent_given(household, "registry")


@contextmanager
def on_behalf_of_household(*, assistant: User, household: Household) -> Iterator[None]:
    """Run writes as ``assistant`` acting for a registry household; audit entries say so."""
    if not can_act_for_household(assistant, household):
        raise PermissionDenied(
            _("Bạn chưa được phân công hoặc hộ chưa đồng ý để bạn thao tác thay.")
        )
    with acting(actor=assistant, on_behalf_of=household.user, on_behalf_of_label=str(household)):
        yield
