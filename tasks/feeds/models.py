"""A person's calendar feed token. Only its SHA-256 is stored: the URL is shown once, when made."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from hefei_ai_zone import clock


class CalendarFeed(models.Model):
    """One token of a person's iCalendar feed; revoked ones are kept (revoked_at) for the record.
    At most one active token per person."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        verbose_name="用户",
    )
    token_hash = models.CharField("令牌摘要", max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", default=clock.now)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        verbose_name = "日历订阅"
        verbose_name_plural = "日历订阅"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_active_feed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} 的日历订阅"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
