from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "sanzhang.training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from sanzhang.access import menu
        from sanzhang.access.roles import Can

        menu.register("training:home", _("Training"), 75, Can.RUN_TRAINING)
        menu.register("training:mine", _("My training"), 87, Can.ATTEND_TRAINING)
