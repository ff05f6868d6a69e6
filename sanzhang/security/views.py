"""The user's own password change: it clears the "must change" mark."""

from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.http import HttpResponse


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form) -> HttpResponse:  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        get_user_model().objects.filter(pk=form.user.pk).update(must_change_password=False)
        return response
