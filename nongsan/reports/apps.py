from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "nongsan.reports"
    verbose_name = _("Báo cáo định kỳ của tỉnh")

    def ready(self) -> None:
        # The provincial report is one of the documents the exports app can render.
        from nongsan.reports.documents import register_report_document

        register_report_document()
