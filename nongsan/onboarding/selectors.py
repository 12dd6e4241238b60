"""Reads of the onboarding programme: the funnel, a household's stages, training sessions.

The funnel is three grouped queries whatever the number of households: the households of the
area, the active channels, and one ``GROUP BY channel`` with a conditional count per stage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from nongsan.common.database import vi_ordered
from nongsan.common.text import fold, normalize_spaces
from nongsan.geo.models import AdministrativeUnit
from nongsan.onboarding.models import (
    STAGE_ORDER,
    STAGE_RANK,
    Attendance,
    Channel,
    ChannelStage,
    Stage,
    StageEvent,
    TrainingSession,
)
from nongsan.onboarding.permissions import (
    area_scope,
    editable_stage_households,
    visible_sessions,
    visible_stage_households,
)
from nongsan.producers.models import Household, HouseholdStatus


@dataclass(frozen=True)
class StageCount:
    """Households at or beyond one stage, and how many of the previous step got this far."""

    stage: str
    label: str
    households: int
    # Percent of the previous stage's households (of all households for "registered");
    # None when the previous step has none.
    conversion_percent: float | None
    # Percent of all households of the area: what the bar shows.
    share_percent: float


@dataclass(frozen=True)
class ChannelFunnel:
    channel: Channel
    households_total: int
    not_registered: int
    stages: list[StageCount]


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _area_filter(
    *, province: AdministrativeUnit | None, commune: AdministrativeUnit | None, prefix: str = ""
) -> Q:
    condition = Q()
    if province is not None:
        condition &= Q(**{f"{prefix}province": province})
    if commune is not None:
        condition &= Q(**{f"{prefix}commune": commune})
    return condition


def funnel(
    *,
    user: Any,
    province: AdministrativeUnit | None = None,
    commune: AdministrativeUnit | None = None,
    channel: Channel | None = None,
) -> list[ChannelFunnel]:
    """Per channel, the households of ``user``'s area at or beyond each stage.

    Counts are in the database: a household counts at its current stage and every stage
    before it, so "first sale" includes active sellers. Households without a row on a channel
    are its "not registered". Merged-away records are left out (their survivor counts);
    erased households stay in, as the anonymous statistics the law lets us keep.
    """
    scope = area_scope(user)
    if scope.is_empty:
        return []
    households = scope.filter(
        Household.objects.exclude(status=HouseholdStatus.MERGED).filter(
            _area_filter(province=province, commune=commune)
        )
    )
    households_total = households.count()
    channels = Channel.objects.filter(is_active=True)
    if channel is not None:
        channels = channels.filter(pk=channel.pk)
    stage_rows = scope.filter(
        ChannelStage.objects.filter(_area_filter(province=province, commune=commune))
        .exclude(household__status=HouseholdStatus.MERGED)
        .filter(channel__in=channels)
    )
    counts_by_channel = {
        row["channel_id"]: row
        for row in stage_rows.values("channel_id").annotate(
            **{
                f"at_{stage}": Count("pk", filter=Q(rank__gte=STAGE_RANK[stage]))
                for stage in STAGE_ORDER
            }
        )
    }
    result = []
    for row_channel in channels:
        counts = counts_by_channel.get(row_channel.pk, {})
        stages: list[StageCount] = []
        previous = households_total
        for stage in STAGE_ORDER:
            reached = counts.get(f"at_{stage}", 0)
            stages.append(
                StageCount(
                    stage=stage,
                    label=str(Stage(stage).label),
                    households=reached,
                    conversion_percent=_percent(reached, previous),
                    share_percent=_percent(reached, households_total) or 0.0,
                )
            )
            previous = reached
        result.append(
            ChannelFunnel(
                channel=row_channel,
                households_total=households_total,
                not_registered=max(households_total - stages[0].households, 0),
                stages=stages,
            )
        )
    return result


def household_stages_get(*, user: Any, pk: int) -> tuple[Household, list[dict[str, Any]]]:
    """A household ``user`` may see (404 otherwise) and, per active channel, its current
    stage and history, newest first."""
    household = get_object_or_404(
        visible_stage_households(user).select_related("commune", "province"), pk=pk
    )
    stages = {
        row.channel_id: row
        for row in ChannelStage.objects.filter(household=household).select_related("recorded_by")
    }
    events: dict[int, list[StageEvent]] = {}
    for event in (
        StageEvent.objects.filter(household=household)
        .select_related("recorded_by")
        .order_by("-occurred_on", "-pk")
    ):
        events.setdefault(event.channel_id, []).append(event)
    channels = [
        {
            "channel": channel,
            "current": stages.get(channel.pk),
            "events": events.get(channel.pk, []),
        }
        for channel in Channel.objects.filter(Q(is_active=True) | Q(pk__in=list(stages)))
    ]
    return household, channels


def session_list(
    *,
    user: Any,
    commune: AdministrativeUnit | None = None,
    province: AdministrativeUnit | None = None,
) -> QuerySet[TrainingSession]:
    """Training sessions of ``user``'s area, newest first, with how many households came."""
    return (
        visible_sessions(user)
        .filter(_area_filter(province=province, commune=commune))
        .select_related("course", "commune", "province", "trainer")
        .annotate(attended_count=Count("attendances", filter=Q(attendances__attended=True)))
        .order_by("-held_on", "-pk")
    )


def session_get(*, user: Any, pk: int) -> TrainingSession:
    """One session ``user`` may see (404 otherwise), with its attendance."""
    return get_object_or_404(
        visible_sessions(user)
        .select_related("course", "commune", "province", "trainer")
        .prefetch_related(
            "course__materials",
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("household").order_by("pk"),
            ),
        ),
        pk=pk,
    )


def session_candidate_households(
    *, user: Any, session: TrainingSession, query: str = ""
) -> QuerySet[Household]:
    """The households a session's attendance sheet offers: active ones of its commune that
    ``user`` may record, by name; ``query`` narrows them to a name (without diacritics), a
    village or a phone number. The page shows them a page at a time, so any household of a
    large commune can be found and marked present."""
    households = editable_stage_households(user).filter(commune_id=session.commune_id)
    folded = fold(normalize_spaces(query or ""))
    if folded:
        digits = re.sub(r"\D", "", folded)
        condition = Q(head_name_folded__contains=folded) | Q(village__icontains=query.strip())
        if len(digits) >= 4:
            condition |= Q(phone__contains=digits.removeprefix("0"))
        households = households.filter(condition)
    return households.order_by(vi_ordered("head_name"), "pk")
