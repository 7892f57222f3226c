"""Writes of calendar feeds: make a new token (the old one stops working), revoke it."""

import hashlib
import secrets

from django.db import transaction

from hefei_ai_zone import clock
from hefei_ai_zone.errors import NotPermittedError
from units.models import User

from .models import CalendarFeed
from .permissions import can_subscribe


def token_digest(token: str) -> str:
    """What is stored and looked up: the SHA-256 of the token (a 256-bit random secret, so the
    digest needs no salt and a lookup by it leaks nothing of the token)."""
    return hashlib.sha256(token.encode()).hexdigest()


def feed_create(*, user: User) -> tuple[CalendarFeed, str]:
    """A new feed token for the person; the previous one, if any, is revoked. Returns the feed
    and the token itself, which is never stored and can be shown only now."""
    if not can_subscribe(user):
        raise NotPermittedError("请先登录。")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.select_for_update().filter(user=user, revoked_at__isnull=True).update(
            revoked_at=clock.now()
        )
        feed = CalendarFeed(user=user, token_hash=token_digest(token))
        feed.full_clean()
        feed.save()
    return feed, token


def feed_revoke(*, user: User) -> int:
    """Revoke the person's active feed token: its URL answers 404 from now on. Returns how many
    were revoked (0 or 1)."""
    with transaction.atomic():
        return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=clock.now()
        )
