"""The reminder rules the daily sweep follows, and the escalations (催办/督办) it has made.

The office edits the rules in the admin (offsets in working days, recipients by role, on/off);
the defaults of issue #9 are seeded by migration 0014.
"""

from django.core.exceptions import ValidationError
from django.db import models

from hefei_ai_zone import clock
from tasks.plan.models import Assignment
from tasks.reporting.models import ReportingPeriod
from units.models import Unit


class RuleKind(models.TextChoices):
    DUE_SOON = "due_soon", "临近截止提醒"
    OVERDUE = "overdue", "逾期提醒"
    ESCALATION = "escalation", "逾期催办"
    RETURNED_AGAIN = "returned_again", "退回未重报再提醒"
    MILESTONE_SOON = "milestone_soon", "节点临近提醒"


class Recipient(models.TextChoices):
    REPORTER = "reporter", "本单位填报员"
    APPROVER = "approver", "本单位审核人"
    CONTACT = "contact", "本单位联络员"
    OFFICE = "office", "领导小组办公室"


# Which way a kind's offsets count: before its date (the due date, the milestone's) or after it
# (the due date, the day the report was returned).
BEFORE_KINDS = (RuleKind.DUE_SOON, RuleKind.MILESTONE_SOON)


def parse_offsets(value: str) -> list[int]:
    """ "5,3,1" → [5, 3, 1]; ValueError for anything else."""
    parts = [p.strip() for p in value.replace("，", ",").split(",") if p.strip()]
    if not parts:
        raise ValueError("empty")
    offsets = [int(p) for p in parts]
    if any(n < 0 or n > 60 for n in offsets):
        raise ValueError("range")
    return sorted(set(offsets), reverse=True)


def parse_recipients(value: str) -> list[str]:
    parts = [p.strip() for p in value.replace("，", ",").split(",") if p.strip()]
    unknown = [p for p in parts if p not in Recipient.values]
    if not parts or unknown:
        raise ValueError(",".join(unknown))
    return parts


class ReminderRule(models.Model):
    """One rule of the sweep: what it watches (kind), on which working days (offsets) and whom
    it tells (recipients)."""

    code = models.SlugField(
        "代码", max_length=32, unique=True, help_text="通知的规则代码，如 due_soon。"
    )
    name = models.CharField("名称", max_length=64)
    kind = models.CharField("类型", max_length=16, choices=RuleKind.choices)
    offsets = models.CharField(
        "提醒时点（工作日）",
        max_length=64,
        help_text="以英文逗号分隔的工作日数，如“5,3,1”：截止（或节点到期）前第 5、3、1 个工作日；"
        "逾期、催办、退回再提醒为其后第几个工作日。",
    )
    recipients = models.CharField(
        "接收人",
        max_length=64,
        help_text="以英文逗号分隔：reporter（填报员）、approver（审核人）、contact（联络员）、"
        "office（领导小组办公室）。",
    )
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "提醒规则"
        verbose_name_plural = "提醒规则"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        try:
            parse_offsets(self.offsets)
        except ValueError:
            errors["offsets"] = "请填写 0 到 60 之间的工作日数，以英文逗号分隔，如“5,3,1”。"
        try:
            parse_recipients(self.recipients)
        except ValueError:
            errors["recipients"] = (
                "接收人只能是 reporter、approver、contact、office，以英文逗号分隔。"
            )
        if errors:
            raise ValidationError(errors)

    @property
    def steps(self) -> list[int]:
        return parse_offsets(self.offsets)

    @property
    def roles(self) -> list[str]:
        return parse_recipients(self.recipients)


class Escalation(models.Model):
    """A duty the sweep has escalated (催办): the period page marks its unit 已督办."""

    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.CASCADE,
        related_name="escalations",
        verbose_name="报送周期",
    )
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="escalations", verbose_name="责任分工"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="escalations", verbose_name="填报单位"
    )
    escalated_on = models.DateField("催办日期")
    created_at = models.DateTimeField("记录时间", default=clock.now)

    class Meta:
        verbose_name = "催办记录"
        verbose_name_plural = "催办记录"
        ordering = ["period", "unit", "assignment"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "assignment", "unit"], name="escalation_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period.code} · {self.unit} · {self.escalated_on}"
