"""Annual work arrangements (年度工作安排): milestones of an assignment."""

from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from hefei_ai_zone.clock import ClockDateTimeField
from tasks.files import attachment_path
from tasks.plan.models import Assignment
from units.fields import by_user
from units.models import Unit


class MilestoneState(models.TextChoices):
    PENDING = "pending", "未完成"
    DONE = "done", "已完成待确认"
    CONFIRMED = "confirmed", "已确认完成"


class Milestone(models.Model):
    """A yearly milestone (节点) of an assignment: what, by when, and which unit owes it.

    The office sets it (or the lead unit proposes it and the office confirms the arrangement);
    the unit marks it done with a note and evidence; the office confirms. Lights are computed
    from milestones that are past due and not done (tasks.lights)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="milestones", verbose_name="责任分工"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="milestones", verbose_name="责任单位"
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("节点内容", max_length=255)
    due_date = models.DateField("完成时限")
    state = models.CharField(
        "状态", max_length=12, choices=MilestoneState.choices, default=MilestoneState.PENDING
    )
    arrangement_confirmed = models.BooleanField(
        "安排已确认", default=True, help_text="牵头单位提出的节点须经领导小组办公室确认。"
    )
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    done_note = models.TextField("完成情况", blank=True)
    done_by = by_user("标记人")
    file = models.FileField("佐证材料", upload_to=attachment_path, max_length=255, blank=True)
    file_name = models.CharField("文件名", max_length=255, blank=True)
    file_type = models.CharField("文件类型", max_length=128, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    confirmed_by = by_user("确认人")
    review_comment = models.TextField("办公室意见", blank=True)
    created_by = by_user("创建人")
    created_at = ClockDateTimeField("创建时间", auto_now_add=True)
    loaded_due_date: date | None  # set by from_db only: the due date as loaded

    class Meta:
        verbose_name = "年度节点"
        verbose_name_plural = "年度节点"
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["assignment", "due_date"]),
            models.Index(fields=["unit", "due_date"]),
            models.Index(fields=["state", "due_date"]),
            # the dashboard counts a year's milestones per unit from this index alone
            models.Index(
                fields=["due_date"],
                include=["unit", "assignment", "done_at", "arrangement_confirmed", "id"],
                name="milestone_due_counts",
            ),
            # the milestones that can be overdue on a day: never done, or done after it
            models.Index(
                fields=["due_date"], condition=Q(done_at__isnull=True), name="milestone_open_due"
            ),
            models.Index(fields=["done_at"], name="milestone_done_at"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"

    @classmethod
    def from_db(cls, db: str | None, field_names: Any, values: Any, **kwargs: Any) -> "Milestone":
        """Remember the due date as loaded: moving it changes the lights of the periods between
        the old date and the new one (reports.signals)."""
        instance = super().from_db(db, field_names, values, **kwargs)
        instance.loaded_due_date = instance.__dict__.get("due_date")
        return instance

    def overdue_days(self, as_of: "date") -> int:
        """Days past due on ``as_of`` without being marked done by then (0 if not overdue)."""
        done = self.done_at is not None and timezone.localdate(self.done_at) <= as_of
        return 0 if done or self.due_date >= as_of else (as_of - self.due_date).days
