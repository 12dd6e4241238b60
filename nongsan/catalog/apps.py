from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "nongsan.catalog"
    verbose_name = _("Sản phẩm và tin đăng bán")
