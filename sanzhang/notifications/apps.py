from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "sanzhang.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from sanzhang.core import lifecycle

        from .services import notify

        # The issue loop knows nothing of notices: every step it takes is heard here.
        lifecycle.listen("issue", notify)
