from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnouncementsConfig(AppConfig):
    """Announcements (上传下达)."""

    name = "sanzhang.announcements"
    verbose_name = _("Announcements")

    def ready(self) -> None:
        from sanzhang.access import menu
        from sanzhang.access.roles import Can

        menu.register("announcements:posted", _("Announcements"), 57, Can.POST_ANNOUNCEMENTS)
        menu.register("announcements:mine", _("Announcements"), 13, Can.READ_ANNOUNCEMENTS)
