"""The kept builds of documents (``DocumentBuild``): one row per request that started a build,
with its progress while it runs and its file when done. App label ``reports``."""

import hashlib
import json
import uuid
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from hefei_ai_zone import clock
from units.fields import by_user


class BuildState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


ACTIVE_STATES = (BuildState.QUEUED, BuildState.RUNNING)


def build_key(kind: str, fmt: str, params: dict[str, Any]) -> str:
    """kind + format + the canonical params (sorted JSON), hashed to a bounded length: two
    requests for the same document have the same key."""
    canonical = json.dumps(params, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:32]
    return f"{kind}:{fmt}:{digest}"


def build_path(instance: "DocumentBuild", filename: str) -> str:
    """documents/<yyyy>/<mm>/<random>.<ext> under MEDIA_ROOT (never a static file)."""
    moment = timezone.localtime(instance.finished_at or clock.now())  # the month in Asia/Shanghai
    ext = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"documents/{moment:%Y/%m}/{uuid.uuid4().hex}.{ext}"


class DocumentBuild(models.Model):
    kind = models.CharField("文件类型", max_length=32)
    fmt = models.CharField("格式", max_length=8)
    params = models.JSONField("参数", default=dict)
    title = models.CharField("文件名称", max_length=200, blank=True)  # the builder's describe()
    key = models.CharField("标识", max_length=96)
    state = models.CharField(
        "状态", max_length=8, choices=BuildState.choices, default=BuildState.QUEUED
    )
    progress = models.PositiveSmallIntegerField("进度", default=0)
    stage = models.CharField("阶段", max_length=100, blank=True)
    file = models.FileField("文件", upload_to=build_path, max_length=200, blank=True)
    filename = models.CharField("文件名", max_length=200, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）", default=0)
    content_type = models.CharField("文件类型（MIME）", max_length=100, blank=True)
    error = models.TextField("失败原因", blank=True)
    requested_by = by_user("申请人")
    created_at = models.DateTimeField("申请时间", default=clock.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)

    class Meta:
        verbose_name = "文件生成"
        verbose_name_plural = "文件生成"
        ordering = ["-created_at", "-id"]
        constraints = [
            # One build at a time per document: a second request joins the running one.
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(state__in=["queued", "running"]),
                name="document_build_one_active",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="document_build_progress_0_100"
            ),
        ]
        indexes = [models.Index(fields=["-created_at"], name="document_build_newest")]

    def __str__(self) -> str:
        return f"{self.kind}.{self.fmt} #{self.pk} {self.state}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES
