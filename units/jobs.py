"""Celery jobs of the units app: delivering notifications (units.notifications).

``deliver`` takes a delivery's id and calls the services, which claim it (pending → sending under
a row lock), send it and record the outcome; it is idempotent, so ``acks_late`` redelivery after a
worker's death does no harm. ``deliver_pending`` is run by beat (``setup_schedules``) and enqueues
what waits in the database: jobs lost while Redis was down or restarted, retries whose message is
gone.
"""

import logging
from collections.abc import Sequence
from typing import Any

from celery import shared_task
from django.conf import settings
from django.dispatch import receiver

from units.notifications.models import Delivery
from units.notifications.services import Outcome, deliveries_pick_up, delivery_attempt
from units.notifications.signals import deliveries_ready

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="units.jobs.deliver",
    acks_late=True,
    reject_on_worker_lost=False,  # a lost worker's row stays "sending": see deliver_pending
    max_retries=None,  # the database's attempts decide (NOTICE_MAX_ATTEMPTS), not the message's
    soft_time_limit=settings.NOTICE_JOB_SOFT_TIME_LIMIT,
    time_limit=settings.NOTICE_JOB_TIME_LIMIT,
)
def deliver(self: Any, delivery_id: int) -> str:
    """Send one delivery; on a failure worth retrying, retry with exponential backoff and jitter
    (countdown capped well below Redis's visibility timeout)."""
    # The embedded default (no Redis) runs jobs inside the request: no retries there.
    may_retry = not settings.CELERY_TASK_ALWAYS_EAGER
    attempt = delivery_attempt(delivery_id=delivery_id, may_retry=may_retry)
    if attempt.outcome == Outcome.RETRY:
        raise self.retry(countdown=attempt.retry_in)
    return str(attempt.outcome)


@shared_task(name="units.jobs.deliver_pending", acks_late=True, soft_time_limit=270, time_limit=300)
def deliver_pending() -> int:
    """Enqueue the deliveries still pending past their time; fail the ones a dead worker left
    sending (their outcome is unknown). Returns how many were enqueued."""
    return deliveries_enqueue(deliveries_pick_up())


def deliveries_enqueue(delivery_ids: Sequence[int]) -> int:
    """Enqueue one ``deliver`` job per delivery; returns how many were enqueued. Never raises
    into the request: with the broker unreachable the deliveries stay pending, and
    ``deliver_pending`` (beat) enqueues them once it is back."""
    enqueued = 0
    for delivery_id in delivery_ids:
        try:
            deliver.apply_async(args=[delivery_id], retry=False)
        except Exception as exc:  # the broker down (kombu/redis errors), or an eager job's error
            if settings.CELERY_TASK_ALWAYS_EAGER:
                logger.exception("投递 %s 出错", delivery_id)
                continue
            logger.warning(
                "消息队列不可用（%s）：%d 条投递留待定时任务补发", exc, len(delivery_ids) - enqueued
            )
            break
        enqueued += 1
    return enqueued


@receiver(deliveries_ready, sender=Delivery)
def _deliveries_ready(sender: type[Delivery], delivery_ids: Sequence[int], **kwargs: Any) -> None:
    deliveries_enqueue(delivery_ids)
