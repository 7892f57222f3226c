"""督办事项: supervised items beyond the plan's rows — a leader's 批示, a decision of the leading
group's meeting (会议议定事项), a matter handed down by the province or a ministry (上级交办).

The lifecycle 立项 → 交办 → 签收 → 反馈 → 办结 → 销号 → 考评:

    draft ──issue──▶ issued ──lead signs──▶ in_progress ──apply-close──▶ closing
                                               ▲   │                       │  │
                                               │   └──── feedback ◀────────┘  │ close
                                      return ──┴───────────────────────────────┘   ▼
                            reopen (leader, new 批示) ◀── closed ──archive (销号)──▶ archived

- ``Directive``: the item, with its source, requirement, deadline (``due_date``, moved by an
  approved extension; ``original_due_date``, fixed when issued, for the assessment) and feedback
  rhythm; optionally the plan task it belongs to.
- ``DirectiveUnit``: a lead or co unit (units and groups as in the plan) with its sign-in.
- ``DirectiveFeedback``: a unit's feedback (co units feed the lead's consolidated one) or the
  lead's closing report, reviewed by the office like a report.
- ``DirectiveExtension``: a 延期申请 with the date it asked to move from and to.
- ``DirectiveAttachment``: evidence files of an item (its source document, a feedback's files).
- ``DirectiveStep``: the timeline: every step with its time, actor, unit and comment.
- ``DirectiveNumber``: the per-year counter of 督办事项 numbers 合智督〔year〕N号.
"""

from django.db import models
from django.db.models import Q

from hefei_ai_zone import clock
from tasks.files import attachment_path
from tasks.reporting.models import ProgressStatus
from units.fields import by_user


class DirectiveSource(models.TextChoices):
    INSTRUCTION = "instruction", "领导批示"
    MEETING = "meeting", "会议议定事项"
    HIGHER = "higher", "上级交办"


class DirectiveState(models.TextChoices):
    DRAFT = "draft", "立项"
    ISSUED = "issued", "已交办"
    IN_PROGRESS = "in_progress", "办理中"
    CLOSING = "closing", "申请办结"
    CLOSED = "closed", "已办结"
    ARCHIVED = "archived", "已销号"


# The states in which an item is on the open list (and lit): issued and not yet closed.
OPEN_DIRECTIVE_STATES: tuple[str, ...] = (
    DirectiveState.ISSUED,
    DirectiveState.IN_PROGRESS,
    DirectiveState.CLOSING,
)
DONE_DIRECTIVE_STATES: tuple[str, ...] = (DirectiveState.CLOSED, DirectiveState.ARCHIVED)


class FeedbackRhythm(models.TextChoices):
    ONCE = "once", "一次性反馈"
    WEEKLY = "weekly", "每周反馈"
    BIWEEKLY = "biweekly", "每两周反馈"
    MONTHLY = "monthly", "每月反馈"


class DirectiveNumber(models.Model):
    """The last 督办事项 number given in a year; its row is the lock of the numbering."""

    year = models.PositiveSmallIntegerField("年度", primary_key=True)
    last = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = "督办事项编号"
        verbose_name_plural = "督办事项编号"

    def __str__(self) -> str:
        return f"{self.year}：{self.last}"


class Directive(models.Model):
    """A 督办事项. Numbered when issued (``year``/``seq``: 合智督〔year〕N号)."""

    title = models.CharField("事项名称", max_length=200)
    source = models.CharField("来源", max_length=12, choices=DirectiveSource.choices)
    # The source's particulars: 批示 (the leader, the date, the text, the document it was written
    # on); 会议 (the meeting, its date, the minutes); 上级交办 (the authority, its 文号).
    source_leader = models.CharField("批示领导", max_length=100, blank=True)
    source_meeting = models.CharField("会议名称", max_length=200, blank=True)
    source_authority = models.CharField("交办机关", max_length=200, blank=True)
    source_doc_number = models.CharField("文号", max_length=100, blank=True)
    source_document = models.CharField("批示所在文件", max_length=255, blank=True)
    source_date = models.DateField("批示/会议/交办日期", null=True, blank=True)
    source_text = models.TextField("批示内容/会议纪要/交办内容", blank=True)
    requirement = models.TextField("办理要求")
    task = models.ForeignKey(
        "tasks.Task",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="directives",
        verbose_name="所属任务",
    )
    # The deadline: a number of working days from issuing, or a date; ``due_date`` is set when
    # issued and moved by an approved extension; ``original_due_date`` never moves.
    due_workdays = models.PositiveSmallIntegerField("办结时限（工作日）", null=True, blank=True)
    due_date = models.DateField("办结时限", null=True, blank=True)
    original_due_date = models.DateField("原定办结时限", null=True, blank=True)
    sign_workdays = models.PositiveSmallIntegerField("签收时限（工作日）", default=1)
    sign_due_date = models.DateField("签收截止日期", null=True, blank=True)
    rhythm = models.CharField(
        "反馈频次", max_length=10, choices=FeedbackRhythm.choices, default=FeedbackRhythm.ONCE
    )
    next_feedback_date = models.DateField("下次反馈日期", null=True, blank=True)
    state = models.CharField(
        "状态", max_length=12, choices=DirectiveState.choices, default=DirectiveState.DRAFT
    )
    # The lead unit's latest reviewed (accepted) feedback status: what the light reads.
    status = models.CharField("办理状态", max_length=12, choices=ProgressStatus.choices, blank=True)
    year = models.PositiveSmallIntegerField("年度", null=True, blank=True)
    seq = models.PositiveIntegerField("序号", null=True, blank=True)
    created_by = by_user("立项人")
    created_at = models.DateTimeField("立项时间", default=clock.now)
    issued_by = by_user("交办人")
    issued_at = models.DateTimeField("交办时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    archived_at = models.DateTimeField("销号时间", null=True, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "督办事项"
        verbose_name_plural = "督办事项"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "seq"],
                condition=Q(seq__isnull=False),
                name="directive_number_once",
            ),
            models.CheckConstraint(
                condition=Q(seq__isnull=True) | Q(seq__gte=1), name="directive_seq_positive"
            ),
            models.CheckConstraint(
                condition=Q(state="draft")
                | Q(due_date__isnull=False, original_due_date__isnull=False),
                name="directive_issued_has_due",
            ),
            models.CheckConstraint(
                condition=Q(due_workdays__isnull=True) | Q(due_workdays__gte=1),
                name="directive_due_workdays_positive",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "due_date"], name="directive_state_due"),
            models.Index(fields=["source", "state"], name="directive_source_state"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.seq else self.title

    @property
    def number(self) -> str:
        return f"合智督〔{self.year}〕{self.seq}号" if self.seq else "（未编号）"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_DIRECTIVE_STATES

    @property
    def extended(self) -> bool:
        return bool(
            self.due_date and self.original_due_date and self.due_date != self.original_due_date
        )


class DirectiveUnit(models.Model):
    """A unit (or group) an item is given to: lead or co, in order, with its sign-in (签收)."""

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="units", verbose_name="督办事项"
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="directive_duties", verbose_name="单位"
    )
    role = models.CharField(
        "职责", max_length=8, choices=[("lead", "牵头"), ("co", "配合")], default="lead"
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)
    signed_at = models.DateTimeField("签收时间", null=True, blank=True)
    signed_by = by_user("签收人")
    sign_reminded_at = models.DateTimeField("签收提醒时间", null=True, blank=True)

    class Meta:
        verbose_name = "承办单位"
        verbose_name_plural = "承办单位"
        ordering = ["directive", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["directive", "unit"], name="directive_unit_once"),
            models.UniqueConstraint(
                fields=["directive"], condition=Q(role="lead"), name="directive_one_lead"
            ),
        ]
        indexes = [models.Index(fields=["unit", "directive"], name="directive_unit_idx")]

    def __str__(self) -> str:
        return f"{self.unit}（{self.get_role_display()}）"


class FeedbackKind(models.TextChoices):
    PROGRESS = "progress", "进展反馈"
    CLOSING = "closing", "办结报告"


class FeedbackState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    ACCEPTED = "accepted", "已审核"
    RETURNED = "returned", "已退回"


class DirectiveFeedback(models.Model):
    """A unit's feedback on an item. A co unit's feeds the lead's consolidated feedback; the
    lead's is reviewed by the office (accepted or returned with a reason); a closing report
    (``kind=closing``) is the lead's 申请办结."""

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="feedback", verbose_name="督办事项"
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="反馈单位"
    )
    kind = models.CharField(
        "类型", max_length=10, choices=FeedbackKind.choices, default=FeedbackKind.PROGRESS
    )
    content = models.TextField("反馈内容")
    status = models.CharField(
        "办理状态", max_length=12, choices=ProgressStatus.choices, default=ProgressStatus.ON_TRACK
    )
    state = models.CharField(
        "审核状态", max_length=10, choices=FeedbackState.choices, default=FeedbackState.SUBMITTED
    )
    due_date = models.DateField("应反馈日期", null=True, blank=True)
    created_by = by_user("填报人")
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    reviewed_by = by_user("审核人")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_comment = models.TextField("审核意见", blank=True)

    class Meta:
        verbose_name = "督办反馈"
        verbose_name_plural = "督办反馈"
        ordering = ["directive", "submitted_at", "id"]
        indexes = [models.Index(fields=["directive", "unit", "state"], name="directive_fb_idx")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_kind_display()}"


class ExtensionState(models.TextChoices):
    PENDING = "pending", "待办公室审核"
    LEADER = "leader", "待领导审批"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"


class DirectiveExtension(models.Model):
    """A 延期申请: before the deadline, with a reason; the office reviews, and (a setting) a
    leader approves. ``from_date`` is the deadline it asked to move; the item keeps its
    ``original_due_date`` whatever is approved."""

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="extensions", verbose_name="督办事项"
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="申请单位"
    )
    from_date = models.DateField("原办结时限")
    to_date = models.DateField("申请延至")
    reason = models.TextField("延期理由")
    state = models.CharField(
        "状态", max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    requested_by = by_user("申请人")
    requested_at = models.DateTimeField("申请时间", default=clock.now)
    reviewed_by = by_user("办公室审核人")
    reviewed_at = models.DateTimeField("办公室审核时间", null=True, blank=True)
    decided_by = by_user("批准人")
    decided_at = models.DateTimeField("批准时间", null=True, blank=True)
    comment = models.TextField("审批意见", blank=True)

    class Meta:
        verbose_name = "延期申请"
        verbose_name_plural = "延期申请"
        ordering = ["directive", "requested_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_date__gt=models.F("from_date")), name="extension_moves_later"
            ),
            models.UniqueConstraint(
                fields=["directive"],
                condition=Q(state__in=["pending", "leader"]),
                name="extension_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_date} → {self.to_date}"


class DirectiveAttachment(models.Model):
    """A file of an item: its source document (no feedback) or a feedback's evidence."""

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="attachments", verbose_name="督办事项"
    )
    feedback = models.ForeignKey(
        DirectiveFeedback,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
        verbose_name="反馈",
    )
    file = models.FileField("文件", upload_to=attachment_path, max_length=255)
    file_name = models.CharField("文件名", max_length=255)
    file_type = models.CharField("类型", max_length=128, blank=True)
    uploaded_by = by_user("上传人")
    uploaded_at = models.DateTimeField("上传时间", default=clock.now)

    class Meta:
        verbose_name = "督办附件"
        verbose_name_plural = "督办附件"
        ordering = ["directive", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.file_name


class DirectiveAction(models.TextChoices):
    CREATE = "create", "立项"
    ISSUE = "issue", "交办"
    SIGN = "sign", "签收"
    FEEDBACK = "feedback", "反馈"
    FEEDBACK_ACCEPT = "feedback_accept", "反馈审核通过"
    FEEDBACK_RETURN = "feedback_return", "反馈退回"
    EXTEND = "extend", "申请延期"
    EXTEND_REVIEW = "extend_review", "延期审核"
    EXTEND_APPROVE = "extend_approve", "批准延期"
    EXTEND_REJECT = "extend_reject", "不予延期"
    APPLY_CLOSE = "apply_close", "申请办结"
    CLOSE = "close", "办结"
    RETURN = "return", "退回重办"
    ARCHIVE = "archive", "销号"
    REOPEN = "reopen", "重新督办"
    REMIND = "remind", "提醒"
    URGE = "urge", "催办"


class DirectiveStep(models.Model):
    """The item's timeline: every step with its time stamp, actor, unit and comment."""

    directive = models.ForeignKey(
        Directive, on_delete=models.CASCADE, related_name="steps", verbose_name="督办事项"
    )
    action = models.CharField("操作", max_length=16, choices=DirectiveAction.choices)
    from_state = models.CharField("原状态", max_length=12, blank=True)
    to_state = models.CharField("新状态", max_length=12, blank=True)
    actor = by_user("操作人")
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="单位",
    )
    comment = models.TextField("意见", blank=True)
    created_at = models.DateTimeField("时间", default=clock.now)

    class Meta:
        verbose_name = "督办事项流程"
        verbose_name_plural = "督办事项流程"
        ordering = ["directive", "created_at", "id"]

    def __str__(self) -> str:
        return self.get_action_display()
