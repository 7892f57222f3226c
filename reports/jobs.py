"""Celery jobs of the reports app: building documents (reports.documents).

``build_document`` takes a build's id and calls ``build_run``, which claims it (queued → running
under a row lock), builds with progress and stores the file. ``acks_late``: a worker killed in
the middle leaves the message unacknowledged, so the broker redelivers it; the claim re-runs a
build only once its lease has passed (a dead worker's), so a build finishes once.
``documents_pick_up`` (beat, every 5 minutes) re-enqueues what a dead worker or a lost message
left without waiting for the broker's redelivery.
"""

import logging
from collections.abc import Sequence
from typing import Any

from celery import shared_task
from django.conf import settings
from django.dispatch import receiver

from reports.documents.models import DocumentBuild
from reports.documents.services import build_run, builds_pick_up
from reports.documents.signals import builds_ready

logger = logging.getLogger(__name__)


@shared_task(
    name="reports.jobs.build_document",
    acks_late=True,
    reject_on_worker_lost=False,  # a dead worker's build stays "running": the lease decides
    soft_time_limit=settings.DOCUMENT_JOB_SOFT_TIME_LIMIT,
    time_limit=settings.DOCUMENT_JOB_TIME_LIMIT,
)
def build_document(build_id: int) -> str:
    return build_run(build_id=build_id)


@shared_task(
    name="reports.jobs.documents_pick_up", acks_late=True, soft_time_limit=50, time_limit=60
)
def documents_pick_up() -> int:
    """Enqueue the builds a dead worker or a lost message left; returns how many."""
    return builds_enqueue(builds_pick_up())


def builds_enqueue(build_ids: Sequence[int]) -> int:
    """One ``build_document`` job per build. Never raises into the request: with the broker
    unreachable the build stays queued and ``documents_pick_up`` enqueues it later; in the
    embedded default (eager) a failure is already recorded on the build."""
    enqueued = 0
    for build_id in build_ids:
        try:
            build_document.apply_async(args=[build_id], retry=False)
        except Exception as exc:  # the broker down (kombu/redis errors), or an eager job's error
            if settings.CELERY_TASK_ALWAYS_EAGER:
                logger.exception("文件生成 %s 出错", build_id)
                continue
            logger.warning("消息队列不可用（%s）：文件生成留待定时任务补发", exc)
            break
        enqueued += 1
    return enqueued


@receiver(builds_ready, sender=DocumentBuild)
def _builds_ready(sender: type[DocumentBuild], build_ids: Sequence[int], **kwargs: Any) -> None:
    builds_enqueue(build_ids)
