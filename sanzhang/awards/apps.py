from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "sanzhang.awards"
    verbose_name = _("Best leader awards")

    def ready(self) -> None:
        from sanzhang.access import menu
        from sanzhang.access.roles import Can

        menu.register("awards:list", _("Best leader awards"), 80, Can.VIEW_AWARDS)
