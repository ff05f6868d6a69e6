from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IssuesConfig(AppConfig):
    name = "sanzhang.issues"
    verbose_name = _("Issues")
