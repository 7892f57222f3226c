"""The achievement ledger (成果台账): what the indicators of 二、主要目标 count."""

from django.db import models
from django.db.models import Q

from hefei_ai_zone.clock import ClockDateTimeField
from tasks.files import attachment_path
from tasks.plan.models import Plan, Task
from units.fields import by_user
from units.models import Unit


class AchievementKind(models.TextChoices):
    MAJOR = "major_achievement", "重大科技成果"
    PATENT = "invention_patent", "授权发明专利"
    STANDARD = "standard", "技术和应用标准"
    SCENARIO = "application_scenario", "深度应用场景和解决方案"
    ENTERPRISE = "leading_enterprise", "细分领域龙头企业"
    PARK = "demo_park_town", "应用示范园区和特色小镇"
    PLATFORM = "innovation_platform", "人工智能创新平台"
    EVENT = "conference_contest", "有影响力的会议或赛事"


# Kinds whose entries must name their number (专利号, 标准号), so that each counts once.
IDENTIFIER_REQUIRED = (AchievementKind.PATENT, AchievementKind.STANDARD)


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
    created_at = ClockDateTimeField("填报时间", auto_now_add=True)
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
