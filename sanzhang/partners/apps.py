from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    """Co-building units (共建单位)."""

    name = "sanzhang.partners"
    verbose_name = _("Co-building units")

    def ready(self) -> None:
        from sanzhang.access import menu
        from sanzhang.access.roles import Can

        menu.register("partners:list", _("Co-building units"), 67, Can.VIEW_PARTNERS)
