from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PricesConfig(AppConfig):
    name = "nongsan.prices"
    verbose_name = _("Giá nông sản")
