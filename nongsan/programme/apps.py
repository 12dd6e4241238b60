from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "nongsan.programme"
    verbose_name = _("Chỉ tiêu và kết quả chương trình")

    def ready(self) -> None:
        # Every dashboard can be exported to xlsx and PDF by the exports app.
        from nongsan.programme.documents import register_dashboard_document

        register_dashboard_document()
