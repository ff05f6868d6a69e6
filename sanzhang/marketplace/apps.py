from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    """Service micro-platform (服务微平台)."""

    name = "sanzhang.marketplace"
    verbose_name = _("Service micro-platform")
