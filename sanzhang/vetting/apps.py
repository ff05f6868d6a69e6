from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VettingConfig(AppConfig):
    name = "sanzhang.vetting"
    verbose_name = _("Cadre vetting")

    def ready(self) -> None:
        from sanzhang.access import menu

        from .access import in_menu

        # The department, and leaders while they review a vetting (one query for leaders).
        menu.register("vetting:list", _("Cadre vetting"), 70, in_menu)
