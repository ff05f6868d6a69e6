"""The signed-in user, read once per request with what their scope needs (their organisation
and its place, joined in the same query), so the scope of staff, offices and departments costs
no query of its own."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class ScopedModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        users = get_user_model()._default_manager.select_related("organisation__place")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
