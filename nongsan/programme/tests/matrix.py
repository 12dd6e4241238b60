"""Targets and partner figures in the permission matrix: another area's officers do not see
them; a province's own officers and the ministry do."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Model

from nongsan.accounts.models import Role
from nongsan.common.testing.permission_matrix import ScopedModel, register
from nongsan.onboarding.tests.factories import channel
from nongsan.programme.models import Indicator, PartnerFigure, Target
from nongsan.programme.permissions import editable_targets, visible_partner_figures, visible_targets

OFFICERS = frozenset({Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.MINISTRY})


def _indicator() -> Indicator:
    indicator, _created = Indicator.objects.get_or_create(
        code="orders", defaults={"name": "Đơn hàng", "measure": "orders"}
    )
    return indicator


def _target_in(commune: Any) -> Model:
    return Target.objects.create(
        indicator=_indicator(),
        unit=commune,
        province_id=commune.province_id,
        commune=commune,
        period_kind="year",
        period_start=datetime.date(2026, 1, 1),
        value=10,
    )


def _figure_in(commune: Any) -> Model:
    return PartnerFigure.objects.create(
        indicator=_indicator(),
        channel=channel("postmart"),
        unit=commune,
        province_id=commune.province_id,
        commune=commune,
        month=datetime.date(2026, 3, 1),
        value=5,
    )


register(
    ScopedModel(
        label="programme.target",
        create_in=_target_in,
        visible=visible_targets,
        editable=editable_targets,
        seen_by=OFFICERS,
        api_urls=lambda row: [f"/api/v1/targets/{row.pk}/"],
    )
)
register(
    ScopedModel(
        label="programme.partnerfigure",
        create_in=_figure_in,
        visible=visible_partner_figures,
        seen_by=OFFICERS,
    )
)
