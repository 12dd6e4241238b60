from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HarvestsConfig(AppConfig):
    name = "nongsan.harvests"
    verbose_name = _("Mùa vụ và thu hoạch")
