"""Carrying figures across the 2025 reform through the official crosswalk.

The rule (decision 0022):

- Forward (a figure filed against a legacy commune, read in today's units): a legacy commune
  that went whole into one current commune gives it all of its figure; a split legacy commune
  (``is_partial`` lines to several successors) gives each successor a share proportional to
  the households registered on the platform in that successor, or equal shares when none is.
  Those parts are estimates and are marked so.
- Backward (a figure the platform measured in a current commune, read in the legacy
  geography): the current commune's figure is shared among its predecessors in proportion to
  their forward shares into it (a whole predecessor counts 1, a part of a split one its
  share). With one predecessor the figure is exact; otherwise it is an estimate.
- A province-level figure needs no estimate: no province was split in 2025, so a legacy
  province adds wholly into its successor, and a current province's figure in the legacy
  geography is the sum of its communes' legacy shares (exact unless a current commune took
  parts of two legacy provinces).

Shares of one unit add up to 1 both ways, so totals are conserved. Nothing recorded is
rewritten: the weights are derived, and rebuilt with the roll-up.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Count

from nongsan.common.bulk_insert import insert_values
from nongsan.geo.models import LEGACY_LAST_DAY, UnitLevel, UnitSuccession
from nongsan.producers.models import Household, HouseholdStatus
from nongsan.programme.models import CrosswalkWeight


def _reform_lines() -> list[dict[str, Any]]:
    lines: Any = (
        UnitSuccession.objects.filter(
            predecessor__level=UnitLevel.COMMUNE,
            successor__level=UnitLevel.COMMUNE,
            predecessor__valid_until=LEGACY_LAST_DAY,
            successor__valid_from__gt=LEGACY_LAST_DAY,
        )
        .values(
            "predecessor_id",
            "predecessor__province_id",
            "successor_id",
            "successor__province_id",
        )
        .distinct()
    )
    return list(lines)


def weights_compute() -> list[dict[str, object]]:
    """The crosswalk weights as rows (not saved); see the module docstring for the rule."""
    lines = _reform_lines()
    successors: dict[int, list[int]] = defaultdict(list)
    predecessors: dict[int, list[int]] = defaultdict(list)
    legacy_province: dict[int, int] = {}
    current_province: dict[int, int] = {}
    for line in lines:
        legacy, current = int(line["predecessor_id"]), int(line["successor_id"])
        successors[legacy].append(current)
        predecessors[current].append(legacy)
        legacy_province[legacy] = int(line["predecessor__province_id"])
        current_province[current] = int(line["successor__province_id"])
    split_successors = {c for cs in successors.values() if len(cs) > 1 for c in cs}
    households = dict(
        Household.objects.exclude(status=HouseholdStatus.MERGED)
        .filter(commune_id__in=sorted(split_successors))
        .values("commune_id")
        .annotate(count=Count("pk"))
        .values_list("commune_id", "count")
    )
    forward: dict[tuple[int, int], float] = {}
    for legacy, currents in successors.items():
        total = sum(households.get(current, 0) for current in currents)
        for current in currents:
            if len(currents) == 1:
                forward[legacy, current] = 1.0
            elif total:
                forward[legacy, current] = households.get(current, 0) / total
            else:
                forward[legacy, current] = 1.0 / len(currents)
    rows: list[dict[str, object]] = []
    for current, legacies in predecessors.items():
        weight_total = sum(forward[legacy, current] for legacy in legacies)
        provinces_before = {legacy_province[legacy] for legacy in legacies}
        for legacy in legacies:
            currents = successors[legacy]
            provinces_after = {current_province[c] for c in currents}
            rows.append(
                {
                    "legacy_commune_id": legacy,
                    "legacy_province_id": legacy_province[legacy],
                    "current_commune_id": current,
                    "current_province_id": current_province[current],
                    "forward_share": forward[legacy, current],
                    "backward_share": (
                        forward[legacy, current] / weight_total
                        if weight_total
                        else 1.0 / len(legacies)
                    ),
                    "forward_estimated": len(currents) > 1,
                    "backward_estimated": len(legacies) > 1,
                    "forward_estimated_province": len(provinces_after) > 1,
                    "backward_estimated_province": len(provinces_before) > 1,
                }
            )
    return rows


def lock_for_swap(model: type[models.Model]) -> None:
    """Make swaps of a whole table take turns on PostgreSQL (call first in the transaction).

    Under READ COMMITTED a second swap's DELETE does not see the rows a first one inserted
    (committed after its snapshot), so both sets would stay: doubled figures, or a unique
    constraint broken. SHARE ROW EXCLUSIVE conflicts with itself and with writes but not with
    reads, so dashboards keep answering. SQLite already lets one writer at a time."""
    if connection.vendor != "postgresql":
        return
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")


def weights_rebuild() -> int:
    """Replace the stored weights with freshly computed ones; returns how many."""
    rows = weights_compute()
    with transaction.atomic():
        lock_for_swap(CrosswalkWeight)
        CrosswalkWeight.objects.all().delete()
        insert_values(CrosswalkWeight, rows)
    return len(rows)
