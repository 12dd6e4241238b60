"""Background work of the programme: rebuilding the roll-up the dashboards read.

Enqueue ``rollup_rebuild_task`` on a schedule (hourly at national scale, or after a large
import); ``manage.py rebuild_programme_rollups`` does the same in the foreground."""

from __future__ import annotations

from django_tasks import task

from nongsan.programme.rollup import rollup_rebuild


@task()
def rollup_rebuild_task() -> int:
    return rollup_rebuild().rows
