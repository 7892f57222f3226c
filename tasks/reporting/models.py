"""Reporting: periods, progress reports, their workflow, versions and evidence."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone

from hefei_ai_zone import clock
from hefei_ai_zone.clock import ClockDateTimeField
from tasks.plan.models import Assignment, Plan
from units.fields import by_user
from units.models import Unit


class PeriodState(models.TextChoices):
    PLANNED = "planned", "未开放"
    OPEN = "open", "填报中"
    CLOSED = "closed", "已关闭"


QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


class ReportingPeriod(models.Model):
    """A reporting period, quarterly by default (2021Q3), with its due date; the office opens
    and closes it."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="periods", verbose_name="实施方案"
    )
    code = models.CharField("代码", max_length=16, help_text="如 2021Q3。")
    year = models.PositiveSmallIntegerField("年份")
    quarter = models.PositiveSmallIntegerField("季度", null=True, blank=True)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    due_date = models.DateField(
        "报送截止日期", help_text="默认为季度结束后第 5 个工作日（PERIOD_DUE_RULE 设置）。"
    )
    state = models.CharField(
        "状态", max_length=8, choices=PeriodState.choices, default=PeriodState.PLANNED
    )
    opened_at = models.DateTimeField("开放时间", null=True, blank=True)
    closed_at = models.DateTimeField("关闭时间", null=True, blank=True)

    class Meta:
        verbose_name = "报送周期"
        verbose_name_plural = "报送周期"
        ordering = ["plan", "start_date"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="period_code_unique"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="period_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("end_date")), name="period_due_after_end"
            ),
            # one period open at a time per plan (services.period_open says which one is)
            models.UniqueConstraint(
                fields=["plan"], condition=Q(state="open"), name="one_open_period_per_plan"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.quarter:
            return f"{self.year}年{QUARTER_NAMES[self.quarter]}"
        return self.code

    @property
    def is_open(self) -> bool:
        return self.state == PeriodState.OPEN


class ProgressStatus(models.TextChoices):
    NOT_STARTED = "not_started", "未启动"
    ON_TRACK = "on_track", "按计划推进"
    AT_RISK = "at_risk", "存在风险"
    DELAYED = "delayed", "滞后"
    COMPLETED = "completed", "已完成"


class ReportState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待单位审核"
    APPROVED = "approved", "待办公室审核"
    ACCEPTED = "accepted", "已通过"
    RETURNED = "returned", "已退回"


EDITABLE_STATES = (ReportState.DRAFT, ReportState.RETURNED)
PERCENT_DROP_REASON_MAX = 500
SUBMITTED_STATES = (ReportState.SUBMITTED, ReportState.APPROVED, ReportState.ACCEPTED)


class ProgressReport(models.Model):
    """One unit's report on one assignment for one period.

    For an assignment to a group (各县（市）区政府), each member unit reports its own part, so the
    reporting ``unit`` is the assignment's unit or one of its group's members. The lead unit's
    report is the task's consolidated report (牵头单位汇总) for the period.
    """

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="reports", verbose_name="报送周期"
    )
    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="reports", verbose_name="责任分工"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="reports", verbose_name="填报单位"
    )
    state = models.CharField(
        "流程状态", max_length=12, choices=ReportState.choices, default=ReportState.DRAFT
    )
    status = models.CharField("进展状态", max_length=12, choices=ProgressStatus.choices, blank=True)
    percent = models.PositiveSmallIntegerField("完成进度（%）", default=0)
    narrative = models.TextField("进展情况", blank=True)
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下步计划", blank=True)
    percent_drop_reason = models.CharField(
        "进度下降原因",
        max_length=PERCENT_DROP_REASON_MAX,
        blank=True,
        default="",
        db_default="",  # rows written by COPY (tasks.seed.scale) leave it out
        help_text="完成进度低于上期已提交报告时必填。",
    )
    version = models.PositiveIntegerField("版本", default=1)
    created_by = by_user("创建人", blank=False)
    updated_by = by_user("最后修改人", blank=False)
    created_at = ClockDateTimeField("创建时间", auto_now_add=True)
    updated_at = ClockDateTimeField("修改时间", auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    accepted_at = models.DateTimeField("通过时间", null=True, blank=True)

    class Meta:
        verbose_name = "进展报告"
        verbose_name_plural = "进展报告"
        ordering = ["period__start_date", "assignment__task__seq", "assignment__order", "unit_id"]
        constraints = [
            # plain, so that every database enforces it (SQLite creates no unique constraint
            # with included columns: models.W039)
            models.UniqueConstraint(
                fields=["period", "assignment", "unit"], name="report_once_per_period"
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="report_percent_max_100"),
        ]
        indexes = [
            models.Index(fields=["period", "state"]),
            models.Index(fields=["unit", "period"]),
            # what the dashboard counts of a period's reports (their lights, states, dates),
            # read from this index alone on PostgreSQL; SQLite keeps the key columns only
            models.Index(
                fields=["period", "assignment", "unit"],
                include=["state", "status", "submitted_at", "id"],
                name="report_period_counts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period.code} · {self.unit} · {self.assignment.task or self.assignment.demo}"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES


class ReportTransition(models.Model):
    """Who moved a report from one state to another, when, and why (the timeline)."""

    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.CASCADE,
        related_name="transitions",
        verbose_name="进展报告",
    )
    action = models.CharField("操作", max_length=12)
    from_state = models.CharField("原状态", max_length=12, choices=ReportState.choices)
    to_state = models.CharField("新状态", max_length=12, choices=ReportState.choices)
    actor = by_user("操作人", blank=False)
    comment = models.TextField("意见", blank=True)
    version = models.PositiveIntegerField(
        "报告版本",
        null=True,
        blank=True,
        help_text="操作时报告内容的版本（退回后的修改由此比较）。",
    )
    created_at = models.DateTimeField("时间", default=clock.now)

    class Meta:
        verbose_name = "流程记录"
        verbose_name_plural = "流程记录"
        ordering = ["report", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


class ReportVersion(models.Model):
    """The content of a report as saved at each version; earlier versions are never lost."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="versions", verbose_name="进展报告"
    )
    version = models.PositiveIntegerField("版本")
    status = models.CharField("进展状态", max_length=12, choices=ProgressStatus.choices, blank=True)
    percent = models.PositiveSmallIntegerField("完成进度（%）")
    narrative = models.TextField("进展情况", blank=True)
    problems = models.TextField("存在问题", blank=True)
    next_steps = models.TextField("下步计划", blank=True)
    percent_drop_reason = models.CharField(
        "进度下降原因", max_length=PERCENT_DROP_REASON_MAX, blank=True, default="", db_default=""
    )
    edited_by = by_user("修改人", blank=False)
    created_at = models.DateTimeField("保存时间", default=clock.now)

    class Meta:
        verbose_name = "报告版本"
        verbose_name_plural = "报告版本"
        ordering = ["report", "version"]
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="report_version_unique"),
        ]

    def __str__(self) -> str:
        return f"v{self.version}"


def evidence_path(instance: "Evidence", filename: str) -> str:
    # The stored name never contains the uploaded name: it is shown, never trusted.
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A supporting file (PDF, image, Word/Excel/PowerPoint), stored outside the static files
    and served only through a view that checks the report's permissions."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="evidence", verbose_name="进展报告"
    )
    file = models.FileField("文件", upload_to=evidence_path, max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    content_type = models.CharField("类型", max_length=128)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = by_user("上传人", blank=False)
    uploaded_at = models.DateTimeField("上传时间", default=clock.now)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["report", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def file_name(self) -> str:
        return self.original_name

    @property
    def file_type(self) -> str:
        return self.content_type


CONTENT_FIELDS = (
    "status",
    "percent",
    "narrative",
    "problems",
    "next_steps",
    "percent_drop_reason",
)


# What a report's transition is called (the timeline, the messages, the printed report).
ACTION_LABELS = {
    "submit": "提交",
    "approve": "单位审核通过",
    "return": "退回修改",
    "accept": "审核通过",
    "reopen": "重新打开",
    "urge": "催办",
}

FIELD_LABELS = {
    "status": "进展状态",
    "percent": "完成进度",
    "narrative": "进展情况",
    "problems": "存在问题",
    "next_steps": "下步计划",
    "percent_drop_reason": "进度下降原因",
}
