from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "nongsan.common"
    verbose_name = _("Dùng chung")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from nongsan.common.database import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="nongsan-sqlite-vi")
