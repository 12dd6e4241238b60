"""Demo reports for seed_demo: officers who can sign in and reports in three states, once."""

from __future__ import annotations

import pytest

from nongsan.accounts.demo import DEMO_ADMIN_PHONE, DEMO_PASSWORD
from nongsan.accounts.models import User
from nongsan.producers.tests.factories import make_user
from nongsan.reports.demo import seed_reports
from nongsan.reports.models import ProvincialReport, ReportStatus
from nongsan.reports.permissions import is_ministry, visible_reports

pytestmark = pytest.mark.django_db


def test_demo_reports_are_in_different_states_and_seeded_once(admin_units, settings):
    settings.REPORT_FIGURES_PROVIDER = "nongsan.reports.figures.platform_unit_figures"
    assert seed_reports() == 0  # nobody to act yet
    make_user(phone=DEMO_ADMIN_PHONE, is_superuser=True, is_staff=True)
    people = sorted(make_user(password=None).phone for _ in range(3))
    assert seed_reports() == 3
    assert seed_reports() == 0
    statuses = sorted(ProvincialReport.objects.values_list("province__code", "status"))
    assert statuses == [
        ("01", ReportStatus.APPROVED),
        ("01", ReportStatus.DRAFT),
        ("79", ReportStatus.RETURNED),
    ]
    approved = ProvincialReport.objects.get(status=ReportStatus.APPROVED)
    assert [row["code"] for row in approved.figures][:2] == [
        "households_registered",
        "households_new",
    ]
    assert is_ministry(User.objects.get(phone=DEMO_ADMIN_PHONE))
    hanoi = ProvincialReport.objects.get(province__code="01", status="approved").created_by
    assert hanoi.phone == people[0]
    assert hanoi.check_password(DEMO_PASSWORD)
    assert set(visible_reports(hanoi).values_list("province__code", flat=True)) == {"01"}
    assert User.objects.count() == 4  # nobody new: existing demo people became officers
