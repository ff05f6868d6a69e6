from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RotationConfig(AppConfig):
    """Reserves and rotation (双三长与轮岗)."""

    name = "sanzhang.rotation"
    verbose_name = _("Reserves and rotation")

    def ready(self) -> None:
        from sanzhang.access import menu
        from sanzhang.access.roles import Can

        menu.register("rotation:home", _("Terms and rotation"), 72, Can.MANAGE_ROTATION)
