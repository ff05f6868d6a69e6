from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WishesConfig(AppConfig):
    name = "sanzhang.wishes"
    verbose_name = _("Micro-wishes")

    def ready(self) -> None:
        from sanzhang.access import menu
        from sanzhang.access.roles import Can
        from sanzhang.core import lifecycle

        from .access import in_staff_menu
        from .notices import on_wish_event

        menu.register("wishes:home", _("Micro-wishes"), 40, in_staff_menu)
        menu.register("resident_wishes", _("My wishes"), 85, Can.ACT_AS_RESIDENT)
        # The people a wish concerns are told of each of its moves.
        lifecycle.listen("wish", on_wish_event)
