"""Background work of messaging: sending again what lost its on-commit dispatch."""

from __future__ import annotations

from django_tasks import task

from nongsan.messaging.services import dispatch_stale


@task()
def messages_dispatch_stale_task() -> int:
    """Every few minutes: messages queued for more than five minutes, 500 a run."""
    return dispatch_stale()
