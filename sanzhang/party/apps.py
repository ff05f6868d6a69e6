from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class PartyConfig(AppConfig):
    name = "sanzhang.party"
    verbose_name = pgettext_lazy("the tree", "Party organisation")

    def ready(self) -> None:
        from sanzhang.access import menu
        from sanzhang.access.roles import Can

        menu.register(
            "party:tree", pgettext_lazy("the tree", "Party organisation"), 65, Can.VIEW_PARTY
        )
