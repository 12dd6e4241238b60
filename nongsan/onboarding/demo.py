"""Demo onboarding for ``manage.py seed_demo``: channel stages, courses, sessions, attendance.

Rows are written in batches straight to the tables (no audit entries, no per-row rules) so
the large scale loads in minutes; they still obey the rules: every household at "trained" or
beyond on this platform attended a session in its commune, dates never lie in the future, and
each stage row has the event that put it there.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from nongsan.common.bulk_insert import insert_rows
from nongsan.onboarding.models import (
    STAGE_ORDER,
    Attendance,
    Channel,
    ChannelStage,
    Course,
    Organiser,
    StageEvent,
    StageSource,
    Trainer,
    TrainingSession,
)

BATCH_SIZE = 2_000
# How far households have come on this platform (rank 0 = not registered): most stop early.
PLATFORM_RANK_WEIGHTS = [5, 25, 25, 15, 12, 8, 10]
# On the partner marketplaces fewer are registered at all.
PARTNER_RANK_WEIGHTS = [55, 15, 10, 8, 5, 4, 3]
COURSES = [
    ("Mở gian hàng trên sàn thương mại điện tử", "Tạo tài khoản, ảnh sản phẩm, giá theo kg."),
    ("Chụp ảnh nông sản bằng điện thoại", "Ánh sáng, nền, góc chụp."),
    ("Xác nhận và giao đơn hàng", "Xem đơn mỗi ngày, đóng gói, gửi bưu điện."),
    ("Thanh toán VietQR và nhận tiền", "Mã QR ngân hàng, đối soát."),
]
TRAINERS = [
    ("Nguyễn Thị Lan", "Hội Nông dân tỉnh"),
    ("Trần Văn Minh", "Bưu điện tỉnh"),
    ("Lê Thị Hoa", "Liên minh Hợp tác xã"),
    ("Phạm Quốc Huy", "Tổ công nghệ số cộng đồng"),
]


def _courses_and_trainers() -> tuple[list[Course], list[Trainer]]:
    courses = [
        Course.objects.get_or_create(topic=topic, defaults={"description": description})[0]
        for topic, description in COURSES
    ]
    trainers = [
        Trainer.objects.get_or_create(name=name, organisation=organisation)[0]
        for name, organisation in TRAINERS
    ]
    return courses, trainers


def _rows_for(
    household: Any, channel: Channel, rank: int, reached_on: datetime.date
) -> tuple[ChannelStage, StageEvent]:
    stage = STAGE_ORDER[rank - 1]
    source = StageSource.DERIVED if channel.is_this_platform and rank >= 4 else StageSource.OFFICER
    if not channel.is_this_platform and rank >= 3:
        source = StageSource.PARTNER
    area = {"province_id": household.province_id, "commune_id": household.commune_id}
    return (
        ChannelStage(
            household_id=household.pk,
            channel=channel,
            stage=stage,
            rank=rank,
            reached_on=reached_on,
            source=source,
            **area,
        ),
        StageEvent(
            household_id=household.pk,
            channel=channel,
            from_stage="",
            to_stage=stage,
            skipped_stages=list(STAGE_ORDER[: rank - 1]),
            occurred_on=reached_on,
            source=source,
            **area,
        ),
    )


def seed_onboarding(rng: random.Random, households: Iterable[Any]) -> dict[str, int]:
    """Stages on every active channel and training with attendance for ``households``
    (objects with ``pk``, ``province_id``, ``commune_id``); returns what it created."""
    today = timezone.localdate()
    channels = list(Channel.objects.filter(is_active=True))
    platform = next((channel for channel in channels if channel.is_this_platform), None)
    courses, trainers = _courses_and_trainers()
    sessions: dict[int, TrainingSession] = {}
    stages: list[ChannelStage] = []
    events: list[StageEvent] = []
    attendances: list[Attendance] = []
    created = {"stages": 0, "events": 0, "sessions": 0, "attendances": 0}

    def flush() -> None:
        with transaction.atomic():
            insert_rows(ChannelStage, stages)
            insert_rows(StageEvent, events)
            insert_rows(Attendance, attendances)
        created["stages"] += len(stages)
        created["events"] += len(events)
        created["attendances"] += len(attendances)
        stages.clear()
        events.clear()
        attendances.clear()

    for household in households:
        for channel in channels:
            weights = PLATFORM_RANK_WEIGHTS if channel is platform else PARTNER_RANK_WEIGHTS
            rank = rng.choices(range(len(weights)), weights=weights)[0]
            if rank == 0:
                continue
            reached_on = today - datetime.timedelta(days=rng.randint(0 if rank == 6 else 91, 400))
            if channel is platform and rank >= 2:
                session = sessions.get(household.commune_id)
                if session is None:
                    session = TrainingSession.objects.create(
                        course=rng.choice(courses),
                        trainer=rng.choice(trainers),
                        held_on=today - datetime.timedelta(days=rng.randint(400, 500)),
                        place="Nhà văn hoá xã",
                        organiser=rng.choice(Organiser.values[:4]),
                        province_id=household.province_id,
                        commune_id=household.commune_id,
                    )
                    sessions[household.commune_id] = session
                    created["sessions"] += 1
                attendances.append(
                    Attendance(
                        session=session,
                        household_id=household.pk,
                        attended=True,
                        province_id=household.province_id,
                        commune_id=household.commune_id,
                    )
                )
            stage, event = _rows_for(household, channel, rank, reached_on)
            stages.append(stage)
            events.append(event)
        if len(stages) >= BATCH_SIZE:
            flush()
    flush()
    return created
