"""The working-day calendar (工作日): the State Council's yearly holiday arrangement.

A day is a working day when it is Monday to Friday, unless the arrangement makes it a holiday,
and a weekend day only when the arrangement makes it a 调休 working day. ``WorkdayYear`` lists the
years whose arrangement is known: a year without a row is *missing*, and every computation that
reaches it says so instead of guessing. ``CalendarDay`` holds the days the arrangement names:
holidays (weekend days inside a holiday too, for their name) and 调休 working days.
"""

from django.db import models
from django.db.models import Q

from hefei_ai_zone.clock import ClockDateTimeField

FIRST_YEAR = 2000
LAST_YEAR = 2100


class WorkdaySource(models.TextChoices):
    PACKAGE = "chinese_calendar", "chinese-calendar 软件包"
    OFFICE = "office", "办公室录入"


class WorkdayYear(models.Model):
    """A year whose holiday arrangement is known (from the package or entered by the office)."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField(
        "来源", max_length=16, choices=WorkdaySource.choices, default=WorkdaySource.OFFICE
    )
    note = models.CharField(
        "依据",
        max_length=200,
        blank=True,
        help_text="如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）。",
    )
    updated_at = ClockDateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "工作日安排（年度）"
        verbose_name_plural = "工作日安排（年度）"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR), name="workday_year_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年"


class CalendarDay(models.Model):
    """A day the arrangement names: a holiday (is_workday False) or a 调休 working day (True).
    Days not listed follow the week: Monday to Friday work, Saturday and Sunday rest."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("上班", help_text="勾选：调休上班；不勾选：放假。")
    name = models.CharField("节日", max_length=40, blank=True, help_text="如：国庆节、春节。")
    source = models.CharField(
        "来源", max_length=16, choices=WorkdaySource.choices, default=WorkdaySource.OFFICE
    )
    updated_at = ClockDateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "放假调休日"
        verbose_name_plural = "放假调休日"
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "上班" if self.is_workday else "放假"
        return f"{self.date:%Y-%m-%d} {self.name}{kind}"

    @property
    def weekday_label(self) -> str:
        return "一二三四五六日"[self.date.weekday()]
