"""Who may register a meeting's decisions together: the office (and the administrator)."""

from django.contrib.auth.models import AnonymousUser

from units.models import User
from units.permissions import is_office


def can_batch(user: User | AnonymousUser) -> bool:
    return is_office(user)
