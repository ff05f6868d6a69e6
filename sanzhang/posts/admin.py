from django.contrib import admin

from .models import Post, Tenure


class TenureInline(admin.TabularInline):
    model = Tenure
    extra = 0
    raw_id_fields = ["person"]
    readonly_fields = ["person", "role", "started_on", "ended_on", "end_reason"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # appointments go through posts.services.appoint (it ends the previous one)


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["place", "kind", "seat"]
    list_filter = ["kind"]
    search_fields = ["place__code", "place__name"]
    raw_id_fields = ["place"]
    fields = ["place", "kind", "seat", "duties"]
    readonly_fields = ["place", "kind", "seat"]
    inlines = [TenureInline]
