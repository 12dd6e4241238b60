"""Writes of the onboarding programme: stage moves, training, tech teams. Every one audited.

The stage rules live in :func:`stage_record`: a stage never goes backwards without a reason,
a forward jump is recorded with the stages it skipped, and recording the same stage on the
same day again changes nothing (partners retry). Two callers feed it besides people:
:func:`attendance_record` (attending a session makes a household "trained") and
:func:`stage_derive_from_activity`, the one entry point the listings and orders apps call to
derive the listing and sale stages of this platform.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nongsan.audit.services import audit_record
from nongsan.common.formatting import format_date
from nongsan.common.text import normalize_spaces
from nongsan.geo.models import AdministrativeUnit, UnitLevel
from nongsan.onboarding.models import (
    ACTIVE_SELLER_DAYS,
    DERIVED_ON_THIS_PLATFORM,
    STAGE_ORDER,
    STAGE_RANK,
    Attendance,
    Channel,
    ChannelStage,
    CommunityTechTeam,
    Course,
    CourseMaterial,
    Organiser,
    Stage,
    StageEvent,
    StageSource,
    TeamRole,
    TechTeamMember,
    Trainer,
    TrainingSession,
)
from nongsan.onboarding.permissions import (
    can_manage_courses,
    can_work_in,
    editable_sessions,
    editable_stage_households,
    editable_tech_teams,
)
from nongsan.producers.models import ConsentPurpose, Household, Purpose
from nongsan.producers.selectors import household_consent_given

REASON_MAX_LENGTH = 300


class StageRecording(NamedTuple):
    """The event a recording made, or the one it repeated (``created`` False)."""

    event: StageEvent | None
    created: bool


def _today(today: datetime.date | None) -> datetime.date:
    return today if today is not None else timezone.localdate()


def _skipped(from_rank: int, to_rank: int) -> list[str]:
    """The stages strictly between two ranks, when a household jumps forward."""
    return list(STAGE_ORDER[from_rank : to_rank - 1]) if to_rank > from_rank + 1 else []


def _check_recordable(
    *,
    household: Household,
    channel: Channel,
    stage: str,
    occurred_on: Any,
    source: str,
    reason: str,
    today: datetime.date,
) -> None:
    errors: dict[str, list[str]] = {}
    if stage not in STAGE_RANK:
        errors["stage"] = [_("Giai đoạn không hợp lệ.")]
    if not isinstance(occurred_on, datetime.date) or isinstance(occurred_on, datetime.datetime):
        errors["occurred_on"] = [_("Ngày xảy ra phải là một ngày (dd/mm/yyyy).")]
    elif occurred_on > today:
        errors["occurred_on"] = [_("Ngày xảy ra không được ở tương lai.")]
    if source not in StageSource.values:
        errors["source"] = [_("Nguồn ghi nhận không hợp lệ.")]
    if len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = [_("Lý do dài tối đa 300 ký tự.")]
    if not channel.is_active:
        errors["channel"] = [_("Kênh này đã ngừng sử dụng.")]
    if (
        channel.is_this_platform
        and stage in DERIVED_ON_THIS_PLATFORM
        and source != StageSource.DERIVED
    ):
        errors["stage"] = [
            _(
                "Trên nền tảng này, giai đoạn đăng bán và bán hàng được suy ra từ tin đăng và "
                "đơn hàng thật, không ghi tay."
            )
        ]
    if not household.is_active:
        errors["household"] = [_("Hộ này không còn hoạt động (đã gộp hoặc đã xoá dữ liệu).")]
    elif source != StageSource.DERIVED and not household_consent_given(household, Purpose.REGISTRY):
        errors["household"] = [
            _(
                "Hộ đã rút lại sự đồng ý lưu trong sổ đăng ký: không được ghi nhận thêm giai "
                "đoạn cho hộ."
            )
        ]
    if errors:
        raise ValidationError(errors)


def _is_replay(
    current: ChannelStage | None, key: Mapping[str, Any], reason: str
) -> StageEvent | None:
    """The earlier event a retry repeats (same household, channel, stage and day), or None
    when the recording is a new move.

    The household must not have fallen below that stage since. The retry is of the latest
    event of the household on the channel, with the same reason; or, for a recording without
    a reason, of an earlier forward move (a partner retrying after the household moved on:
    without a reason it could not be a move back anyway). A recording with a reason that
    matches an older event only is a deliberate move back (trained → account created by
    mistake → trained again, "ghi nhầm", the same day).
    """
    if current is None or current.rank < STAGE_RANK[key["to_stage"]]:
        return None
    latest = (
        StageEvent.objects.filter(household=key["household"], channel=key["channel"])
        .order_by("-pk")
        .first()
    )
    if (
        latest is not None
        and all(getattr(latest, field) == value for field, value in key.items())
        and latest.reason == reason
    ):
        return latest
    if reason:
        return None
    return StageEvent.objects.filter(**key, is_backward=False).order_by("-pk").first()


@transaction.atomic
def stage_record(
    *,
    household: Household,
    channel: Channel,
    stage: str,
    occurred_on: datetime.date,
    recorded_by: Any,
    source: str = StageSource.OFFICER,
    reason: str = "",
    today: datetime.date | None = None,
) -> StageRecording:
    """Move a household to ``stage`` on ``channel`` (forward, a jump, or back with a reason).

    People and partners call it through pages and the API (``recorded_by`` must be allowed to
    record the household's stages); the system calls it with ``source="derived"`` and no
    ``recorded_by``. Recording the stage the household already has is no change.
    """
    reason = normalize_spaces(reason or "")
    today = _today(today)
    _check_recordable(
        household=household,
        channel=channel,
        stage=stage,
        occurred_on=occurred_on,
        source=source,
        reason=reason,
        today=today,
    )
    if source != StageSource.DERIVED and (
        recorded_by is None
        or not editable_stage_households(recorded_by).filter(pk=household.pk).exists()
    ):
        raise PermissionDenied(_("Bạn không được ghi nhận giai đoạn cho hộ này."))
    if source == StageSource.PARTNER and (
        channel.is_this_platform or recorded_by is None or channel.partner_id != recorded_by.pk
    ):
        raise PermissionDenied(
            _("Nền tảng đối tác chỉ được ghi nhận giai đoạn trên kênh của chính mình.")
        )
    current = (
        ChannelStage.objects.select_for_update()
        .filter(household=household, channel=channel)
        .first()
    )
    key = {
        "household": household,
        "channel": channel,
        "to_stage": stage,
        "occurred_on": occurred_on,
    }
    replayed = _is_replay(current, key, reason)
    if replayed is not None:
        return StageRecording(replayed, created=False)
    to_rank = STAGE_RANK[stage]
    from_rank = current.rank if current is not None else 0
    if to_rank == from_rank:
        return StageRecording(
            StageEvent.objects.filter(household=household, channel=channel)
            .order_by("-occurred_on", "-pk")
            .first(),
            created=False,
        )
    is_backward = to_rank < from_rank
    if is_backward and not reason:
        raise ValidationError(
            {
                "reason": [
                    _(
                        "Không thể lùi giai đoạn khi chưa ghi lý do (đang ở “%(current)s”, "
                        "muốn chuyển về “%(stage)s”)."
                    )
                    % {
                        "current": Stage(current.stage).label if current else "",
                        "stage": Stage(stage).label,
                    }
                ]
            }
        )
    recorder = recorded_by if source != StageSource.DERIVED else None
    event = StageEvent.objects.create(
        household=household,
        channel=channel,
        from_stage=current.stage if current is not None else "",
        to_stage=stage,
        skipped_stages=_skipped(from_rank, to_rank),
        is_backward=is_backward,
        occurred_on=occurred_on,
        source=source,
        reason=reason,
        recorded_by=recorder,
        province_id=household.province_id,
        commune_id=household.commune_id,
    )
    if current is None:
        current = ChannelStage(household=household, channel=channel)
    current.stage = stage
    current.rank = to_rank
    current.reached_on = occurred_on
    current.source = source
    current.recorded_by = recorder
    current.province_id = household.province_id
    current.commune_id = household.commune_id
    current.updated_at = timezone.now()
    current.save()
    audit_record(
        action="onboarding.stage_record",
        target=event,
        actor=recorder,
        changes={
            "stage": [event.from_stage, stage],
            "channel": [None, channel.code],
            "skipped_stages": [None, event.skipped_stages],
            "reason": [None, reason],
        },
    )
    return StageRecording(event, created=True)


def stage_derive_from_activity(
    *,
    household: Household,
    channel: Channel,
    has_listing: bool,
    first_sale_on: datetime.date | None,
    last_sale_on: datetime.date | None,
    today: datetime.date,
) -> StageRecording:
    """The listings and orders apps' one way to set the listing and sale stages of a household.

    Call it whenever a household's first listing appears, an order of theirs is delivered, or
    daily for active sellers (the lapse needs no new activity). It moves the stage forward to
    what the activity shows (first listing, first sale, active seller = a sale in the last
    90 days) and never backward, except that an active seller whose last sale is older than
    90 days lapses to "first sale" — a backward move the system records with its reason.

    An erased or merged household has left the funnel: its stages stay as they were and no
    activity moves them (a delivery or the daily lapse reaching one is no error).
    """
    if not household.is_active:
        return StageRecording(None, created=False)
    if first_sale_on is not None and last_sale_on is not None and last_sale_on < first_sale_on:
        raise ValidationError(
            {"last_sale_on": [_("Ngày bán gần nhất không được trước ngày bán đầu tiên.")]}
        )
    last_sale_on = last_sale_on or first_sale_on
    first_sale_on = first_sale_on or last_sale_on
    is_active_seller = last_sale_on is not None and datetime.timedelta(
        0
    ) <= today - last_sale_on <= datetime.timedelta(days=ACTIVE_SELLER_DAYS)
    target: str | None
    if is_active_seller:
        target, occurred_on = Stage.ACTIVE_SELLER, last_sale_on
    elif first_sale_on is not None:
        target, occurred_on = Stage.FIRST_SALE, first_sale_on
    elif has_listing:
        target, occurred_on = Stage.FIRST_LISTING, today
    else:
        return StageRecording(None, created=False)
    assert occurred_on is not None  # noqa: S101 - set with every target above
    current = ChannelStage.objects.filter(household=household, channel=channel).first()
    current_rank = current.rank if current is not None else 0
    reason = ""
    if current is not None and current.stage == Stage.ACTIVE_SELLER and target == Stage.FIRST_SALE:
        assert last_sale_on is not None  # noqa: S101 - a first sale implies a last one
        occurred_on = min(today, last_sale_on + datetime.timedelta(days=ACTIVE_SELLER_DAYS + 1))
        reason = _("Không có đơn bán trong %(days)d ngày (đơn gần nhất ngày %(date)s).") % {
            "days": ACTIVE_SELLER_DAYS,
            "date": format_date(last_sale_on),
        }
    elif STAGE_RANK[target] <= current_rank:
        return StageRecording(None, created=False)
    return stage_record(
        household=household,
        channel=channel,
        stage=target,
        occurred_on=occurred_on,
        recorded_by=None,
        source=StageSource.DERIVED,
        reason=reason,
        today=today,
    )


def platform_stage_derive(
    *,
    household: Household,
    has_listing: bool,
    first_sale_on: datetime.date | None = None,
    last_sale_on: datetime.date | None = None,
    today: datetime.date,
) -> StageRecording:
    """:func:`stage_derive_from_activity` on this platform's channel, the one the catalog and
    orders report real listings and deliveries to. A database without the channel (its data
    migration's row removed, as a flushed test database is) has no funnel to move."""
    channel = Channel.objects.filter(is_this_platform=True).first()
    if channel is None:
        return StageRecording(None, created=False)
    return stage_derive_from_activity(
        household=household,
        channel=channel,
        has_listing=has_listing,
        first_sale_on=first_sale_on,
        last_sale_on=last_sale_on,
        today=today,
    )


def this_platform() -> Channel:
    """The channel row of this platform (created by the channels data migration)."""
    return Channel.objects.get(is_this_platform=True)


def _advance_to_trained(
    *, household: Household, occurred_on: datetime.date, recorded_by: Any, today: datetime.date
) -> list[StageEvent]:
    """Make a household "trained" on this platform and on every channel it is registered on
    (never moving a household that is already further back)."""
    events: list[StageEvent] = []
    stages = {
        row.channel_id: row.rank
        for row in ChannelStage.objects.filter(household=household).select_related("channel")
    }
    channels = Channel.objects.filter(is_active=True).filter(
        pk__in=[
            *stages,
            *Channel.objects.filter(is_this_platform=True).values_list("pk", flat=True),
        ]
    )
    trained_rank = STAGE_RANK[Stage.TRAINED]
    for channel in channels:
        if stages.get(channel.pk, 0) >= trained_rank:
            continue
        recording = stage_record(
            household=household,
            channel=channel,
            stage=Stage.TRAINED,
            occurred_on=occurred_on,
            recorded_by=recorded_by,
            source=StageSource.OFFICER,
            today=today,
        )
        if recording.created and recording.event is not None:
            events.append(recording.event)
    return events


# -- training ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class MaterialInput:
    """A course handout: a file or a link (at least one)."""

    title: str
    url: str = ""
    file: Any = None


def _require(user: Any, allowed: bool, message: str) -> None:
    if user is None or not allowed:
        raise PermissionDenied(message)


def _current_commune(commune: Any) -> tuple[AdministrativeUnit, int]:
    """The commune, if current, and its province's id (rows copy both)."""
    if (
        not isinstance(commune, AdministrativeUnit)
        or commune.level != UnitLevel.COMMUNE
        or commune.valid_until is not None
        or commune.province_id is None
    ):
        raise ValidationError({"commune": [_("Hãy chọn một xã, phường hiện hành.")]})
    return commune, commune.province_id


def _is_web_address(text: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(text)
    except ValidationError:
        return False
    return len(text) <= 200


@transaction.atomic
def course_create(
    *,
    created_by: Any,
    topic: str,
    description: str = "",
    materials: Iterable[MaterialInput] = (),
) -> Course:
    """A training course with its handouts and links."""
    _require(created_by, can_manage_courses(created_by), _("Bạn không được tạo khoá tập huấn."))
    topic = normalize_spaces(topic or "")
    errors: dict[str, list[str]] = {}
    if not topic:
        errors["topic"] = [_("Hãy nhập chủ đề khoá tập huấn.")]
    elif len(topic) > 200:
        errors["topic"] = [_("Chủ đề dài tối đa 200 ký tự.")]
    materials = list(materials)
    for material in materials:
        if not normalize_spaces(material.title or ""):
            errors.setdefault("materials", []).append(_("Mỗi tài liệu cần có tên."))
        elif not material.url and not material.file:
            errors.setdefault("materials", []).append(
                _("Tài liệu “%(title)s” cần một tệp hoặc một đường dẫn.")
                % {"title": material.title}
            )
        elif material.url and not _is_web_address(material.url):
            errors.setdefault("materials", []).append(
                _("Đường dẫn của tài liệu “%(title)s” không hợp lệ (cần http:// hoặc https://).")
                % {"title": material.title}
            )
    if errors:
        raise ValidationError(errors)
    course = Course.objects.create(
        topic=topic, description=(description or "").strip(), created_by=created_by
    )
    for material in materials:
        row = CourseMaterial(
            course=course, title=normalize_spaces(material.title), url=material.url
        )
        if material.file:
            row.file = material.file
        row.full_clean(exclude=["course"])
        row.save()
    audit_record(
        action="onboarding.course_create",
        target=course,
        actor=created_by,
        changes={"topic": [None, topic], "materials": [None, len(materials)]},
    )
    return course


@transaction.atomic
def session_schedule(
    *,
    scheduled_by: Any,
    course: Course,
    held_on: datetime.date,
    place: str,
    commune: AdministrativeUnit,
    organiser: str,
    organiser_name: str = "",
    trainer: Trainer | None = None,
) -> TrainingSession:
    """A training session of ``course`` in a commune the person works in."""
    commune, province_id = _current_commune(commune)
    _require(
        scheduled_by,
        can_work_in(scheduled_by, commune),
        _("Bạn không được tổ chức tập huấn ở xã, phường này."),
    )
    place = normalize_spaces(place or "")
    errors: dict[str, list[str]] = {}
    if not place:
        errors["place"] = [_("Hãy nhập địa điểm tập huấn.")]
    elif len(place) > 200:
        errors["place"] = [_("Địa điểm dài tối đa 200 ký tự.")]
    if organiser not in Organiser.values:
        errors["organiser"] = [_("Đơn vị tổ chức không hợp lệ.")]
    if not isinstance(held_on, datetime.date):
        errors["held_on"] = [_("Ngày tập huấn không hợp lệ.")]
    if errors:
        raise ValidationError(errors)
    session = TrainingSession.objects.create(
        course=course,
        held_on=held_on,
        place=place,
        commune=commune,
        province_id=province_id,
        trainer=trainer,
        organiser=organiser,
        organiser_name=normalize_spaces(organiser_name or "")[:200],
        scheduled_by=scheduled_by,
    )
    audit_record(
        action="onboarding.session_schedule",
        target=session,
        actor=scheduled_by,
        changes={
            "course": [None, course],
            "held_on": [None, held_on],
            "place": [None, place],
            "organiser": [None, organiser],
        },
    )
    return session


@transaction.atomic
def attendance_record(
    *,
    session: TrainingSession,
    recorded_by: Any,
    attendance: Mapping[int, bool],
    today: datetime.date | None = None,
) -> list[Attendance]:
    """Record who came (household id → attended) and make those who came "trained".

    Idempotent: recording the same list again changes nothing. Marking a household absent
    after all does not move its stage back (that needs an officer's reason on its page).
    """
    today = _today(today)
    _require(
        recorded_by,
        editable_sessions(recorded_by).filter(pk=session.pk).exists(),
        _("Bạn không được điểm danh buổi tập huấn này."),
    )
    if session.held_on > today:
        raise ValidationError(
            {"held_on": [_("Chưa thể điểm danh một buổi tập huấn chưa diễn ra.")]}
        )
    household_ids = sorted({int(pk) for pk in attendance})
    households = {
        household.pk: household
        for household in editable_stage_households(recorded_by).filter(pk__in=household_ids)
    }
    unknown = [pk for pk in household_ids if pk not in households]
    if unknown:
        raise ValidationError(
            {
                "attendance": [
                    _("Không có hộ đang hoạt động với mã %(ids)s trong địa bàn của bạn.")
                    % {"ids": ", ".join(str(pk) for pk in unknown)}
                ]
            }
        )
    consenting = set(
        ConsentPurpose.objects.filter(
            household_id__in=household_ids, purpose=Purpose.REGISTRY, withdrawn_at__isnull=True
        ).values_list("household_id", flat=True)
    )
    withdrawn = [pk for pk in household_ids if pk not in consenting]
    if withdrawn:
        raise ValidationError(
            {
                "attendance": [
                    _(
                        "Hộ mã %(ids)s đã rút lại sự đồng ý lưu trong sổ đăng ký: không được "
                        "điểm danh cho hộ."
                    )
                    % {"ids": ", ".join(str(pk) for pk in withdrawn)}
                ]
            }
        )
    existing = {row.household_id: row for row in Attendance.objects.filter(session=session)}
    rows: list[Attendance] = []
    now = timezone.now()
    for household_id in household_ids:
        attended = bool(attendance[household_id])
        household = households[household_id]
        row = existing.get(household_id)
        if row is None:
            row = Attendance.objects.create(
                session=session,
                household=household,
                attended=attended,
                recorded_by=recorded_by,
                recorded_at=now,
                province_id=session.province_id,
                commune_id=session.commune_id,
            )
            audit_record(
                action="onboarding.attendance_record",
                target=row,
                actor=recorded_by,
                changes={"attended": [None, attended]},
            )
        elif row.attended != attended:
            audit_record(
                action="onboarding.attendance_record",
                target=row,
                actor=recorded_by,
                changes={"attended": [row.attended, attended]},
            )
            row.attended = attended
            row.recorded_by = recorded_by
            row.recorded_at = now
            row.save(update_fields=["attended", "recorded_by", "recorded_at"])
        if attended:
            _advance_to_trained(
                household=household,
                occurred_on=session.held_on,
                recorded_by=recorded_by,
                today=today,
            )
        rows.append(row)
    return rows


@transaction.atomic
def tech_team_create(
    *, created_by: Any, name: str, commune: AdministrativeUnit
) -> CommunityTechTeam:
    """A community digital technology team of a commune."""
    commune, province_id = _current_commune(commune)
    _require(
        created_by,
        can_work_in(created_by, commune),
        _("Bạn không được lập tổ công nghệ số ở xã, phường này."),
    )
    name = normalize_spaces(name or "")
    if not name:
        raise ValidationError({"name": [_("Hãy nhập tên tổ.")]})
    if len(name) > 200:
        raise ValidationError({"name": [_("Tên tổ dài tối đa 200 ký tự.")]})
    if CommunityTechTeam.objects.filter(commune=commune, name=name).exists():
        raise ValidationError({"name": [_("Xã, phường này đã có tổ mang tên này.")]})
    team = CommunityTechTeam.objects.create(
        name=name, commune=commune, province_id=province_id, created_by=created_by
    )
    audit_record(
        action="onboarding.tech_team_create",
        target=team,
        actor=created_by,
        changes={"name": [None, name]},
    )
    return team


@transaction.atomic
def tech_team_member_add(
    *,
    added_by: Any,
    team: CommunityTechTeam,
    user: Any = None,
    name: str = "",
    role: str = TeamRole.MEMBER,
) -> TechTeamMember:
    """Add a person to a team: an account, or a name for someone without one."""
    _require(
        added_by,
        editable_tech_teams(added_by).filter(pk=team.pk).exists(),
        _("Bạn không được thêm thành viên cho tổ này."),
    )
    name = normalize_spaces(name or "")
    errors: dict[str, list[str]] = {}
    if user is None and not name:
        errors["name"] = [_("Hãy chọn một tài khoản hoặc nhập họ tên thành viên.")]
    if len(name) > 150:
        errors["name"] = [_("Họ tên dài tối đa 150 ký tự.")]
    if role not in TeamRole.values:
        errors["role"] = [_("Vai trò trong tổ không hợp lệ.")]
    if user is not None and TechTeamMember.objects.filter(team=team, user=user).exists():
        errors["user"] = [_("Người này đã là thành viên của tổ.")]
    if errors:
        raise ValidationError(errors)
    member = TechTeamMember.objects.create(
        team=team,
        user=user,
        name=name,
        role=role,
        province_id=team.province_id,
        commune_id=team.commune_id,
    )
    audit_record(
        action="onboarding.tech_team_member_add",
        target=member,
        actor=added_by,
        changes={
            "user": [None, user.pk if user is not None else None],
            "name": [None, name],
            "role": [None, role],
        },
    )
    return member
