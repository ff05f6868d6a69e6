from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "sanzhang.evaluations"
    verbose_name = _("Public evaluation")

    def ready(self) -> None:
        from sanzhang.access import menu
        from sanzhang.access.roles import Can, can

        menu.register("evaluations:home", _("Public evaluation"), 82, Can.VIEW_EVALUATIONS)
        # Residents find the evaluation in their menu; post holders reach it from its home.
        menu.register(
            "evaluations:vote",
            _("Evaluate post holders"),
            86,
            lambda user: (
                can(user, Can.EVALUATE_POST_HOLDERS) and not can(user, Can.VIEW_EVALUATIONS)
            ),
        )
