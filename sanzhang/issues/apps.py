from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuesConfig(AppConfig):
    name = "sanzhang.issues"
    verbose_name = _("Issues")

    def ready(self) -> None:
        from sanzhang.access import menu
        from sanzhang.access.roles import Can

        menu.register("resident:report", _("Report a problem"), 11, Can.ACT_AS_RESIDENT)
        menu.register("resident:mine", _("My reports"), 12, Can.ACT_AS_RESIDENT)
        menu.register("issues:work", _("My work"), 20, Can.WORK_ON_ISSUES)
        menu.register("issues:meetings", _("Meetings"), 130, Can.RUN_MEETINGS)
        menu.register("issue_rules", _("Rules"), 140, Can.CHANGE_ISSUE_RULES)
