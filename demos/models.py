"""Annex 2 demonstration projects (附件2 合肥市人工智能应用部分示范工程汇总表).

Responsible units are tasks.Assignment rows with ``demo`` set, so that demo projects report
progress through the same machinery as tasks.
"""

from django.db import models
from django.db.models import Q


class DemoProject(models.Model):
    plan = models.ForeignKey(
        "tasks.Plan", on_delete=models.CASCADE, related_name="demos", verbose_name="实施方案"
    )
    seq = models.PositiveSmallIntegerField("序号")
    field = models.CharField("领域", max_length=64)
    name = models.CharField("示范工程名称", max_length=128)
    hosts = models.JSONField("依托单位", default=list, help_text="依托单位名称列表，按方案顺序。")
    start_year = models.PositiveSmallIntegerField("建设起始年")
    end_year = models.PositiveSmallIntegerField("建设截止年")
    task = models.ForeignKey(
        "tasks.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demos",
        verbose_name="对应任务",
        help_text="附件1中明确对应的任务（如有）。",
    )

    class Meta:
        verbose_name = "示范工程"
        verbose_name_plural = "示范工程"
        ordering = ["plan", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "seq"], name="demo_seq_unique"),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="demo_years_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def period_label(self) -> str:
        return f"{self.start_year}-{self.end_year}年"
