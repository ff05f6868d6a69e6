"""Admin for the issue loop's data. Issues and their events change only through the workflow,
so here they are read-only; categories are the one piece of data edited here."""

from django.contrib import admin

from .models import AgendaItem, Category, Issue, IssueEvent, Meeting


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "place", "default_tier", "is_active"]
    list_filter = ["default_tier", "is_active"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


class EventInline(admin.TabularInline):
    model = IssueEvent
    fields = ["at", "kind", "actor", "from_state", "to_state", "note"]
    readonly_fields = ["at", "kind", "actor", "from_state", "to_state", "note"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Issue)
class IssueAdmin(ReadOnlyAdmin):
    list_display = ["number", "category", "tier", "state", "channel", "created_at", "due_at"]
    list_filter = ["state", "tier", "channel", "category"]
    search_fields = ["number"]
    list_select_related = ["category"]
    exclude = ["text", "intake_key", "intake_digest"]  # residents' words stay in the app
    inlines = [EventInline]


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    fields = ["issue", "lead_department", "due_on", "assigned_at"]
    readonly_fields = ["issue", "lead_department", "due_on", "assigned_at"]
    extra = 0
    can_delete = False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["held_on", "title", "is_held"]
    inlines = [AgendaInline]
