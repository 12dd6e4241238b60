"""Writing provincial reports: open a draft, write the narrative, and move it through
draft → submitted → approved, or → returned (with a comment) and back to submitted; and
remind the provinces before the deadline and the ministry after it.

Every step is checked (who, from which status, when), timestamped, attributed, recorded as
a :class:`ReportEvent` and in the audit trail, in one transaction. Services take ``now`` so
that tests can drive the clock.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nongsan.accounts.models import User
from nongsan.accounts.selectors import ministry_people, province_officers
from nongsan.audit.services import audit_record
from nongsan.common.formatting import format_date
from nongsan.geo.models import AdministrativeUnit
from nongsan.messaging.services import message_send_to_user
from nongsan.reports.conf import setting
from nongsan.reports.figures import unit_figures
from nongsan.reports.models import (
    COMMENT_MAX_LENGTH,
    NARRATIVE_FIELDS,
    NARRATIVE_LABELS,
    NARRATIVE_MAX_LENGTH,
    ProvincialReport,
    ReminderKind,
    ReportEvent,
    ReportReminder,
    ReportStatus,
)
from nongsan.reports.periods import Period, PeriodKind, last_ended_period
from nongsan.reports.permissions import can_open_report, decidable_reports, editable_reports

logger = logging.getLogger(__name__)

S = ReportStatus
# The only moves a report can make; anything else is refused.
TRANSITIONS = {
    (S.DRAFT, S.SUBMITTED),
    (S.RETURNED, S.SUBMITTED),
    (S.SUBMITTED, S.APPROVED),
    (S.SUBMITTED, S.RETURNED),
}
NOTICE_COMMENT_LENGTH = 200
MINISTRY_NOTICE_NAMES = 8


def _local_today(now: datetime.datetime) -> datetime.date:
    return timezone.localdate(now)


def _narrative_label(field: str) -> str:
    return str(NARRATIVE_LABELS[field])


def _checked_narrative(values: dict[str, Any]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    errors: dict[str, str] = {}
    for field, value in values.items():
        if field not in NARRATIVE_FIELDS:
            raise ValueError(f"not a narrative field: {field!r}")
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors[field] = _("Nội dung phải là văn bản.")
            continue
        text = value.replace("\r\n", "\n").strip()
        if "\x00" in text:
            errors[field] = _("Nội dung có ký tự không hợp lệ.")
        elif len(text) > NARRATIVE_MAX_LENGTH:
            errors[field] = _("Mục “%(field)s” dài %(length)d ký tự, tối đa %(limit)d ký tự.") % {
                "field": _narrative_label(field),
                "length": len(text),
                "limit": NARRATIVE_MAX_LENGTH,
            }
        cleaned[field] = text
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def report_open(
    *,
    user: User,
    province: AdministrativeUnit,
    period: Period,
    now: datetime.datetime | None = None,
) -> ProvincialReport:
    """A new draft for the province and period; one report per province and period."""
    now = now or timezone.now()
    if not can_open_report(user, province):
        raise PermissionDenied(_("Chỉ cán bộ của tỉnh mới lập được báo cáo của tỉnh."))
    if period.start > _local_today(now):
        raise ValidationError({"period": _("Kỳ báo cáo này chưa bắt đầu.")})
    existing = ProvincialReport.objects.filter(
        province=province, period_kind=period.kind, period_start=period.start
    )
    if existing.exists():
        raise ValidationError({"period": _("Tỉnh đã có báo cáo cho kỳ này.")})
    try:
        with transaction.atomic():
            report = ProvincialReport.objects.create(
                province=province,
                period_kind=period.kind,
                period_start=period.start,
                period_end=period.end,
                due_on=period.due_on,
                created_by=user,
                created_at=now,
                updated_at=now,
            )
    except IntegrityError as error:  # a colleague opened it at the same moment
        raise ValidationError({"period": _("Tỉnh đã có báo cáo cho kỳ này.")}) from error
    ReportEvent.objects.create(
        report=report, to_status=S.DRAFT, actor=user, occurred_at=now, province=province
    )
    audit_record(
        action="reports.report_open",
        target=report,
        changes={"status": [None, S.DRAFT], "period": [None, period.code]},
        actor=user,
    )
    return report


@transaction.atomic
def report_update(
    *, user: User, report: ProvincialReport, now: datetime.datetime | None = None, **narrative: Any
) -> ProvincialReport:
    """Change the narrative of a draft or returned report."""
    now = now or timezone.now()
    cleaned = _checked_narrative(narrative)
    locked = _locked(editable_reports(user), report)
    if not locked.is_editable:
        raise ValidationError(
            _("Báo cáo %(status)s không sửa được nữa.") % {"status": locked.get_status_display()}
        )
    changes = {
        field: [getattr(locked, field)[:100], text[:100]]
        for field, text in cleaned.items()
        if getattr(locked, field) != text
    }
    if not changes:
        return locked
    for field, text in cleaned.items():
        setattr(locked, field, text)
    locked.updated_at = now
    locked.save(update_fields=[*cleaned, "updated_at"])
    audit_record(action="reports.report_update", target=locked, changes=changes, actor=user)
    return locked


def _locked(allowed: Any, report: ProvincialReport) -> ProvincialReport:
    """The report row, locked for the change, if ``user`` may make it (403 otherwise)."""
    locked = allowed.select_for_update(of=("self",)).filter(pk=report.pk).first()
    if locked is None:
        raise PermissionDenied(_("Bạn không có quyền thực hiện việc này với báo cáo."))
    return locked


def _move(
    report: ProvincialReport,
    to_status: str,
    *,
    user: User,
    now: datetime.datetime,
    comment: str = "",
    fields: tuple[str, ...] = (),
) -> ProvincialReport:
    from_status = report.status
    if (from_status, to_status) not in TRANSITIONS:
        raise ValidationError(
            _("Không thể chuyển báo cáo từ “%(from)s” sang “%(to)s”.")
            % {"from": S(from_status).label, "to": S(to_status).label}
        )
    report.status = to_status
    report.updated_at = now
    report.save(update_fields=["status", "updated_at", *fields])
    ReportEvent.objects.create(
        report=report,
        from_status=from_status,
        to_status=to_status,
        actor=user,
        comment=comment,
        occurred_at=now,
        province=report.province,
    )
    action = {S.SUBMITTED: "submit", S.APPROVED: "approve", S.RETURNED: "return"}[S(to_status)]
    changes: dict[str, Any] = {"status": [from_status, to_status]}
    if comment:
        changes["comment"] = [None, comment[:300]]
    audit_record(action=f"reports.report_{action}", target=report, changes=changes, actor=user)
    return report


@transaction.atomic
def report_submit(
    *, user: User, report: ProvincialReport, now: datetime.datetime | None = None
) -> ProvincialReport:
    """Send the report to the ministry, freezing the figures as they are now."""
    now = now or timezone.now()
    locked = _locked(editable_reports(user), report)
    if locked.status in (S.DRAFT, S.RETURNED):
        if _local_today(now) <= locked.period_end:
            raise ValidationError(
                _("Kỳ báo cáo chưa kết thúc; nộp được từ ngày %(day)s.")
                % {"day": format_date(locked.period_end + datetime.timedelta(days=1))}
            )
        if not locked.summary.strip():
            raise ValidationError({"summary": _("Vui lòng viết tóm tắt kết quả trước khi nộp.")})
        locked.figures = unit_figures(
            unit=locked.province, start=locked.period_start, end=locked.period_end
        )
        locked.figures_taken_at = now
        locked.submitted_by = user
        locked.submitted_at = now
    return _move(
        locked,
        S.SUBMITTED,
        user=user,
        now=now,
        fields=("figures", "figures_taken_at", "submitted_by", "submitted_at"),
    )


@transaction.atomic
def report_approve(
    *, user: User, report: ProvincialReport, now: datetime.datetime | None = None
) -> ProvincialReport:
    now = now or timezone.now()
    locked = _locked(decidable_reports(user), report)
    if locked.status == S.SUBMITTED:
        locked.decided_by = user
        locked.decided_at = now
    moved = _move(locked, S.APPROVED, user=user, now=now, fields=("decided_by", "decided_at"))
    _tell_submitter(
        moved,
        _("Nông Sàn: Bộ đã duyệt báo cáo %(period)s của %(province)s."),
    )
    return moved


@transaction.atomic
def report_return(
    *,
    user: User,
    report: ProvincialReport,
    comment: str,
    now: datetime.datetime | None = None,
) -> ProvincialReport:
    """Send the report back to the province with the reason; it becomes editable again."""
    now = now or timezone.now()
    text = (comment or "").strip() if isinstance(comment, str) else ""
    if not text:
        raise ValidationError({"comment": _("Vui lòng ghi lý do trả lại báo cáo.")})
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {
                "comment": _("Lý do trả lại dài tối đa %(limit)d ký tự.")
                % {"limit": COMMENT_MAX_LENGTH}
            }
        )
    locked = _locked(decidable_reports(user), report)
    if locked.status == S.SUBMITTED:
        locked.decided_by = user
        locked.decided_at = now
        locked.return_comment = text
    moved = _move(
        locked,
        S.RETURNED,
        user=user,
        now=now,
        comment=text,
        fields=("decided_by", "decided_at", "return_comment"),
    )
    shortened = (
        text if len(text) <= NOTICE_COMMENT_LENGTH else text[: NOTICE_COMMENT_LENGTH - 1] + "…"
    )
    _tell_submitter(
        moved,
        _("Nông Sàn: Bộ trả lại báo cáo %(period)s của %(province)s: %(comment)s"),
        comment=shortened,
    )
    return moved


def _send(user: User, body: str, purpose: str) -> bool:
    try:
        return bool(message_send_to_user(user=user, body=body, purpose=purpose))
    except ValidationError:
        # A number SMS cannot reach must not undo the officer's step.
        logger.warning("report notice %s not sent to user %s", purpose, user.pk)
        return False


def _tell_submitter(report: ProvincialReport, text: str, **values: str) -> None:
    person = report.submitted_by
    if person is None or not person.is_active:
        return
    with translation.override(person.preferred_language):
        body = text % {
            "period": report.period.label,
            "province": report.province.name,
            **values,
        }
    _send(person, body, "report_decision")


# -- reminders ---------------------------------------------------------------------------
def _handed_in(period: Period) -> set[int]:
    return set(
        ProvincialReport.objects.filter(
            period_kind=period.kind,
            period_start=period.start,
            status__in=[S.SUBMITTED, S.APPROVED],
        ).values_list("province_id", flat=True)
    )


def _already_sent(period: Period, kind: str) -> set[int]:
    return set(
        ReportReminder.objects.filter(
            period_kind=period.kind, period_start=period.start, kind=kind
        ).values_list("province_id", flat=True)
    )


def _claim(
    province_id: int, period: Period, kind: str, now: datetime.datetime
) -> ReportReminder | None:
    """Record the reminder before sending it; a second worker finds it taken."""
    reminder, created = ReportReminder.objects.get_or_create(
        province_id=province_id,
        period_kind=period.kind,
        period_start=period.start,
        kind=kind,
        defaults={"sent_at": now},
    )
    return reminder if created else None


def _remind_provinces(
    period: Period, officers: dict[int, list[User]], now: datetime.datetime
) -> int:
    waiting = set(officers) - _handed_in(period) - _already_sent(period, ReminderKind.DUE_SOON)
    names = dict(
        AdministrativeUnit.objects.filter(pk__in=sorted(waiting)).values_list("pk", "name")
    )
    reminded = 0
    for province_id in sorted(waiting):
        with transaction.atomic():
            reminder = _claim(province_id, period, ReminderKind.DUE_SOON, now)
            if reminder is None:
                continue
            for person in officers[province_id]:
                with translation.override(person.preferred_language):
                    body = _(
                        "Nông Sàn: báo cáo %(period)s của %(province)s cần nộp trước hết ngày "
                        "%(due)s. Vui lòng hoàn thành và nộp trên Nông Sàn."
                    ) % {
                        "period": period.label,
                        "province": names[province_id],
                        "due": format_date(period.due_on),
                    }
                reminder.recipients += int(_send(person, body, "report_due_soon"))
            reminder.save(update_fields=["recipients"])
            reminded += 1
    return reminded


def _tell_ministry(period: Period, officers: dict[int, list[User]], now: datetime.datetime) -> int:
    late = sorted(set(officers) - _handed_in(period) - _already_sent(period, ReminderKind.OVERDUE))
    if not late:
        return 0
    with transaction.atomic():
        claimed = [
            reminder
            for province_id in late
            if (reminder := _claim(province_id, period, ReminderKind.OVERDUE, now)) is not None
        ]
        if not claimed:
            return 0
        names = list(
            AdministrativeUnit.objects.filter(pk__in=[row.province_id for row in claimed])
            .order_by("code")
            .values_list("name", flat=True)
        )
        listed = ", ".join(names[:MINISTRY_NOTICE_NAMES])
        sent = 0
        for person in ministry_people():
            with translation.override(person.preferred_language):
                if len(names) > MINISTRY_NOTICE_NAMES:
                    listed_text = _("%(names)s và %(more)d tỉnh khác") % {
                        "names": listed,
                        "more": len(names) - MINISTRY_NOTICE_NAMES,
                    }
                else:
                    listed_text = listed
                body = _(
                    "Nông Sàn: %(count)d tỉnh chưa nộp báo cáo %(period)s (hạn %(due)s): %(names)s."
                ) % {
                    "count": len(names),
                    "period": period.label,
                    "due": format_date(period.due_on),
                    "names": listed_text,
                }
            sent += int(_send(person, body, "report_overdue"))
        for reminder in claimed:
            reminder.recipients = sent
            reminder.save(update_fields=["recipients"])
    return len(claimed)


def reports_remind(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind the officers of each province that has not handed in the report of the period
    just ended, from ``REPORT_REMIND_DAYS_BEFORE`` days before its deadline until it; once the
    deadline has passed (until the next period ends), tell the ministry which provinces are
    late. Each message goes once per province and period. Only the latest ended month and
    quarter are chased, so a platform started mid-programme does not report years of
    "late" reports; provinces without an officer on the platform are not chased."""
    now = now or timezone.now()
    today = _local_today(now)
    officers = province_officers()
    counts = {"due_soon": 0, "overdue": 0}
    remind_from = datetime.timedelta(days=setting("REPORT_REMIND_DAYS_BEFORE"))
    for kind in PeriodKind.values:
        period = last_ended_period(kind, today)
        if period.due_on - remind_from <= today <= period.due_on:
            counts["due_soon"] += _remind_provinces(period, officers, now)
        elif today > period.due_on:
            counts["overdue"] += _tell_ministry(period, officers, now)
    return counts
