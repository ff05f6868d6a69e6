from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "sanzhang.supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from sanzhang.access import menu
        from sanzhang.access.roles import Can

        menu.register("supervision:dashboard_home", _("Supervision"), 30, Can.VIEW_SUPERVISION)
