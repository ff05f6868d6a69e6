"""Read-only admin: rules change only through `services.change_rule` (the rules page), and the
ledger is append-only (corrections through `services.correct`)."""

from django.contrib import admin

from .models import PointEntry, PointRule


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(PointRule)
class PointRuleAdmin(ReadOnlyAdmin):
    list_display = ["cause", "place", "points", "cap", "cap_period", "valid_from", "valid_to"]
    list_filter = ["cause"]


@admin.register(PointEntry)
class PointEntryAdmin(ReadOnlyAdmin):
    list_display = ["person", "cause", "points", "source_label", "at", "recorded_by"]
    list_filter = ["cause"]
    raw_id_fields = ["person", "rule", "recorded_by"]
