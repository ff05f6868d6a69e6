from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulesConfig(AppConfig):
    name = "sanzhang.schedules"
    verbose_name = _("Scheduled work")
