"""The report workflow: draft → submitted → approved, or → returned (with a comment) → draft-
editable → submitted again; every other move refused; each step timestamped, attributed,
recorded as an event and in the audit trail; the figures frozen at submission."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nongsan.audit.models import AuditEntry
from nongsan.messaging.models import OutboundMessage
from nongsan.reports import services
from nongsan.reports.models import NARRATIVE_MAX_LENGTH, ProvincialReport, ReportStatus
from nongsan.reports.periods import Period, PeriodKind
from nongsan.reports.tests import providers
from nongsan.reports.tests.factories import (
    APRIL_2,
    MARCH,
    draft,
    ministry_officer,
    province,
    province_officer,
    submitted,
)

pytestmark = pytest.mark.django_db
S = ReportStatus
LATER = APRIL_2 + datetime.timedelta(hours=3)


def _at(report: ProvincialReport, status: str) -> ProvincialReport:
    """A report of a new province brought to ``status`` through the services."""
    ministry = ministry_officer()
    if status == S.DRAFT:
        return report
    officer = report.created_by
    assert officer is not None
    report = services.report_submit(user=officer, report=report, now=APRIL_2)
    if status == S.APPROVED:
        return services.report_approve(user=ministry, report=report, now=LATER)
    if status == S.RETURNED:
        return services.report_return(
            user=ministry, report=report, comment="Thiếu số liệu", now=LATER
        )
    return report


def test_open_makes_a_draft_with_its_period_deadline_and_first_event():
    unit = province()
    officer = province_officer(unit)
    report = services.report_open(user=officer, province=unit, period=MARCH, now=APRIL_2)
    assert report.status == S.DRAFT
    assert (report.period_start, report.period_end) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 3, 31),
    )
    assert report.due_on == datetime.date(2026, 4, 5)
    assert report.created_by == officer
    assert list(report.events.values_list("from_status", "to_status")) == [("", S.DRAFT)]
    assert AuditEntry.objects.filter(
        action="reports.report_open", target_id=str(report.pk)
    ).exists()


def test_one_report_per_province_and_period():
    unit = province()
    officer = province_officer(unit)
    draft(unit, officer=officer)
    with pytest.raises(ValidationError, match="đã có báo cáo cho kỳ này"):
        services.report_open(user=officer, province=unit, period=MARCH, now=APRIL_2)


def test_a_future_period_cannot_be_opened():
    unit = province()
    may = Period(kind=PeriodKind.MONTH, start=datetime.date(2026, 5, 1))
    with pytest.raises(ValidationError, match="chưa bắt đầu"):
        services.report_open(user=province_officer(unit), province=unit, period=may, now=APRIL_2)


def test_submit_freezes_the_figures_and_records_who_and_when():
    unit = province()
    officer = province_officer(unit)
    report = services.report_submit(user=officer, report=draft(unit, officer=officer), now=APRIL_2)
    assert report.status == S.SUBMITTED
    assert report.submitted_by == officer
    assert report.submitted_at == APRIL_2
    assert report.figures_taken_at == APRIL_2
    assert [row["value"] for row in report.figures] == [1200, 45_500_000]
    assert providers.CALLS[-1] == {
        "unit": unit.pk,
        "start": datetime.date(2026, 3, 1),
        "end": datetime.date(2026, 3, 31),
        "geography": "current",
    }
    event = report.events.get(to_status=S.SUBMITTED)
    assert (event.from_status, event.to_status, event.actor, event.occurred_at) == (
        S.DRAFT,
        S.SUBMITTED,
        officer,
        APRIL_2,
    )
    entry = AuditEntry.objects.get(action="reports.report_submit")
    assert entry.changes["status"] == [S.DRAFT, S.SUBMITTED]
    assert entry.actor == officer
    assert entry.province_id == unit.pk


def test_approve_records_the_ministry_and_tells_the_submitter():
    unit = province()
    report = submitted(unit)
    ministry = ministry_officer()
    approved = services.report_approve(user=ministry, report=report, now=LATER)
    assert approved.status == S.APPROVED
    assert (approved.decided_by, approved.decided_at) == (ministry, LATER)
    assert AuditEntry.objects.filter(action="reports.report_approve", actor=ministry).exists()
    notice = OutboundMessage.objects.get(purpose="report_decision")
    assert "đã duyệt" in notice.body
    assert notice.recipient == report.submitted_by.phone


def test_return_needs_a_comment_keeps_it_and_makes_the_report_editable_again():
    unit = province()
    officer = province_officer(unit)
    report = submitted(unit, officer=officer)
    ministry = ministry_officer()
    with pytest.raises(ValidationError, match="lý do trả lại"):
        services.report_return(user=ministry, report=report, comment="   ", now=LATER)
    returned = services.report_return(
        user=ministry, report=report, comment="Thiếu số hộ đã tập huấn.", now=LATER
    )
    assert returned.status == S.RETURNED
    assert returned.return_comment == "Thiếu số hộ đã tập huấn."
    assert returned.events.get(to_status=S.RETURNED).comment == "Thiếu số hộ đã tập huấn."
    assert "Thiếu số hộ đã tập huấn." in OutboundMessage.objects.get(purpose="report_decision").body
    edited = services.report_update(
        user=officer, report=returned, summary="Đã bổ sung: 120 hộ được tập huấn.", now=LATER
    )
    assert edited.summary.startswith("Đã bổ sung")
    providers.VALUES["households_registered"] = 1300
    again = services.report_submit(user=officer, report=edited, now=LATER)
    assert again.status == S.SUBMITTED
    assert again.figures[0]["value"] == 1300  # a new submission takes the figures anew
    assert list(again.events.values_list("to_status", flat=True)) == [
        S.DRAFT,
        S.SUBMITTED,
        S.RETURNED,
        S.SUBMITTED,
    ]


def test_a_return_comment_has_a_length_limit():
    report = submitted(province())
    with pytest.raises(ValidationError, match="tối đa 2000 ký tự"):
        services.report_return(user=ministry_officer(), report=report, comment="x" * 2001)
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


LEGAL = {
    (S.DRAFT, S.SUBMITTED),
    (S.RETURNED, S.SUBMITTED),
    (S.SUBMITTED, S.APPROVED),
    (S.SUBMITTED, S.RETURNED),
}
ALL_MOVES = [
    (before, after) for before in S.values for after in (S.SUBMITTED, S.APPROVED, S.RETURNED)
]


@pytest.mark.parametrize(("before", "after"), ALL_MOVES)
def test_every_move_is_allowed_exactly_when_it_is_legal(before, after):
    unit = province()
    report = _at(draft(unit), before)
    assert report.status == before
    officer = report.created_by
    ministry = ministry_officer()
    move = {
        S.SUBMITTED: lambda: services.report_submit(user=officer, report=report, now=LATER),
        S.APPROVED: lambda: services.report_approve(user=ministry, report=report, now=LATER),
        S.RETURNED: lambda: services.report_return(
            user=ministry, report=report, comment="Sửa lại", now=LATER
        ),
    }[after]
    events_before = report.events.count()
    if (before, after) in LEGAL:
        assert move().status == after
        assert report.events.count() == events_before + 1
    else:
        with pytest.raises(ValidationError, match="Không thể chuyển báo cáo"):
            move()
        report.refresh_from_db()
        assert report.status == before
        assert report.events.count() == events_before


def test_the_province_cannot_approve_or_return_and_the_ministry_cannot_submit_or_write():
    unit = province()
    officer = province_officer(unit)
    report = submitted(unit, officer=officer)
    with pytest.raises(PermissionDenied):
        services.report_approve(user=officer, report=report, now=LATER)
    with pytest.raises(PermissionDenied):
        services.report_return(user=officer, report=report, comment="tự trả", now=LATER)
    ministry = ministry_officer()
    other = draft(province())
    with pytest.raises(PermissionDenied):
        services.report_submit(user=ministry, report=other, now=LATER)
    with pytest.raises(PermissionDenied):
        services.report_update(user=ministry, report=other, summary="Bộ viết hộ")
    with pytest.raises(PermissionDenied):
        services.report_open(user=ministry, province=unit, period=MARCH.previous(), now=LATER)


def test_another_provinces_officer_can_do_nothing_with_the_report():
    report = draft(province())
    stranger = province_officer(province())
    with pytest.raises(PermissionDenied):
        services.report_update(user=stranger, report=report, summary="Không phải tỉnh tôi")
    with pytest.raises(PermissionDenied):
        services.report_submit(user=stranger, report=report, now=LATER)


def test_a_submitted_or_approved_report_cannot_be_edited():
    unit = province()
    officer = province_officer(unit)
    report = submitted(unit, officer=officer)
    with pytest.raises(ValidationError, match="không sửa được nữa"):
        services.report_update(user=officer, report=report, summary="Sửa sau khi nộp")
    report.refresh_from_db()
    assert report.summary == "Tháng 3 các xã đã tập huấn cho 120 hộ."


def test_the_snapshot_stays_unchanged_after_approval_even_when_the_figures_change():
    unit = province()
    report = submitted(unit)
    approved = services.report_approve(user=ministry_officer(), report=report, now=LATER)
    frozen = list(approved.figures)
    providers.VALUES["households_registered"] = 9999
    providers.VALUES["gross_sales_vnd"] = 1
    approved.refresh_from_db()
    assert approved.figures == frozen
    from nongsan.reports.selectors import report_figures

    shown, is_frozen = report_figures(approved)
    assert is_frozen
    assert [row["value"] for row in shown] == [1200, 45_500_000]


def test_a_draft_shows_the_live_figures():
    from nongsan.reports.selectors import report_figures

    report = draft(province())
    providers.VALUES["households_registered"] = 1500
    shown, is_frozen = report_figures(report)
    assert not is_frozen
    assert shown[0]["value"] == 1500


def test_a_period_not_yet_over_cannot_be_submitted():
    unit = province()
    officer = province_officer(unit)
    april = Period(kind=PeriodKind.MONTH, start=datetime.date(2026, 4, 1))
    report = draft(unit, officer=officer, period=april)
    with pytest.raises(ValidationError, match="chưa kết thúc; nộp được từ ngày 01/05/2026"):
        services.report_submit(user=officer, report=report, now=APRIL_2)


def test_an_empty_summary_cannot_be_submitted():
    unit = province()
    officer = province_officer(unit)
    report = draft(unit, officer=officer, summary="  ")
    with pytest.raises(ValidationError, match="tóm tắt kết quả"):
        services.report_submit(user=officer, report=report, now=APRIL_2)
    report.refresh_from_db()
    assert report.status == S.DRAFT
    assert report.figures == []


def test_an_oversized_narrative_is_refused_naming_the_field_and_nothing_is_written():
    unit = province()
    officer = province_officer(unit)
    report = draft(unit, officer=officer)
    with pytest.raises(ValidationError) as refusal:
        services.report_update(
            user=officer,
            report=report,
            summary="Tóm tắt mới",
            difficulties="x" * (NARRATIVE_MAX_LENGTH + 1),
        )
    assert "khó khăn, vướng mắc" in refusal.value.message_dict["difficulties"][0]
    assert "tối đa 5000 ký tự" in refusal.value.message_dict["difficulties"][0]
    report.refresh_from_db()
    assert report.summary == "Tháng 3 các xã đã tập huấn cho 120 hộ."


def test_a_narrative_that_is_not_text_or_holds_a_nul_is_refused():
    unit = province()
    officer = province_officer(unit)
    report = draft(unit, officer=officer)
    with pytest.raises(ValidationError, match="phải là văn bản"):
        services.report_update(user=officer, report=report, summary=["danh", "sách"])
    with pytest.raises(ValidationError, match="ký tự không hợp lệ"):
        services.report_update(user=officer, report=report, summary="a\x00b")


def test_a_provider_that_breaks_its_contract_stops_the_submission(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.REPORT_FIGURES_PROVIDER = "nongsan.reports.tests.providers.broken_figures"
    unit = province()
    officer = province_officer(unit)
    report = draft(unit, officer=officer)
    with pytest.raises(ImproperlyConfigured, match="broke its contract"):
        services.report_submit(user=officer, report=report, now=APRIL_2)
    report.refresh_from_db()
    assert report.status == S.DRAFT


def test_a_report_opened_twice_at_once_is_refused_not_crashed(monkeypatch):
    """The second of two simultaneous opens passes the existence check and meets the
    database's unique constraint; it gets the same Vietnamese refusal."""
    unit = province()
    officer = province_officer(unit)
    draft(unit, officer=officer)
    monkeypatch.setattr(
        "nongsan.reports.services.ProvincialReport.objects.filter",
        lambda **kwargs: ProvincialReport.objects.none(),
    )
    with pytest.raises(ValidationError, match="đã có báo cáo cho kỳ này"):
        services.report_open(user=officer, province=unit, period=MARCH, now=APRIL_2)
    assert ProvincialReport.objects.count() == 1
