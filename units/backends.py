"""Authentication backend: Django's own, with the user's unit loaded in the same query (every
page names the unit in its header and every permission check asks for it)."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import User


class UserWithUnitBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("unit").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
