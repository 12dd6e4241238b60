"""Demo reports for ``manage.py seed_demo``: reports in different states — Hà Nội's approved
report for the month before last and its draft for last month, Thành phố Hồ Chí Minh's
report for last month returned with a comment. The demo administrator decides as the
ministry; a demo person per province becomes its officer and gets the demo password, so a
visitor can sign in as them. Made through the services (so the figures are the platform's
own and every step is audited); seeded once."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from nongsan.accounts.demo import DEMO_ADMIN_PHONE, DEMO_PASSWORD
from nongsan.accounts.models import Role, RoleGrant, User
from nongsan.audit.context import acting
from nongsan.geo.models import AdministrativeUnit
from nongsan.reports import services
from nongsan.reports.models import ProvincialReport
from nongsan.reports.periods import PeriodKind, last_ended_period

PROVINCE_CODES = ("01", "79")


def _province_officer(province: AdministrativeUnit) -> User | None:
    """The province's officer, or the first demo person without any role made one."""
    grant = (
        RoleGrant.objects.active()
        .filter(role=Role.PROVINCE_OFFICER, unit=province)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if grant is not None:
        return grant.user
    user = (
        User.objects.filter(is_superuser=False, is_active=True, role_grants__isnull=True)
        .order_by("phone")
        .first()
    )
    if user is None:
        return None
    RoleGrant.objects.create(
        user=user, role=Role.PROVINCE_OFFICER, unit=province, province=province
    )
    if not user.has_usable_password():
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed_reports() -> int:
    """Returns how many reports were created (none when some exist already)."""
    if ProvincialReport.objects.exists():
        return 0
    provinces = {
        unit.code: unit
        for unit in AdministrativeUnit.objects.current().filter(
            level="province", code__in=PROVINCE_CODES
        )
    }
    if len(provinces) < len(PROVINCE_CODES):
        return 0
    ministry = User.objects.filter(phone=DEMO_ADMIN_PHONE, is_superuser=True).first()
    hanoi = _province_officer(provinces["01"])
    saigon = _province_officer(provinces["79"])
    if ministry is None or hanoi is None or saigon is None:
        return 0
    last_month = last_ended_period(PeriodKind.MONTH, timezone.localdate())
    with transaction.atomic():
        with acting(actor=hanoi):
            approved = services.report_open(
                user=hanoi, province=provinces["01"], period=last_month.previous()
            )
            services.report_update(
                user=hanoi,
                report=approved,
                summary="Các xã thí điểm đã tập huấn bán hàng trực tuyến cho hộ sản xuất.",
                difficulties="Nhiều hộ chưa xem đơn hàng thường xuyên.",
                proposals="Đề nghị hỗ trợ phí vận chuyển cho hàng mùa vụ.",
            )
            services.report_submit(user=hanoi, report=approved)
            draft = services.report_open(user=hanoi, province=provinces["01"], period=last_month)
            services.report_update(
                user=hanoi, report=draft, summary="Đang tổng hợp số liệu của các xã."
            )
        with acting(actor=ministry):
            services.report_approve(user=ministry, report=approved)
        with acting(actor=saigon):
            returned = services.report_open(
                user=saigon, province=provinces["79"], period=last_month
            )
            services.report_update(
                user=saigon, report=returned, summary="Số hộ đăng ký tăng ở các phường ven đô."
            )
            services.report_submit(user=saigon, report=returned)
        with acting(actor=ministry):
            services.report_return(
                user=ministry,
                report=returned,
                comment="Bổ sung số đơn hàng đã giao và giá trị bán theo từng xã, phường.",
            )
    return 3
