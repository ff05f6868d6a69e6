from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "sanzhang.points"
    verbose_name = _("Points")

    def ready(self) -> None:
        from sanzhang.access import menu
        from sanzhang.access.roles import Can, can

        # Rankings for the front line; their own ledger for anyone with a person record.
        menu.register(
            "points:home",
            _("Points"),
            110,
            lambda user: (
                can(user, Can.VIEW_RANKINGS)
                or (can(user, Can.USE_CONSOLE) and bool(user.person_id))
            ),
        )

        from . import hooks

        # The issue loop knows nothing of points: a satisfied rating is noticed here.
        post_save.connect(
            hooks.on_issue_event, sender="issues.IssueEvent", dispatch_uid="points_issue_event"
        )
        # Nor do visits, micro-wishes and volunteer tasks: each is noticed here the same way.
        post_save.connect(hooks.on_visit, sender="visits.Visit", dispatch_uid="points_visit")
        post_save.connect(
            hooks.on_wish_event, sender="wishes.WishEvent", dispatch_uid="points_wish_event"
        )
        post_save.connect(hooks.on_signup, sender="volunteers.Signup", dispatch_uid="points_signup")
