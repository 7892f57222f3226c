"""The plan as data: Plan → Section → Item → Task, Assignments of units, and Indicators.

A Plan is one implementation plan (the seed is 合肥建设国家新一代人工智能创新发展试验区实施方案
（2020-2023年）); a successor plan loads beside it without code changes, since everything below
hangs off its Plan. The models keep the ``tasks`` app label and tables; ``tasks.models``
re-exports them.
"""

from django.db import models
from django.db.models import Q

from units.models import Unit


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
