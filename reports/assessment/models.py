"""督查考核: the rules the office configures per year, versioned (``AssessmentRules``), and the
frozen rankings it publishes (``AssessmentPublication``).

Rules are never edited in place: an edit creates the next version of the year, the old ones stay
(read-only) and a publication keeps the version it used. A year without rules is scored by the
defaults (reports.assessment.rules.DEFAULT_RULES: the scorecard's formula of before)."""

from django.db import models
from django.db.models import Q

from hefei_ai_zone import clock
from units.fields import by_user

# The parts weighted (rates 0–1, times the weight in points; the weights sum to 100) and the
# deductions (points per counted fact, each optionally capped), in the order the pages show them.
WEIGHTS: tuple[tuple[str, str], ...] = (
    ("on_time", "按时报送率"),
    ("on_track", "按计划推进占比"),
    ("milestones", "节点按期完成率"),
    ("directives", "督办事项按期办结率"),
)
DEDUCTIONS: tuple[tuple[str, str, str], ...] = (
    ("extensions", "延期（每次获批）", "次"),
    ("urges", "催办（每次）", "次"),
    ("orders", "督办单（每份）", "份"),
    ("returns", "报告退回（每次）", "次"),
    ("overdue_milestones", "逾期节点（每个）", "个"),
)


def _points(name: str, default: int | str = 0) -> models.DecimalField:
    return models.DecimalField(name, max_digits=6, decimal_places=2, default=default)


def _cap(name: str) -> models.DecimalField:
    return models.DecimalField(
        name, max_digits=6, decimal_places=2, null=True, blank=True, help_text="留空为不封顶。"
    )


class AssessmentRules(models.Model):
    """One version of a year's 考核细则."""

    year = models.PositiveSmallIntegerField("考核年度")
    version = models.PositiveIntegerField("版本")
    w_on_time = _points("按时报送率权重", 40)
    w_on_track = _points("按计划推进占比权重", 30)
    w_milestones = _points("节点按期完成率权重", 30)
    w_directives = _points("督办事项按期办结率权重", 0)
    d_extensions = _points("延期扣分（每次）")
    d_urges = _points("催办扣分（每次）")
    d_orders = _points("督办单扣分（每份）")
    d_returns = _points("报告退回扣分（每次）")
    d_overdue_milestones = _points("逾期节点扣分（每个）", 2)
    cap_extensions = _cap("延期扣分上限")
    cap_urges = _cap("催办扣分上限")
    cap_orders = _cap("督办单扣分上限")
    cap_returns = _cap("报告退回扣分上限")
    cap_overdue_milestones = _cap("逾期节点扣分上限")
    note = models.TextField("说明", blank=True)
    created_by = by_user("制定人")
    created_at = models.DateTimeField("制定时间", default=clock.now)

    class Meta:
        verbose_name = "考核细则"
        verbose_name_plural = "考核细则"
        ordering = ["-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["year", "version"], name="assessment_rules_version"),
            models.CheckConstraint(
                condition=Q(w_on_time__gte=0, w_on_track__gte=0, w_milestones__gte=0)
                & Q(w_directives__gte=0, d_extensions__gte=0, d_urges__gte=0)
                & Q(d_orders__gte=0, d_returns__gte=0, d_overdue_milestones__gte=0),
                name="assessment_rules_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年考核细则第{self.version}版"


class AssessmentPublication(models.Model):
    """A year's ranking as published: every unit's parts, score and rank (``rows``) and the rules
    (``rules``, a copy of the version's numbers; ``rules_version``: null for the defaults). A
    year may be published again (with a reason): the newest publication is the one shown, the
    older ones are kept (``superseded``)."""

    year = models.PositiveSmallIntegerField("考核年度")
    rules_version = models.ForeignKey(
        AssessmentRules,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publications",
        verbose_name="所用考核细则",
    )
    rules = models.JSONField("考核细则（发布时）")
    rows = models.JSONField("各单位得分与排名")
    as_of = models.DateField("数据截至")
    reason = models.TextField("重新发布理由", blank=True)
    superseded = models.BooleanField("已被重新发布取代", default=False)
    published_by = by_user("发布人")
    published_at = models.DateTimeField("发布时间", default=clock.now)

    class Meta:
        verbose_name = "考核结果发布"
        verbose_name_plural = "考核结果发布"
        ordering = ["-year", "-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=Q(superseded=False), name="assessment_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}年督查考核结果"
