from django.contrib import admin

from .models import Place, PlaceCodeAlias, PlaceEvent


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "is_rural", "retired_at"]
    list_filter = ["kind", "is_rural"]
    search_fields = ["code", "name"]
    # Codes, parents and retirement change only through the services (moves keep old codes).
    readonly_fields = ["code", "kind", "parent", "depth", "is_rural", "retired_at", "name"]
    fields = ["code", "name", "kind", "parent", "depth", "is_rural", "retired_at"]
    fields += ["centre_lat", "centre_lng", "boundary"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(PlaceCodeAlias)
class PlaceCodeAliasAdmin(admin.ModelAdmin):
    list_display = ["code", "place", "replaced_at"]
    search_fields = ["code"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(PlaceEvent)
class PlaceEventAdmin(admin.ModelAdmin):
    list_display = ["at", "place", "action", "actor", "reason"]
    list_filter = ["action"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
