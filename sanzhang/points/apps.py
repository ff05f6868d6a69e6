from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "sanzhang.points"
    verbose_name = _("Points")

    def ready(self) -> None:
        from . import hooks

        # The issue loop knows nothing of points: a satisfied rating is noticed here.
        post_save.connect(
            hooks.on_issue_event, sender="issues.IssueEvent", dispatch_uid="points_issue_event"
        )
