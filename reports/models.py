"""What the read side keeps so as not to recount: the trend's points of ended periods.

The dashboard's trend shows, for every period up to the chosen one, how many tasks were red,
yellow, green. An ended period's point changes only when something is written that can change
that period's lights (a report of the period, a milestone due by its end, the plan's rows), which
is rare once the period is over; recounting forty periods of reports after every write is what
made the dashboard slow at scale (docs/performance.md). So each point is kept in ``TrendPoint``
with the period's ``LightsVersion`` at the time it was counted, and used while the version has not
moved. Writers move it after they commit (reports.signals), never inside their transaction, so
no report save waits on a period row, and a point counted from rows older than a write always
carries a version older than that write's.
"""

from django.db import models

from tasks.models import ReportingPeriod


class LightsVersion(models.Model):
    """How many times something that can change a period's lights was written (no row: 0)."""

    period = models.OneToOneField(
        ReportingPeriod,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name="报送周期",
    )
    version = models.PositiveBigIntegerField("版本", default=0)

    class Meta:
        verbose_name = "灯色数据版本"
        verbose_name_plural = "灯色数据版本"

    def __str__(self) -> str:
        return f"{self.period_id}: {self.version}"


class TrendPoint(models.Model):
    """One ended period's tasks by light, as counted at ``version``, for the as-of day and the
    light rule and thresholds (``rule``, tasks.lights.rule_key) it was counted with. The lights
    are the same for every reader since rule 2: the points are kept under the audience "all"
    (reports.dashboards.lights_sql.TREND_AUDIENCE)."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="+", verbose_name="报送周期"
    )
    audience = models.CharField("读者", max_length=8)
    as_of = models.DateField("截至日期")
    rule = models.CharField("灯色阈值", max_length=32)
    version = models.PositiveBigIntegerField("版本")
    red = models.PositiveIntegerField("红灯任务")
    yellow = models.PositiveIntegerField("黄灯任务")
    green = models.PositiveIntegerField("绿灯任务")
    computed_at = models.DateTimeField("计算时间", auto_now=True)

    class Meta:
        verbose_name = "趋势点"
        verbose_name_plural = "趋势点"
        constraints = [
            models.UniqueConstraint(fields=["period", "audience"], name="trend_point_unique")
        ]

    def __str__(self) -> str:
        return f"{self.period_id} {self.audience}"


# The models of the read side's slices, in the app label "reports".
from reports.assessment.models import AssessmentPublication, AssessmentRules  # noqa: E402
from reports.bulletins.models import Bulletin, BulletinNumber  # noqa: E402
from reports.documents.models import DocumentBuild  # noqa: E402

__all__ = [
    "AssessmentPublication",
    "AssessmentRules",
    "Bulletin",
    "BulletinNumber",
    "DocumentBuild",
    "LightsVersion",
    "TrendPoint",
]
