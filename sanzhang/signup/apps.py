from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignupConfig(AppConfig):
    """Residents sign up and sign in with their phone and a one-time code (no password to
    forget); those the register does not know are linked to their household by a leader."""

    name = "sanzhang.signup"
    verbose_name = _("Resident sign-up")

    def ready(self) -> None:
        from sanzhang.access import menu
        from sanzhang.access.roles import Can

        menu.register("signup:requests", _("New residents"), 28, Can.CONFIRM_RESIDENTS)
