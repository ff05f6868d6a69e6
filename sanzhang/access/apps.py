from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "sanzhang.access"
    verbose_name = _("Access")

    def ready(self) -> None:
        from . import menu
        from .roles import Can

        # The apps below access (places, people, posts) have their entries here; the apps
        # above register their own in their AppConfig.ready.
        menu.register("places:browse", _("Places"), 50, Can.USE_CONSOLE)
        menu.register("posts:list", _("Post holders"), 60, Can.USE_CONSOLE)
        menu.register("people:list", _("People"), 100, Can.VIEW_PEOPLE)
        menu.register("places:import", _("Import"), 120, Can.IMPORT_PLACES)
        menu.register("admin:index", _("Admin"), 150, lambda user: user.is_staff)
