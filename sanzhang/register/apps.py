from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    """The household and resident register (实有人口/房屋): its import, pages, moves and export.
    The records themselves are `people`'s; this app keeps them, above `access`."""

    name = "sanzhang.register"
    verbose_name = _("Household register")
