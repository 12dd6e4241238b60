"""Reads of the producer registry, starting from what the person may see."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from nongsan.accounts.models import Role
from nongsan.accounts.permissions import has_role
from nongsan.common.text import fold
from nongsan.onboarding.models import STAGE_RANK, Attendance, ChannelStage, Stage, StageEvent
from nongsan.producers.models import (
    Certification,
    ConsentPurpose,
    Cooperative,
    DuplicateFlag,
    Household,
    HouseholdPhone,
    HouseholdStatus,
    Purpose,
)
from nongsan.producers.permissions import (
    is_staff_administrator,
    visible_cooperatives,
    visible_households,
)

MAX_QUERY_LENGTH = 100


def household_consent_given(household: Household, purpose: str) -> bool:
    """Whether the household's consent for ``purpose`` stands (given, not withdrawn).

    The accounts app asks this before an assistant acts for a household (purpose
    ``registry``); the marketplace asks it for ``marketplace`` before listing.
    """
    return ConsentPurpose.objects.filter(
        household=household, purpose=purpose, withdrawn_at__isnull=True
    ).exists()


def households_shared_with(user: Any, households: QuerySet[Household]) -> QuerySet[Household]:
    """``households`` narrowed to what may be handed to ``user``: a partner platform gets
    only the households that consent to partner sharing (law 91/2025/QH15), whoever
    registered them; everyone else is unchanged."""
    if has_role(user, Role.PARTNER_PLATFORM) and not is_staff_administrator(user):
        return households.filter(
            Exists(
                ConsentPurpose.objects.filter(
                    household=OuterRef("pk"),
                    purpose=Purpose.PARTNER_SHARING,
                    withdrawn_at__isnull=True,
                )
            )
        )
    return households


def households_for_purpose(purpose: str) -> QuerySet[Household]:
    """Active households that may be processed for ``purpose`` (e.g. partner sharing)."""
    return Household.objects.active().with_consent(purpose)


def _phone_digits(query: str) -> str:
    """The digits of a query that looks like (part of) a phone number, without the trunk 0."""
    if not re.fullmatch(r"[+0-9 .\-]{4,20}", query):
        return ""
    digits = re.sub(r"\D", "", query)
    if digits.startswith("84") and len(digits) > 9:
        digits = digits[2:]
    return digits.removeprefix("0")


def household_list(
    *,
    user: Any,
    query: str = "",
    commune: Any = None,
    province: Any = None,
    certification: str = "",
    status: str = HouseholdStatus.ACTIVE,
    purpose: str = Purpose.REGISTRY,
    channel: Any = None,
    stage: str = "",
    stage_at_least: bool = False,
    trained: bool | None = None,
) -> QuerySet[Household]:
    """Households ``user`` may see, newest first, searched without diacritics on the head's
    name and the village, or by phone digits; only those consenting to ``purpose``.

    ``status`` "" lists every status; ``certification`` is a kind with a certificate valid
    today. ``channel``/``stage``: the current stage on that channel (any channel when
    ``channel`` is None) is ``stage``, or at least ``stage`` with ``stage_at_least``.
    ``trained`` True/False keeps the households that have (not) been trained.
    """
    households = visible_households(user).select_related("commune", "province")
    if status:
        households = households.filter(status=status)
    if purpose and status == HouseholdStatus.ACTIVE:
        households = households.filter(
            Exists(
                ConsentPurpose.objects.filter(
                    household=OuterRef("pk"), purpose=purpose, withdrawn_at__isnull=True
                )
            )
        )
    query = (query or "")[:MAX_QUERY_LENGTH].strip()
    if query:
        digits = _phone_digits(query)
        if digits:
            extra = HouseholdPhone.objects.filter(household=OuterRef("pk"), phone__contains=digits)
            households = households.filter(Q(phone__contains=digits) | Exists(extra))
        else:
            folded = fold(query)
            households = households.filter(
                Q(head_name_folded__contains=folded) | Q(village_folded__contains=folded)
            )
    if commune is not None:
        households = households.filter(commune=commune)
    if province is not None:
        households = households.filter(province=province)
    if certification:
        today = timezone.localdate()
        valid = Certification.objects.filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today),
            household=OuterRef("pk"),
            kind=certification,
        )
        households = households.filter(Exists(valid))
    if channel is not None or stage:
        households = households.filter(_stage_condition(channel, stage, stage_at_least))
    if trained is not None:
        condition = _trained_condition()
        households = households.filter(condition if trained else ~condition)
    return households.order_by("-created_at", "-id")


def _stage_condition(channel: Any, stage: str, at_least: bool) -> Exists:
    """A household has a current stage row matching the channel and the stage (or beyond)."""
    if stage and stage not in STAGE_RANK:
        raise ValueError(f"unknown stage {stage!r}")
    rows = ChannelStage.objects.filter(household=OuterRef("pk"))
    if channel is not None:
        rows = rows.filter(channel=channel)
    if stage:
        rows = rows.filter(rank__gte=STAGE_RANK[stage]) if at_least else rows.filter(stage=stage)
    return Exists(rows)


def _trained_condition() -> Q:
    """Trained: stands at "trained" on a channel, passed through it (a forward move to it in
    the history) or came to a training session; a stage reached by skipping training is not.
    """
    return (
        Q(Exists(ChannelStage.objects.filter(household=OuterRef("pk"), stage=Stage.TRAINED)))
        | Q(
            Exists(
                StageEvent.objects.filter(
                    household=OuterRef("pk"), to_stage=Stage.TRAINED, is_backward=False
                )
            )
        )
        | Q(Exists(Attendance.objects.filter(household=OuterRef("pk"), attended=True)))
    )


def household_get(*, user: Any, pk: int) -> Household:
    """One household the person may see, with everything its page shows (404 otherwise)."""
    households = (
        visible_households(user)
        .select_related("commune", "province", "user", "merged_into", "registered_by")
        .prefetch_related(
            "extra_phones",
            "certifications",
            "growing_area_codes",
            "memberships__cooperative",
            Prefetch(
                "consent_records__purposes",
                queryset=ConsentPurpose.objects.select_related("withdrawn_by"),
            ),
            "consent_records__collected_by",
            Prefetch(
                "duplicate_flags",
                queryset=DuplicateFlag.objects.select_related("other", "other__commune"),
            ),
            Prefetch(
                "duplicate_flags_as_other",
                queryset=DuplicateFlag.objects.select_related("household", "household__commune"),
            ),
            "merges__absorbed",
            "merges__merged_by",
        )
    )
    return get_object_or_404(households, pk=pk)


def cooperative_list(
    *, user: Any, query: str = "", commune: Any = None, province: Any = None
) -> QuerySet[Cooperative]:
    cooperatives = visible_cooperatives(user).select_related("commune", "province", "manager")
    query = (query or "")[:MAX_QUERY_LENGTH].strip()
    if query:
        cooperatives = cooperatives.filter(
            Q(name_folded__contains=fold(query)) | Q(registration_number__iexact=query)
        )
    if commune is not None:
        cooperatives = cooperatives.filter(commune=commune)
    if province is not None:
        cooperatives = cooperatives.filter(province=province)
    return cooperatives.order_by("-created_at", "-id")
