from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    name = "sanzhang.councils"
    verbose_name = _("Councils")

    def ready(self) -> None:
        from sanzhang.access import menu

        from .views import may_open

        # Staff and post holders of an area, and every member who holds a seat.
        menu.register("councils:list", _("Councils"), 58, may_open)
