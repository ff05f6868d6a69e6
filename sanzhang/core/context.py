"""Template context shared by every page: the navigation a user's role gives."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from sanzhang.people.scope import can_see_people


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    if user.role == "resident":
        return {
            "nav": [
                (reverse("resident:report"), _("Report a problem")),
                (reverse("resident:mine"), _("My reports")),
                (reverse("awards:list"), _("Best leader awards")),
                (reverse("resident_wishes"), _("My wishes")),
            ]
        }
    nav = [
        (reverse("console:home"), _("Home")),
        (reverse("places:browse"), _("Places")),
        (reverse("posts:list"), _("Post holders")),
    ]
    if user.role in {"leader", "community_staff", "county_office", "department"}:
        nav.insert(1, (reverse("issues:work"), _("My work")))
        nav.insert(2, (reverse("supervision:dashboard_home"), _("Supervision")))
        nav.insert(3, (reverse("wishes:home"), _("Micro-wishes")))
    if user.role in {"leader", "community_staff"}:
        nav.insert(2, (reverse("visits:record"), _("Visits")))
    if user.role in {"leader", "community_staff", "county_office"}:
        nav.append((reverse("visits:coverage_home"), _("Visit coverage")))
        nav.append((reverse("awards:list"), _("Best leader awards")))
        nav.append((reverse("volunteers:list"), _("Volunteer riders")))
    if can_see_people(user):
        nav.append((reverse("people:list"), _("People")))
    if user.person_id or user.role in {"community_staff", "county_office"}:
        nav.append((reverse("points:home"), _("Points")))
    if user.role in {"county_office", "community_staff"}:
        nav.append((reverse("places:import"), _("Import")))
    if user.role == "county_office":
        nav.append((reverse("issues:meetings"), _("Meetings")))
        nav.append((reverse("issue_rules"), _("Rules")))
    if user.is_staff:
        nav.append((reverse("admin:index"), _("Admin")))
    return {"nav": nav}
