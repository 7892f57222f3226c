"""Writes of document builds: requesting one (joining a running one), running it in the job
(claim, progress, store, fail) and picking up builds a dead worker or a lost message left.

A build runs outside any long transaction: the claim, each progress step and the end are short
transactions of their own, so the page that polls sees the progress while the builder works.
"""

import logging
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from hefei_ai_zone import clock
from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from units.audit import services as audit
from units.audit.models import AuditKind
from units.models import User

from .models import ACTIVE_STATES, BuildState, DocumentBuild, build_key
from .registry import FORMAT_LABELS, BuiltFile, builder_for
from .signals import builds_ready

logger = logging.getLogger(__name__)

INTERNAL_ERROR = "生成失败：系统内部错误，请稍后重试；如仍失败，请联系管理员（编号 {pk}）。"
TIMED_OUT = "生成超时：文件内容过多，未能在规定时间内完成，请联系管理员。"
# Test-only: seconds to pause after each progress step, so that an integration test can kill the
# worker in the middle of a build (tests/documents). Off (0) unless the variable is set.
PAUSE_PER_STEP = float(os.environ.get("DOCUMENT_BUILD_PAUSE") or 0)
TOO_MANY_ATTEMPTS = (
    "生成多次中断（可能是服务器内存不足或重启），已停止重试，请稍后重新生成或联系管理员。"
)


def _enqueue_after_commit(build_id: int) -> None:
    transaction.on_commit(lambda: builds_ready.send(sender=DocumentBuild, build_ids=[build_id]))


def build_request(*, user: User, kind: str, params: Mapping[str, str], fmt: str) -> DocumentBuild:
    """Request a document: the running build of the same document (kind, format, params) if
    there is one, else a new queued build, its job enqueued after the commit."""
    builder = builder_for(kind)
    if fmt not in builder.formats:
        labels = "、".join(FORMAT_LABELS.get(f, f) for f in builder.formats)
        raise ApplicationError(
            f"{builder.label}只能生成 {labels} 格式。", {"fields": {"format": ["格式无效。"]}}
        )
    parsed = builder.parse_params(params)
    if not builder.may_request(user, parsed):
        raise NotPermittedError(f"您无权生成这份{builder.label}。")
    key = build_key(kind, fmt, parsed)
    with transaction.atomic():
        running = DocumentBuild.objects.filter(key=key, state__in=ACTIVE_STATES).first()
        if running is not None:
            return running
        try:
            with transaction.atomic():
                build = DocumentBuild.objects.create(
                    kind=kind,
                    fmt=fmt,
                    params=parsed,
                    title=builder.describe(parsed)[:200],
                    key=key,
                    requested_by=user,
                    stage="排队等待生成",
                )
        except IntegrityError:
            # Another request created it between our read and our insert: join it.
            return DocumentBuild.objects.get(key=key, state__in=ACTIVE_STATES)
        audit.record(
            AuditKind.DOCUMENT_BUILD,
            actor=user,
            obj=build,
            detail=f"生成{FORMAT_LABELS.get(fmt, fmt)}：{build.title}",
        )
        _enqueue_after_commit(build.pk)
    return build


def _lease() -> timedelta:
    return timedelta(seconds=settings.DOCUMENT_BUILD_LEASE)


@dataclass(frozen=True)
class Claim:
    build: DocumentBuild | None  # the build to run, None when there is nothing to do
    outcome: str  # "claimed", "done", "failed", "busy", "missing", "gave_up"


def build_claim(*, build_id: int) -> Claim:
    """queued → running under a row lock (attempts + 1). A build left running longer than the
    lease was abandoned by a dead worker (the lease is longer than the job's hard time limit): it
    is claimed again, until DOCUMENT_BUILD_MAX_ATTEMPTS, then failed. A build running within its
    lease belongs to a live worker: a redelivered message leaves it alone."""
    with transaction.atomic():
        build = DocumentBuild.objects.select_for_update().filter(pk=build_id).first()
        if build is None:
            return Claim(None, "missing")
        if build.state in (BuildState.DONE, BuildState.FAILED):
            return Claim(None, str(build.state))
        now = clock.now()
        alive = build.started_at is not None and build.started_at > now - _lease()
        if build.state == BuildState.RUNNING and alive:
            return Claim(None, "busy")
        if build.attempts >= settings.DOCUMENT_BUILD_MAX_ATTEMPTS:
            _fail(build, TOO_MANY_ATTEMPTS, now)
            return Claim(None, "gave_up")
        build.state = BuildState.RUNNING
        build.attempts += 1
        build.started_at = now
        build.progress = 0
        build.stage = "开始生成" if build.attempts == 1 else f"重新生成（第 {build.attempts} 次）"
        build.save(update_fields=["state", "attempts", "started_at", "progress", "stage"])
        return Claim(build, "claimed")


def _fail(build: DocumentBuild, reason: str, now: datetime) -> None:
    build.state = BuildState.FAILED
    build.error = reason
    build.stage = "失败"
    build.finished_at = now
    build.save(update_fields=["state", "error", "stage", "finished_at"])


def build_progress(*, build: DocumentBuild, percent: int, stage: str) -> None:
    """Record progress in its own short transaction (only while this attempt owns the build)."""
    percent = max(0, min(100, int(percent)))
    DocumentBuild.objects.filter(
        pk=build.pk, state=BuildState.RUNNING, attempts=build.attempts
    ).update(progress=percent, stage=stage[:100])
    if PAUSE_PER_STEP:
        time.sleep(PAUSE_PER_STEP)


def _finish(build: DocumentBuild, built: BuiltFile) -> str:
    """Store the file and mark the build done, if this attempt still owns it."""
    with transaction.atomic():
        row = DocumentBuild.objects.select_for_update().get(pk=build.pk)
        if row.state != BuildState.RUNNING or row.attempts != build.attempts:
            return "superseded"
        row.finished_at = clock.now()
        row.file.save(built.filename, ContentFile(built.content), save=False)
        stored = row.file.name or ""
        try:
            row.filename = built.filename[:200]
            row.content_type = built.content_type
            row.size = len(built.content)
            row.state = BuildState.DONE
            row.progress = 100
            row.stage = "已完成"
            row.error = ""
            row.save()
        except BaseException:
            row.file.storage.delete(stored)
            raise
    return "done"


def _record_failure(build: DocumentBuild, reason: str) -> None:
    with transaction.atomic():
        row = DocumentBuild.objects.select_for_update().get(pk=build.pk)
        if row.state == BuildState.RUNNING and row.attempts == build.attempts:
            _fail(row, reason, clock.now())


def build_run(*, build_id: int) -> str:
    """Run one build (the job's body): claim it, build with progress, store the file. A failure
    fails the build with a Chinese reason (an ApplicationError's message as is; otherwise a
    general one, the traceback logged). Returns the outcome."""
    claim = build_claim(build_id=build_id)
    build = claim.build
    if build is None:
        return claim.outcome
    builder = builder_for(build.kind)

    def progress(percent: int, stage: str) -> None:
        build_progress(build=build, percent=percent, stage=stage)

    try:
        built = builder.build(dict(build.params), build.fmt, progress)
    except ApplicationError as error:
        _record_failure(build, error.message)
        return "failed"
    except SoftTimeLimitExceeded:
        logger.error("文件生成超时：%s", build)
        _record_failure(build, TIMED_OUT)
        return "failed"
    except Exception:
        logger.exception("文件生成失败：%s", build)
        _record_failure(build, INTERNAL_ERROR.format(pk=build.pk))
        return "failed"
    return _finish(build, built)


def builds_pick_up() -> list[int]:
    """What a dead worker or a lost message left: builds running past the lease (put back in the
    queue, or failed after too many attempts) and builds queued longer than the grace (their
    message lost, e.g. the broker was down). Returns the ids to enqueue again."""
    now = clock.now()
    ids: list[int] = []
    with transaction.atomic():
        stale = DocumentBuild.objects.select_for_update(skip_locked=True).filter(
            state=BuildState.RUNNING, started_at__lt=now - _lease()
        )
        for build in stale:
            if build.attempts >= settings.DOCUMENT_BUILD_MAX_ATTEMPTS:
                _fail(build, TOO_MANY_ATTEMPTS, now)
                continue
            build.state = BuildState.QUEUED
            build.stage = "生成中断，等待重新生成"
            build.save(update_fields=["state", "stage"])
            ids.append(build.pk)
        grace = timedelta(seconds=settings.DOCUMENT_PICKUP_GRACE)
        ids += (
            DocumentBuild.objects.filter(state=BuildState.QUEUED, created_at__lt=now - grace)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
    return ids
