from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "sanzhang.security"
    verbose_name = _("Security")

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401 (registers receivers and system checks)
