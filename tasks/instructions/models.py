"""领导批示: a leader's written instruction on a task, a progress report, a unit or a red light of
the dashboard (the 灯色明细 block: a period, a light, and the task or the unit it lit).

    new ──office turns it into a 督办事项──▶ converted (``directive``)
     └───office files it with a note (归档)──▶ filed

A leader whose ``LeaderPreference.direct_to_units`` is on sends it straight to the units: the item
is registered and issued at once and the instruction is ``converted`` and ``direct``.
"""

from django.db import models
from django.db.models import Q

from hefei_ai_zone import clock
from units.fields import by_user

TEXT_MAX = 2000


class InstructionTarget(models.TextChoices):
    TASK = "task", "任务"
    REPORT = "report", "进展报告"
    UNIT = "unit", "单位"
    LIGHT = "light", "灯色"


class InstructionState(models.TextChoices):
    NEW = "new", "待办理"
    CONVERTED = "converted", "已转为督办事项"
    FILED = "filed", "已归档"


class LeaderInstruction(models.Model):
    """A 批示 and what it is written on (``target`` says which of the fields name it)."""

    author = models.ForeignKey(
        "units.User",
        on_delete=models.PROTECT,
        related_name="instructions",
        verbose_name="批示领导",
    )
    text = models.TextField("批示内容")
    target = models.CharField("批示对象", max_length=8, choices=InstructionTarget.choices)
    task = models.ForeignKey(
        "tasks.Task",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="任务",
    )
    report = models.ForeignKey(
        "tasks.ProgressReport",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="进展报告",
    )
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="单位",
    )
    # a red light of the dashboard: the period and the light (with the task or the unit above)
    period = models.ForeignKey(
        "tasks.ReportingPeriod",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="报送周期",
    )
    light = models.CharField("灯色", max_length=8, blank=True)
    state = models.CharField(
        "状态", max_length=10, choices=InstructionState.choices, default=InstructionState.NEW
    )
    direct = models.BooleanField("直接交办", default=False)
    directive = models.ForeignKey(
        "tasks.Directive",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructions",
        verbose_name="督办事项",
    )
    handled_by = by_user("办理人")
    handled_at = models.DateTimeField("办理时间", null=True, blank=True)
    note = models.TextField("归档说明", blank=True)
    created_at = models.DateTimeField("批示时间", default=clock.now)

    class Meta:
        verbose_name = "领导批示"
        verbose_name_plural = "领导批示"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(target="task", task__isnull=False, report__isnull=True, period__isnull=True)
                    | Q(target="report", report__isnull=False, period__isnull=True)
                    | Q(
                        target="unit",
                        unit__isnull=False,
                        task__isnull=True,
                        report__isnull=True,
                        period__isnull=True,
                    )
                    | (
                        Q(target="light", period__isnull=False, report__isnull=True)
                        & ~Q(light="")
                        & (Q(task__isnull=False) | Q(unit__isnull=False))
                    )
                ),
                name="instruction_target_named",
            ),
            models.CheckConstraint(
                condition=~Q(state="converted") | Q(directive__isnull=False),
                name="instruction_converted_has_item",
            ),
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="instruction_state_idx")]

    def __str__(self) -> str:
        return f"{self.author} · {self.get_target_display()} · {self.created_at:%Y-%m-%d}"


class LeaderPreference(models.Model):
    """A leader's setting: whether their 批示 go straight to the units as items, and the
    deadline (working days) such an item gets."""

    leader = models.OneToOneField(
        "units.User",
        on_delete=models.CASCADE,
        related_name="instruction_preference",
        verbose_name="领导",
    )
    direct_to_units = models.BooleanField("批示直接交办承办单位", default=False)
    due_workdays = models.PositiveSmallIntegerField("直接交办的办结时限（工作日）", default=10)

    class Meta:
        verbose_name = "领导批示设置"
        verbose_name_plural = "领导批示设置"
        constraints = [
            models.CheckConstraint(
                condition=Q(due_workdays__gte=1), name="preference_due_workdays_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leader} · {'直接交办' if self.direct_to_units else '交办公室'}"
