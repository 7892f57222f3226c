"""The 督查通报 of a quarter: drafted from the data, its commentary edited by the office, then
published with a number (合智试办〔2021〕3号) from a per-year counter and kept as issued: the
content as it stood (``snapshot``) and the PDF and Word files built from it."""

import datetime

from django.conf import settings
from django.db import models

from hefei_ai_zone import clock
from tasks.models import ReportingPeriod
from units.fields import by_user

COMMENTARY_MAX = 5000
DEFAULT_PREFIX = "合智试办"


def number_prefix() -> str:
    return str(getattr(settings, "DOCUMENT_NUMBER_PREFIX", "") or DEFAULT_PREFIX)


def bulletin_file_path(instance: "Bulletin", filename: str) -> str:
    return f"bulletins/{instance.year}/{filename}"


class BulletinState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class BulletinNumber(models.Model):
    """The last bulletin number given in a year; its row is the lock of the numbering (as
    tasks.supervision.models.SupervisionNumber is for the 督办单)."""

    year = models.PositiveSmallIntegerField("年度", primary_key=True)
    last = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        app_label = "reports"
        verbose_name = "督查通报编号"
        verbose_name_plural = "督查通报编号"

    def __str__(self) -> str:
        return f"{self.year}：{self.last}"


class Bulletin(models.Model):
    period = models.OneToOneField(
        ReportingPeriod, on_delete=models.PROTECT, related_name="+", verbose_name="报送周期"
    )
    title = models.CharField("标题", max_length=64)
    commentary = models.TextField("工作要求（办公室意见）", blank=True, max_length=COMMENTARY_MAX)
    state = models.CharField(
        "状态", max_length=12, choices=BulletinState.choices, default=BulletinState.DRAFT
    )
    year = models.PositiveSmallIntegerField("文号年度", null=True, blank=True)
    seq = models.PositiveIntegerField("文号序号", null=True, blank=True)
    drafted_at = models.DateTimeField("起草时间", default=clock.now)
    drafted_by = by_user("起草人")
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = by_user("发布人")
    snapshot = models.JSONField("发布时的内容", null=True, blank=True)
    pdf_file = models.FileField(
        "PDF 文件", upload_to=bulletin_file_path, blank=True, max_length=255
    )
    docx_file = models.FileField(
        "Word 文件", upload_to=bulletin_file_path, blank=True, max_length=255
    )

    class Meta:
        app_label = "reports"
        verbose_name = "督查通报"
        verbose_name_plural = "督查通报"
        ordering = ["-period__start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "seq"],
                condition=models.Q(seq__isnull=False),
                name="bulletin_number_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(state="draft")
                | models.Q(seq__isnull=False, published_at__isnull=False),
                name="bulletin_published_numbered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def number(self) -> str:
        """合智试办〔2021〕3号, or "" before publishing."""
        if self.seq is None:
            return ""
        return f"{number_prefix()}〔{self.year}〕{self.seq}号"

    @property
    def is_published(self) -> bool:
        return self.state == BulletinState.PUBLISHED

    @property
    def files_ready(self) -> bool:
        return bool(self.pdf_file) and bool(self.docx_file)

    @property
    def state_label(self) -> str:
        """草稿, 发布中 (published, the issued files still being built) or 已发布."""
        if not self.is_published:
            return BulletinState.DRAFT.label
        return BulletinState.PUBLISHED.label if self.files_ready else "发布中"

    @property
    def published_date(self) -> datetime.date | None:
        return clock.local_date(self.published_at) if self.published_at else None
