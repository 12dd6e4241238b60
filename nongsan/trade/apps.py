from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TradeConfig(AppConfig):
    name = "nongsan.trade"
    verbose_name = _("Kết nối thương lái với vùng trồng")

    def ready(self) -> None:
        # The hooks keep the candidate table in step with listings and harvest announcements
        # and tell traders of a matching harvest; they only schedule work on commit.
        from nongsan.trade import hooks

        hooks.connect()
