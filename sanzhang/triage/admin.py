from django.contrib import admin

from .models import TriageModel


@admin.register(TriageModel)
class TriageModelAdmin(admin.ModelAdmin):
    """Each county's model versions with what they learned from and how well they did on the
    history held out (read-only; the worker writes them)."""

    list_display = ["county", "version", "trained_at", "samples", "hard_samples", "metrics"]
    list_filter = ["county"]
    exclude = ["pipeline"]
    readonly_fields = ["county", "version", "trained_at", "samples", "hard_samples", "metrics"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return super().get_queryset(request).defer("pipeline")  # some MB a row: never listed

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
