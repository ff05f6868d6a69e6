from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    """Funding (经费保障)."""

    name = "sanzhang.funds"
    verbose_name = _("Funding")
