"""催办 (``Urge``) and 督办单 (``SupervisionOrder`` with its ``SupervisionStep`` timeline and the
per-year number counter ``SupervisionNumber``)."""

from django.db import models
from django.db.models import Q

from hefei_ai_zone import clock
from tasks.files import attachment_path
from units.fields import by_user


class Urge(models.Model):
    """One 催办 sent to one unit for one period: the duties it had not submitted then."""

    period = models.ForeignKey(
        "tasks.ReportingPeriod", on_delete=models.CASCADE, related_name="+", verbose_name="报送周期"
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.CASCADE, related_name="urges", verbose_name="单位"
    )
    assignments = models.ManyToManyField(
        "tasks.Assignment", related_name="+", blank=True, verbose_name="未提交的任务"
    )
    message = models.TextField("催办内容")
    sent_by = by_user("催办人")
    sent_at = models.DateTimeField("催办时间", default=clock.now)

    class Meta:
        verbose_name = "催办"
        verbose_name_plural = "催办"
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["unit", "sent_at"], name="urge_unit_sent")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period_id} · {self.sent_at:%Y-%m-%d}"


class OrderState(models.TextChoices):
    ISSUED = "issued", "待反馈"
    ANSWERED = "answered", "已反馈"
    RETURNED = "returned", "已退回"
    CLOSED = "closed", "已办结"


OPEN_ORDER_STATES = (OrderState.ISSUED, OrderState.ANSWERED, OrderState.RETURNED)


class SupervisionNumber(models.Model):
    """The last 督办单 number given in a year; its row is the lock of the numbering."""

    year = models.PositiveSmallIntegerField("年度", primary_key=True)
    last = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = "督办单编号"
        verbose_name_plural = "督办单编号"

    def __str__(self) -> str:
        return f"{self.year}：{self.last}"


class SupervisionOrder(models.Model):
    """A 督办单: 督办〔year〕seq号, on a task and a unit, with the facts and a reply deadline."""

    year = models.PositiveSmallIntegerField("年度")
    seq = models.PositiveIntegerField("序号")
    task = models.ForeignKey(
        "tasks.Task", on_delete=models.PROTECT, related_name="+", verbose_name="任务"
    )
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="supervision_orders",
        verbose_name="督办单位",
    )
    facts = models.TextField("督办事项")
    reply_workdays = models.PositiveSmallIntegerField("反馈时限（工作日）")
    due_date = models.DateField("反馈截止日期")
    state = models.CharField(
        "状态", max_length=12, choices=OrderState.choices, default=OrderState.ISSUED
    )
    answer = models.TextField("反馈内容", blank=True)
    file = models.FileField("佐证材料", upload_to=attachment_path, max_length=255, blank=True)
    file_name = models.CharField("文件名", max_length=255, blank=True)
    file_type = models.CharField("文件类型", max_length=128, blank=True)
    issued_by = by_user("签发人")
    issued_at = models.DateTimeField("签发时间", default=clock.now)
    answered_at = models.DateTimeField("反馈时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        verbose_name = "督办单"
        verbose_name_plural = "督办单"
        ordering = ["-year", "-seq"]
        constraints = [
            models.UniqueConstraint(fields=["year", "seq"], name="supervision_number_once"),
            models.CheckConstraint(condition=Q(seq__gte=1), name="supervision_seq_positive"),
        ]
        indexes = [models.Index(fields=["unit", "state"], name="supervision_unit_state")]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        return f"督办〔{self.year}〕{self.seq}号"

    @property
    def is_open(self) -> bool:
        return self.state != OrderState.CLOSED


class StepAction(models.TextChoices):
    ISSUE = "issue", "签发"
    ANSWER = "answer", "反馈"
    RETURN = "return", "退回"
    CLOSE = "close", "办结"


class SupervisionStep(models.Model):
    """The timeline of a 督办单: issued, answered, sent back (with the reason), closed."""

    order = models.ForeignKey(
        SupervisionOrder, on_delete=models.CASCADE, related_name="steps", verbose_name="督办单"
    )
    action = models.CharField("操作", max_length=12, choices=StepAction.choices)
    actor = by_user("操作人")
    comment = models.TextField("内容", blank=True)
    created_at = models.DateTimeField("时间", default=clock.now)

    class Meta:
        verbose_name = "督办流程"
        verbose_name_plural = "督办流程"
        ordering = ["order", "created_at", "id"]

    def __str__(self) -> str:
        return self.get_action_display()
