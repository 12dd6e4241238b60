"""Deadlines and reminders on a driven clock: province officers are reminded from
REPORT_REMIND_DAYS_BEFORE days before the deadline (Vietnam dates), once; after the
deadline the ministry is told which provinces are late, once; handed-in reports stop both."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from nongsan.messaging.models import OutboundMessage
from nongsan.reports import services
from nongsan.reports.models import ReminderKind, ReportReminder
from nongsan.reports.periods import Period, PeriodKind
from nongsan.reports.tests.factories import (
    draft,
    ministry_officer,
    province,
    province_officer,
    submitted,
)

pytestmark = pytest.mark.django_db
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
APRIL = Period(kind=PeriodKind.MONTH, start=datetime.date(2026, 4, 1))
FIRST_QUARTER = Period(kind=PeriodKind.QUARTER, start=datetime.date(2026, 1, 1))


def vn(day: int, hour: int = 8, minute: int = 0, month: int = 5) -> datetime.datetime:
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=VIETNAM)


def _bodies(purpose: str) -> list[str]:
    return list(OutboundMessage.objects.filter(purpose=purpose).values_list("body", flat=True))


@pytest.fixture
def provinces():
    late = province(name="Tỉnh Chậm Nộp")
    on_time = province(name="Tỉnh Đúng Hạn")
    unstaffed = province(name="Tỉnh Chưa Có Cán Bộ")
    late_officers = [province_officer(late), province_officer(late)]
    on_time_officer = province_officer(on_time)
    submitted(on_time, officer=on_time_officer, period=APRIL, now=vn(1, month=5))
    # Both handed in the first quarter, so only April's report is chased in May.
    submitted(late, officer=late_officers[0], period=FIRST_QUARTER, now=vn(1, month=5))
    submitted(on_time, officer=on_time_officer, period=FIRST_QUARTER, now=vn(1, month=5))
    return {
        "on_time_officer": on_time_officer,
        "late": late,
        "on_time": on_time,
        "unstaffed": unstaffed,
        "late_officers": late_officers,
        "ministry": ministry_officer(),
    }


def test_the_deadline_is_the_configured_day_of_the_next_month(settings):
    assert APRIL.due_on == datetime.date(2026, 5, 5)
    settings.REPORT_DEADLINE_DAY = 10
    assert APRIL.due_on == datetime.date(2026, 5, 10)
    quarter = Period(kind=PeriodKind.QUARTER, start=datetime.date(2026, 10, 1))
    assert quarter.due_on == datetime.date(2027, 1, 10)


def test_nothing_is_sent_before_the_reminder_window(provinces):
    counts = services.reports_remind(now=vn(1, 23, 59))
    assert counts == {"due_soon": 0, "overdue": 0}
    assert not OutboundMessage.objects.exists()


def test_province_officers_are_reminded_once_when_the_window_opens(provinces):
    counts = services.reports_remind(now=vn(2, 0, 1))
    assert counts == {"due_soon": 1, "overdue": 0}
    messages = OutboundMessage.objects.filter(purpose="report_due_soon")
    assert sorted(messages.values_list("recipient", flat=True)) == sorted(
        person.phone for person in provinces["late_officers"]
    )
    body = messages.earliest("pk").body
    assert "Tháng 04/2026" in body
    assert "Tỉnh Chậm Nộp" in body
    assert "05/05/2026" in body
    reminder = ReportReminder.objects.get(kind=ReminderKind.DUE_SOON)
    assert (reminder.province, reminder.recipients) == (provinces["late"], 2)
    # The next days of the window send nothing again.
    assert services.reports_remind(now=vn(4)) == {"due_soon": 0, "overdue": 0}
    assert messages.count() == 2


def test_a_draft_is_still_reminded_a_submitted_report_is_not(provinces):
    draft(provinces["late"], officer=provinces["late_officers"][0], period=APRIL, now=vn(1))
    services.reports_remind(now=vn(3))
    recipients = set(
        OutboundMessage.objects.filter(purpose="report_due_soon").values_list(
            "recipient", flat=True
        )
    )
    assert recipients == {person.phone for person in provinces["late_officers"]}
    assert provinces["on_time_officer"].phone not in recipients


def test_on_the_deadline_day_it_is_not_yet_late(provinces):
    services.reports_remind(now=vn(5, 23, 59))
    assert _bodies("report_overdue") == []


def test_the_ministry_is_told_once_of_late_provinces_after_the_deadline(provinces):
    counts = services.reports_remind(now=vn(6, 0, 1))
    assert counts["overdue"] == 1
    (body,) = _bodies("report_overdue")
    assert "1 tỉnh chưa nộp báo cáo Tháng 04/2026" in body
    assert "Tỉnh Chậm Nộp" in body
    assert "Tỉnh Đúng Hạn" not in body
    assert "Tỉnh Chưa Có Cán Bộ" not in body
    assert OutboundMessage.objects.get(purpose="report_overdue").recipient == (
        provinces["ministry"].phone
    )
    assert services.reports_remind(now=vn(7)) == {"due_soon": 0, "overdue": 0}
    assert len(_bodies("report_overdue")) == 1


def test_a_late_report_handed_in_before_the_check_is_not_reported(provinces):
    submitted(provinces["late"], officer=provinces["late_officers"][0], period=APRIL, now=vn(5, 20))
    services.reports_remind(now=vn(6))
    assert _bodies("report_overdue") == []


def test_a_quarter_is_reminded_with_its_own_label():
    unit = province(name="Tỉnh Quý")
    province_officer(unit)
    services.reports_remind(now=vn(3, month=4))
    bodies = _bodies("report_due_soon")
    assert any("Quý I/2026" in body for body in bodies)
    assert any("Tháng 03/2026" in body for body in bodies)


def test_the_command_takes_a_time_and_refuses_a_naive_one(provinces, capsys):
    call_command("remind_reports", "--now", "2026-05-02T08:00+07:00")
    assert "Đã nhắc 1 tỉnh" in capsys.readouterr().out
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="múi giờ"):
        call_command("remind_reports", "--now", "2026-05-02T08:00")
    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("remind_reports", "--now", "ngày mai")


def test_the_task_runs_the_reminders_at_the_current_time(provinces, monkeypatch):
    from nongsan.reports.tasks import reports_remind_task

    monkeypatch.setattr("django.utils.timezone.now", lambda: vn(2))
    result = reports_remind_task.enqueue()
    assert result.return_value == {"due_soon": 1, "overdue": 0}
    assert len(_bodies("report_due_soon")) == 2
