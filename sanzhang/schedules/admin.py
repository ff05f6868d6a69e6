from django.contrib import admin

from .models import ScheduledRun


@admin.register(ScheduledRun)
class ScheduledRunAdmin(admin.ModelAdmin):
    """Every scheduled run with its last result and errors (read-only)."""

    list_display = ["schedule", "period", "status", "started_at", "finished_at", "result"]
    list_filter = ["schedule", "status"]
    readonly_fields = [
        "schedule",
        "period",
        "status",
        "queued_at",
        "started_at",
        "finished_at",
        "result",
        "error",
    ]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
