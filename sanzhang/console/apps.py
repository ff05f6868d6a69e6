from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    name = "sanzhang.console"
    verbose_name = _("Console")

    def ready(self) -> None:
        from sanzhang.access import menu
        from sanzhang.access.roles import Can

        menu.register("console:home", _("Home"), 10, Can.USE_CONSOLE)
