from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    """Funding (经费保障)."""

    name = "sanzhang.funds"
    verbose_name = _("Funding")

    def ready(self) -> None:
        from sanzhang.access import menu
        from sanzhang.access.roles import Can

        menu.register("funds:home", _("Funds"), 76, Can.VIEW_FUNDS)
        menu.register("funds:spendings", _("Spending to approve"), 77, Can.APPROVE_SPENDING)
