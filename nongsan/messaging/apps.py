from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "nongsan.messaging"
    verbose_name = _("Tin nhắn")

    def ready(self) -> None:
        from nongsan.messaging import checks  # noqa: F401 - registers the system checks
