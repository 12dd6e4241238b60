from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnboardingConfig(AppConfig):
    name = "nongsan.onboarding"
    verbose_name = _("Đào tạo và lộ trình lên sàn")
