from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketplaceConfig(AppConfig):
    """Service micro-platform (服务微平台)."""

    name = "sanzhang.marketplace"
    verbose_name = _("Service micro-platform")

    def ready(self) -> None:
        from sanzhang.access import menu
        from sanzhang.access.roles import Can

        menu.register("marketplace:browse", _("Local services"), 88, Can.BOOK_SERVICES)
        menu.register("marketplace:mine", _("My bookings"), 10, Can.SERVE_BOOKINGS)
        menu.register("marketplace:staff", _("Service merchants"), 76, Can.LIST_MERCHANTS)
