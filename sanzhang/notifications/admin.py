from django.contrib import admin

from .models import Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "place", "organisation", "is_active"]
    raw_id_fields = ["place", "organisation"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "endpoint", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status"]
    readonly_fields = [
        "endpoint",
        "event",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "sent_at",
    ]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
