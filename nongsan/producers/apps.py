from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProducersConfig(AppConfig):
    name = "nongsan.producers"
    verbose_name = _("Hộ sản xuất và chương trình")
