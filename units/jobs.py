"""Celery jobs of the units app: delivering notifications (units.notifications).

``deliver`` takes a delivery's id and calls the services, which claim it (pending → sending under
a row lock), send it and record the outcome; it is idempotent, so ``acks_late`` redelivery after a
worker's death does no harm. ``deliver_pending`` is run by beat (``setup_schedules``) and enqueues
what waits in the database: jobs lost while Redis was down or restarted, retries whose message is
gone.
"""

from typing import Any

from celery import shared_task
from django.conf import settings

from units.notifications.services import (
    Outcome,
    deliveries_enqueue,
    deliveries_pick_up,
    delivery_attempt,
)


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


@shared_task(name="units.jobs.deliver_pending", acks_late=True, time_limit=300)
def deliver_pending() -> int:
    """Enqueue the deliveries still pending past their time; fail the ones a dead worker left
    sending (their outcome is unknown). Returns how many were enqueued."""
    return deliveries_enqueue(deliveries_pick_up())
