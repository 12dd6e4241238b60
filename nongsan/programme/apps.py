from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    name = "nongsan.programme"
    verbose_name = _("Chỉ tiêu và kết quả chương trình")
