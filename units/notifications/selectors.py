"""Reads of notifications: a person's notices and unread count, the office's delivery log, and
what the periodic pick-up must enqueue."""

from datetime import datetime

from django.db.models import Q, QuerySet

from units.models import User

from .models import Delivery, DeliveryState, Notice


def notice_list(*, user: User) -> QuerySet[Notice]:
    """The person's notices, newest first (one query)."""
    return Notice.objects.filter(recipient=user).order_by("-created_at", "-id")


def unread_count(*, user: User) -> int:
    """The number on the bell (one query, on the index notice_unread)."""
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def delivery_log(*, state: str = "", channel: str = "") -> QuerySet[Delivery]:
    """Every delivery with its notice, recipient and robot, newest first (one query)."""
    deliveries = Delivery.objects.select_related(
        "notice__recipient__unit", "webhook__unit"
    ).order_by("-created_at", "-id")
    if state:
        deliveries = deliveries.filter(state=state)
    if channel:
        deliveries = deliveries.filter(channel=channel)
    return deliveries


def deliveries_due(*, now: datetime, limit: int) -> list[int]:
    """Pending deliveries whose job may have been lost (Redis down or restarted, a worker gone):
    those past their ``next_attempt_at``."""
    return list(
        Delivery.objects.filter(
            Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True),
            state=DeliveryState.PENDING,
        )
        .order_by("next_attempt_at", "id")
        .values_list("id", flat=True)[:limit]
    )
