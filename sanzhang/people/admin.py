from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils.translation import gettext_lazy as _

from sanzhang.core.masking import mask_phone

from .models import Organisation, PartyMember, Person, User


class AdminSetPasswordForm(AdminPasswordChangeForm):
    """A password set by an administrator must be replaced by its holder at first login."""

    def save(self, commit: bool = True):  # type: ignore[no-untyped-def]
        self.user.must_change_password = True
        return super().save(commit=commit)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    change_password_form = AdminSetPasswordForm
    list_display = ["username", "first_name", "last_name", "role", "organisation", "is_active"]
    list_filter = ["role", "is_active"]
    fieldsets = [
        *(BaseUserAdmin.fieldsets or ()),
        (_("Sanzhang"), {"fields": ["role", "organisation", "person", "must_change_password"]}),
    ]
    raw_id_fields = ["person"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        if not change:
            obj.must_change_password = True  # the initial password is the administrator's
        super().save_model(request, obj, form, change)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "place"]
    list_filter = ["kind"]
    raw_id_fields = ["place"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """Administrators manage records, not read them: personal data stays masked here."""

    list_display = ["name", "masked_phone", "household"]
    search_fields = ["name"]
    fields = ["name", "gender", "birth_year", "household"]
    raw_id_fields = ["household"]

    @admin.display(description=_("phone"))
    def masked_phone(self, obj: Person) -> str:
        return mask_phone(obj.phone)


@admin.register(PartyMember)
class PartyMemberAdmin(admin.ModelAdmin):
    list_display = ["person", "work_unit", "community", "registered_on"]
    raw_id_fields = ["person", "community"]
