from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "sanzhang.volunteers"
    verbose_name = _("Volunteer riders")

    def ready(self) -> None:
        from sanzhang.access import menu
        from sanzhang.access.roles import Can

        menu.register("volunteers:list", _("Volunteer riders"), 90, Can.VIEW_RIDERS)
