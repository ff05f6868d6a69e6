from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyConfig(AppConfig):
    name = "sanzhang.party"
    verbose_name = _("Party organisation")

    def ready(self) -> None:
        from sanzhang.access import menu
        from sanzhang.access.roles import Can

        menu.register("party:tree", _("Party organisation"), 65, Can.VIEW_PARTY)
