from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "sanzhang.supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from sanzhang.access import menu
        from sanzhang.access.roles import Can
        from sanzhang.core import lifecycle

        from .rectification_notices import on_item_moved

        menu.register("supervision:dashboard_home", _("Supervision"), 30, Can.VIEW_SUPERVISION)
        # The posts and offices a rectification item concerns are told of each of its moves.
        lifecycle.listen("rectification", on_item_moved)
