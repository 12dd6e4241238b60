"""manage.py raise_glut_alerts: raise or update glut warnings from the forecast and prices."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from nongsan.harvests.gluts import glut_alerts_raise


class Command(BaseCommand):
    help = "Tính cảnh báo ùn ứ (chạy hằng ngày). / Raise glut warnings (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = glut_alerts_raise(today=timezone.localdate())
        self.stdout.write(self.style.SUCCESS(f"Cảnh báo / alerts: {count}"))
