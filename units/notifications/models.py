"""Notices (the in-app notification centre and the outbox), their deliveries, and the group robots.

``Notice`` exists once per (rule, key, recipient); ``Delivery`` once per (notice, channel, target):
both are database constraints, so that an event written twice, or a sweep run twice at the same
time, never notifies twice. The models belong to the units app (``units.models`` re-exports them).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from hefei_ai_zone import clock


class Channel(models.TextChoices):
    EMAIL = "email", "邮件"
    WECOM = "wecom", "企业微信群机器人"
    DINGTALK = "dingtalk", "钉钉群机器人"


WEBHOOK_CHANNELS = (Channel.WECOM, Channel.DINGTALK)


class DeliveryState(models.TextChoices):
    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    FAILED = "failed", "失败"


class WebhookKind(models.TextChoices):
    WECOM = "wecom", "企业微信群机器人"
    DINGTALK = "dingtalk", "钉钉群机器人"


class Notice(models.Model):
    """One notification to one person; the bell counts the unread ones."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name="接收人",
    )
    rule = models.CharField("规则", max_length=32, help_text="产生通知的规则代码，如 due-3。")
    key = models.CharField(
        "事件标识", max_length=191, help_text="事件的唯一标识，如 report:123:period:45:step:due-3。"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    link = models.CharField(
        "链接", max_length=500, blank=True, help_text="站内路径，如 /reports/1/。"
    )
    created_at = models.DateTimeField("时间", default=clock.now)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        app_label = "units"
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "key", "recipient"], name="notice_once"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notice_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notice_recent"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Webhook(models.Model):
    """A WeCom or DingTalk group robot of a unit, or of the office (no unit)."""

    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhooks",
        verbose_name="单位",
        help_text="留空表示领导小组办公室的群。",
        limit_choices_to=~Q(kind="group"),
    )
    kind = models.CharField("类型", max_length=16, choices=WebhookKind.choices)
    name = models.CharField("名称", max_length=64, help_text="便于识别，如“市科技局督查工作群”。")
    url = models.URLField(
        "Webhook 地址",
        max_length=500,
        help_text="群机器人的 Webhook 地址（企业微信含 key=，钉钉含 access_token=）。",
    )
    secret = models.CharField(
        "加签密钥",
        max_length=128,
        blank=True,
        help_text="钉钉机器人“加签”安全设置的密钥（SEC 开头）；企业微信留空。",
    )
    active = models.BooleanField("启用", default=True)

    class Meta:
        app_label = "units"
        verbose_name = "群机器人"
        verbose_name_plural = "群机器人"
        ordering = ["unit__sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """A notice sent over one channel to one target (an address, or a group robot by its id)."""

    notice = models.ForeignKey(
        Notice, on_delete=models.CASCADE, related_name="deliveries", verbose_name="通知"
    )
    channel = models.CharField("渠道", max_length=16, choices=Channel.choices)
    target = models.CharField("发送对象", max_length=254, help_text="邮箱地址，或群机器人的编号。")
    webhook = models.ForeignKey(
        Webhook,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name="群机器人",
    )
    state = models.CharField(
        "状态", max_length=16, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("失败原因", blank=True)
    created_at = models.DateTimeField("创建时间", default=clock.now)
    # Machinery, on the real clock (not the demo date): when a pending delivery is due for the
    # periodic pick-up (deliver_pending), and when a worker claimed it (its lease).
    next_attempt_at = models.DateTimeField("下次尝试", null=True, blank=True)
    claimed_at = models.DateTimeField("开始发送", null=True, blank=True)
    # Committed just before the irreversible step (SMTP DATA, the robot's POST): a stale
    # "sending" row without it certainly sent nothing and is sent again; with it, the outcome is
    # unknown (docs/notifications.md, the one window).
    transmitting_at = models.DateTimeField("开始传输", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        app_label = "units"
        verbose_name = "投递记录"
        verbose_name_plural = "投递记录"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "channel", "target"], name="delivery_once"),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.target}"
