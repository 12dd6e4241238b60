from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "nongsan.audit"
    verbose_name = _("Nhật ký kiểm toán")

    def ready(self) -> None:
        from django.core import checks

        from nongsan.audit.database import check_guard_triggers

        checks.register(check_guard_triggers, checks.Tags.database)
