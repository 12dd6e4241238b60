"""Background work of the portal, enqueued once a day (``manage.py enqueue_periodic daily``):
the glut warnings, which tell the officers concerned, and the week's forecast snapshot, kept
to compare the forecast afterwards with what came to market."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from nongsan.harvests.gluts import glut_alerts_raise
from nongsan.harvests.services import forecast_snapshot_weekly


@task()
def glut_alerts_raise_task() -> int:
    return glut_alerts_raise(today=timezone.localdate())


@task()
def forecast_snapshot_task() -> int:
    return forecast_snapshot_weekly()
