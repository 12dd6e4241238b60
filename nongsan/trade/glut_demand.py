"""Traders' open buy requests as the portal's glut warning reads demand.

The harvests app asks, through the setting ``HARVESTS_BUY_REQUEST_TONNES``, for the tonnes
traders want of a produce in a province in each forecast week, keyed by the week's index
(``nongsan.harvests.demand.WeeklyTonnes``). This is :func:`open_demand_tonnes` in that shape.
Buy requests target provinces, not communes: a commune's forecast counts none of them rather
than guess a share.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from nongsan.trade.selectors import open_demand_tonnes


def weekly_buy_request_tonnes(
    starts: list[datetime.date],
    *,
    produce_type: Any | None = None,
    province: Any | None = None,
    commune: Any | None = None,
) -> dict[tuple[int, int, int], Decimal]:
    """Tonnes of open buy requests per (produce type id, province id, week index in
    ``starts``), for the weeks starting on ``starts`` (Mondays)."""
    if commune is not None or not starts:
        return {}
    index_of = {
        start - datetime.timedelta(days=start.weekday()): i for i, start in enumerate(starts)
    }
    found = open_demand_tonnes(
        weeks=starts,
        produce_type_ids=None if produce_type is None else [produce_type.pk],
        province_ids=None if province is None else [province.pk],
    )
    return {
        (produce_type_id, province_id, index_of[week]): tonnes
        for (produce_type_id, province_id, week), tonnes in found.items()
        if week in index_of
    }
