from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    """Announcements (上传下达)."""

    name = "sanzhang.announcements"
    verbose_name = _("Announcements")
