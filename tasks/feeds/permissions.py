"""Who may have a calendar feed: every active, logged-in person (the feed shows only what
concerns them)."""

from django.contrib.auth.models import AnonymousUser

from units.models import User


def can_subscribe(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_active
