"""The signed-in user, read once per request with what their scope needs (their organisation
and its place, joined in the same query), so the scope of staff, offices and departments costs
no query of its own."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ScopedModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        model = get_user_model()
        try:
            # get, not first: no ORDER BY to build on every request (a fifth of the read here).
            user = model._default_manager.select_related("organisation__place").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
