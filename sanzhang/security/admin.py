"""The audit log in the admin: read-only, and for auditors only (三权分立, promise 7).

Registered by `security`, above `access`, which decides who reads it.

Superusers and system or security administrators do not see it: the people whose actions the
log records are not the ones who read it. Reading it is itself recorded.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from sanzhang.access.roles import Can, can
from sanzhang.audit.actions import NAMES, OUTCOMES, action_name
from sanzhang.audit.models import AuditEvent
from sanzhang.audit.services import record
from sanzhang.people.models import Role


def is_auditor(request: HttpRequest) -> bool:
    user = request.user
    return user.is_active and can(user, Can.READ_AUDIT_LOG)


class ActionFilter(admin.SimpleListFilter):
    """Filter by action, each named in words."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return sorted(((code, action_name(code)) for code in NAMES), key=lambda pair: pair[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEvent]) -> QuerySet:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Only the auditor reads the audit log, and nobody writes it here."""

    list_display = ["at", "actor_name", "role", "ip", "what", "object_repr", "result"]
    list_filter = [ActionFilter, "outcome", "actor_role"]
    search_fields = ["actor_name", "action", "object_id", "object_repr"]
    date_hierarchy = "at"
    show_full_result_count = False  # a count over millions of rows on every page is slow

    @admin.display(description=_("action"), ordering="action")
    def what(self, event: AuditEvent) -> str:
        return action_name(event.action)

    @admin.display(description=_("role"), ordering="actor_role")
    def role(self, event: AuditEvent) -> str:
        return str(dict(Role.choices).get(event.actor_role, event.actor_role))

    @admin.display(description=_("outcome"), ordering="outcome")
    def result(self, event: AuditEvent) -> str:
        return str(OUTCOMES.get(event.outcome, event.outcome))

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The actor's name and role are recorded on the row; a link to their account would lead
        # the auditor to a page that is the administrators' (403).
        return tuple(f.name for f in AuditEvent._meta.fields if not f.is_relation)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in AuditEvent._meta.fields]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_auditor(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_auditor(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            # The filters used, not their values: a search term could be personal data.
            filters = sorted(request.GET.keys())
            record("audit.log_viewed", request=request, detail={"filters": filters})
        return response

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            record("audit.event_viewed", request=request, detail={"event": object_id})
        return response
