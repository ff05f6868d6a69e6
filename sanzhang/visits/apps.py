from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "sanzhang.visits"
    verbose_name = _("Visits")

    def ready(self) -> None:
        from sanzhang.access import menu
        from sanzhang.access.roles import Can

        menu.register("visits:record", _("Visits"), 25, Can.RECORD_VISITS)
        menu.register("visits:coverage_home", _("Visit coverage"), 70, Can.VIEW_VISIT_COVERAGE)
