"""Background work of trade: expiring offers and rebuilding the candidate table.

Run ``offers_expire_task`` every few minutes and ``candidates_rebuild_task`` daily."""

from __future__ import annotations

from django_tasks import task

from nongsan.trade.candidates import candidates_rebuild
from nongsan.trade.services import offers_expire


@task()
def offers_expire_task() -> int:
    return offers_expire()


@task()
def candidates_rebuild_task() -> int:
    return candidates_rebuild()
