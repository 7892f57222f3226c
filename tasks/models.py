"""The plan as data: Plan → Section → Item → Task, Assignments of units, and Indicators.

A Plan is one implementation plan (the seed is 合肥建设国家新一代人工智能创新发展试验区实施方案
（2020-2023年）); a successor plan loads beside it without code changes, since everything below
hangs off its Plan.
"""

import uuid
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from units.models import Unit


def by_user(verbose_name: str, *, blank: bool = True) -> Any:
    """Who did something (created, edited, confirmed…): a user, left empty when the account is
    deleted, with no way back from the user (related_name "+")."""
    return models.ForeignKey(
        "units.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=blank,
        related_name="+",
        verbose_name=verbose_name,
    )


class Plan(models.Model):
    code = models.SlugField("代码", max_length=64, unique=True)
    name = models.CharField("方案名称", max_length=255)
    short_name = models.CharField("简称", max_length=64, blank=True)
    start_year = models.PositiveSmallIntegerField("起始年份")
    end_year = models.PositiveSmallIntegerField("截止年份")
    source_document = models.CharField(
        "来源文件", max_length=255, blank=True, help_text="项目内方案原文的路径。"
    )
    is_current = models.BooleanField("当前方案", default=True)

    class Meta:
        verbose_name = "实施方案"
        verbose_name_plural = "实施方案"
        ordering = ["-start_year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="plan_years_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


class Section(models.Model):
    """A heading of 三、重点任务 or 四、保障措施, such as （一）强化前沿基础理论研究."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="sections", verbose_name="实施方案"
    )
    code = models.CharField("编号", max_length=16, help_text="如 3.1 表示“三、（一）”。")
    part = models.CharField("部分", max_length=32, help_text="如“三、重点任务”。")
    number = models.CharField("序号", max_length=8, help_text="如“（一）”。")
    title = models.CharField("标题", max_length=128)
    seq = models.PositiveSmallIntegerField("顺序")

    class Meta:
        verbose_name = "任务板块"
        verbose_name_plural = "任务板块"
        ordering = ["plan", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="section_code_unique"),
            models.UniqueConstraint(fields=["plan", "seq"], name="section_seq_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}{self.title}"


class Item(models.Model):
    """A numbered sub-item of a section, such as 4.人工智能+公共安全."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="items", verbose_name="任务板块"
    )
    number = models.PositiveSmallIntegerField("序号")
    title = models.CharField("标题", max_length=128)

    class Meta:
        verbose_name = "任务条目"
        verbose_name_plural = "任务条目"
        ordering = ["section__seq", "number"]
        constraints = [
            models.UniqueConstraint(fields=["section", "number"], name="item_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number}.{self.title}"


class TaskQuerySet(models.QuerySet["Task"]):
    def for_unit(self, unit: Unit) -> "TaskQuerySet":
        """Tasks assigned to the unit itself or to a group the unit belongs to."""
        return self.filter(
            Q(assignments__unit=unit) | Q(assignments__unit__members=unit)
        ).distinct()


class Task(models.Model):
    """One row of Annex 1 (附件1 主要任务分工)."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="tasks", verbose_name="实施方案"
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, related_name="tasks", verbose_name="任务板块"
    )
    item = models.ForeignKey(
        Item,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name="任务条目",
    )
    seq = models.PositiveSmallIntegerField("序号", help_text="附件1中的行序，从 1 开始。")
    code = models.CharField("编号", max_length=24)
    content = models.TextField("主要内容")
    note = models.CharField("备注", max_length=255, blank=True)
    requires_plan = models.BooleanField("需制定实施方案", default=False)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = "任务"
        verbose_name_plural = "任务"
        ordering = ["plan", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "seq"], name="task_seq_unique"),
            models.UniqueConstraint(fields=["plan", "code"], name="task_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.content[:24]}"


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "牵头"
    CO = "co", "配合"


class Assignment(models.Model):
    """A unit (or collective designation) responsible for a task or a demo project.

    The first designation the plan lists is the lead unit (牵头单位), the rest co-units (配合单位);
    ``order`` keeps the plan's order.
    """

    task = models.ForeignKey(
        Task,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name="任务",
    )
    demo = models.ForeignKey(
        "demos.DemoProject",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name="示范工程",
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="assignments", verbose_name="责任单位"
    )
    role = models.CharField("角色", max_length=8, choices=AssignmentRole.choices)
    order = models.PositiveSmallIntegerField("顺序")

    class Meta:
        verbose_name = "责任分工"
        verbose_name_plural = "责任分工"
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(task__isnull=False, demo__isnull=True)
                    | Q(task__isnull=True, demo__isnull=False)
                ),
                name="assignment_task_xor_demo",
            ),
            models.UniqueConstraint(
                fields=["task", "unit"],
                condition=Q(task__isnull=False),
                name="assignment_task_unit_unique",
            ),
            models.UniqueConstraint(
                fields=["demo", "unit"],
                condition=Q(demo__isnull=False),
                name="assignment_demo_unit_unique",
            ),
        ]
        indexes = [models.Index(fields=["unit", "role"])]

    def __str__(self) -> str:
        return f"{self.task or self.demo} · {self.unit}（{self.get_role_display()}）"


class Indicator(models.Model):
    """A quantitative target of 二、主要目标, such as 授权发明专利 50 项以上 each year."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="indicators", verbose_name="实施方案"
    )
    code = models.CharField("编号", max_length=32)
    name = models.CharField("名称", max_length=128)
    measure = models.CharField("计量单位", max_length=8, help_text="如“项”“个”“家”。")
    goal = models.CharField(
        "所属目标", max_length=64, help_text="如“（一）前沿理论和关键技术取得突破”。"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="上级指标",
    )
    source_text = models.TextField("方案原文")
    seq = models.PositiveSmallIntegerField("顺序")
    ledger_kind = models.CharField(
        "台账成果类型",
        max_length=24,
        blank=True,
        help_text="实际完成值按该类型的已核实台账条目计数。",
    )
    ledger_domain = models.CharField(
        "台账领域", max_length=16, blank=True, help_text="留空为全部领域；speech 为智能语音。"
    )

    class Meta:
        verbose_name = "目标指标"
        verbose_name_plural = "目标指标"
        ordering = ["plan", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class IndicatorTarget(models.Model):
    """The target of one year, or (cumulative) the total to reach by that year."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name="指标"
    )
    year = models.PositiveSmallIntegerField("年份")
    min_value = models.PositiveIntegerField("最低值")
    max_value = models.PositiveIntegerField(
        "最高值", null=True, blank=True, help_text="方案给出区间时填写，如 5-8 个中的 8。"
    )
    cumulative = models.BooleanField("累计", default=False, help_text="是否为截至该年的累计目标。")

    class Meta:
        verbose_name = "年度目标值"
        verbose_name_plural = "年度目标值"
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="target_year_unique"),
            models.CheckConstraint(
                condition=Q(max_value__isnull=True) | Q(max_value__gte=models.F("min_value")),
                name="target_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        rng = f"{self.min_value}-{self.max_value}" if self.max_value else f"≥{self.min_value}"
        return f"{self.year}：{rng}"


# ---------------------------------------------------------------------------------------------
# Reporting: periods, progress reports, their workflow, versions and evidence
# ---------------------------------------------------------------------------------------------


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
    due_date = models.DateField("报送截止日期", help_text="默认为季度结束后第 5 天。")
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


class Light(models.TextChoices):
    GREEN = "green", "绿灯"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"
    GREY = "grey", "未报送"


STATUS_LIGHTS = {
    ProgressStatus.NOT_STARTED: Light.GREY,
    ProgressStatus.ON_TRACK: Light.GREEN,
    ProgressStatus.COMPLETED: Light.GREEN,
    ProgressStatus.AT_RISK: Light.YELLOW,
    ProgressStatus.DELAYED: Light.RED,
}


class ReportState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待单位审核"
    APPROVED = "approved", "待办公室审核"
    ACCEPTED = "accepted", "已通过"
    RETURNED = "returned", "已退回"


EDITABLE_STATES = (ReportState.DRAFT, ReportState.RETURNED)
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
    version = models.PositiveIntegerField("版本", default=1)
    created_by = by_user("创建人", blank=False)
    updated_by = by_user("最后修改人", blank=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    accepted_at = models.DateTimeField("通过时间", null=True, blank=True)

    class Meta:
        verbose_name = "进展报告"
        verbose_name_plural = "进展报告"
        ordering = ["period__start_date", "assignment__task__seq", "assignment__order", "unit_id"]
        constraints = [
            # its index also carries what the dashboard counts of a period's reports (their
            # lights, states, dates), which it then reads from the index alone (PostgreSQL)
            models.UniqueConstraint(
                fields=["period", "assignment", "unit"],
                include=["state", "status", "submitted_at", "id"],
                name="report_once_per_period",
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="report_percent_max_100"),
        ]
        indexes = [
            models.Index(fields=["period", "state"]),
            models.Index(fields=["unit", "period"]),
        ]

    def __str__(self) -> str:
        return f"{self.period.code} · {self.unit} · {self.assignment.task or self.assignment.demo}"

    @property
    def light(self) -> str:
        if self.state == ReportState.DRAFT or not self.status:
            return Light.GREY
        return STATUS_LIGHTS[ProgressStatus(self.status)]

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
    created_at = models.DateTimeField("时间", default=timezone.now)

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
    edited_by = by_user("修改人", blank=False)
    created_at = models.DateTimeField("保存时间", default=timezone.now)

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
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = "佐证材料"
        ordering = ["report", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


# ---------------------------------------------------------------------------------------------
# Annual work arrangements (年度工作安排): milestones of an assignment
# ---------------------------------------------------------------------------------------------


def attachment_path(instance: models.Model, filename: str) -> str:
    return f"{instance._meta.model_name}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


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
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

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
    def from_db(cls, db: str | None, field_names: Any, values: Any) -> "Milestone":
        """Remember the due date as loaded: moving it changes the lights of the periods between
        the old date and the new one (reports.signals)."""
        instance = super().from_db(db, field_names, values)
        instance.loaded_due_date = instance.__dict__.get("due_date")
        return instance

    def overdue_days(self, as_of: "date") -> int:
        """Days past due on ``as_of`` without being marked done by then (0 if not overdue)."""
        done = self.done_at is not None and timezone.localdate(self.done_at) <= as_of
        return 0 if done or self.due_date >= as_of else (as_of - self.due_date).days


# ---------------------------------------------------------------------------------------------
# The achievement ledger (成果台账): what the indicators of 二、主要目标 count
# ---------------------------------------------------------------------------------------------


class AchievementKind(models.TextChoices):
    MAJOR = "major_achievement", "重大科技成果"
    PATENT = "invention_patent", "授权发明专利"
    STANDARD = "standard", "技术和应用标准"
    SCENARIO = "application_scenario", "深度应用场景和解决方案"
    ENTERPRISE = "leading_enterprise", "细分领域龙头企业"
    PARK = "demo_park_town", "应用示范园区和特色小镇"
    PLATFORM = "innovation_platform", "人工智能创新平台"
    EVENT = "conference_contest", "有影响力的会议或赛事"


class AchievementDomain(models.TextChoices):
    GENERAL = "general", "人工智能（其他领域）"
    SPEECH = "speech", "智能语音"


class EntryState(models.TextChoices):
    PENDING = "pending", "待核实"
    VERIFIED = "verified", "已核实"
    REJECTED = "rejected", "未通过核实"


class AchievementEntry(models.Model):
    """One real achievement (a patent, a standard, a platform, ...), recorded by a unit and
    verified by the office. Indicator values are counts of verified entries, never typed in."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="achievements", verbose_name="实施方案"
    )
    kind = models.CharField("成果类型", max_length=24, choices=AchievementKind.choices)
    domain = models.CharField(
        "领域", max_length=16, choices=AchievementDomain.choices, default=AchievementDomain.GENERAL
    )
    title = models.CharField("成果名称", max_length=255)
    date = models.DateField("取得日期")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="achievements", verbose_name="填报单位"
    )
    task = models.ForeignKey(
        Task,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="achievements",
        verbose_name="相关任务",
    )
    identifier = models.CharField(
        "编号", max_length=128, blank=True, help_text="如专利号、标准号；同一编号不能重复计数。"
    )
    note = models.TextField("说明", blank=True)
    file = models.FileField("佐证材料", upload_to=attachment_path, max_length=255, blank=True)
    file_name = models.CharField("文件名", max_length=255, blank=True)
    file_type = models.CharField("文件类型", max_length=128, blank=True)
    state = models.CharField(
        "核实状态", max_length=12, choices=EntryState.choices, default=EntryState.PENDING
    )
    review_comment = models.TextField("核实意见", blank=True)
    created_by = by_user("填报人")
    created_at = models.DateTimeField("填报时间", auto_now_add=True)
    verified_by = by_user("核实人")
    verified_at = models.DateTimeField("核实时间", null=True, blank=True)

    class Meta:
        verbose_name = "成果台账条目"
        verbose_name_plural = "成果台账"
        ordering = ["-date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "identifier"],
                condition=~Q(identifier="") & ~Q(state="rejected"),
                name="ledger_identifier_counts_once",
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "state", "kind", "date"]),
            models.Index(fields=["unit", "date"]),
        ]

    def __str__(self) -> str:
        return self.title
