"""Writes to the working-day calendar: the package's years loaded (``workdays_load``), a year
entered by the office from the State Council's notice (``year_enter``), one day edited or removed
in the admin (``day_save``, ``day_delete``). Each runs in one transaction.

What the office wrote is never overwritten by a reload: a day it edited keeps source "office", and
a year it entered (source "office") is left alone by ``workdays_load`` as a whole.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from tasks.workdays.models import FIRST_YEAR, LAST_YEAR, CalendarDay, WorkdaySource, WorkdayYear
from tasks.workdays.notice import notice_days
from tasks.workdays.package import package_days, package_knows, package_version, package_years
from units.models import User
from units.permissions import is_office


@dataclass
class LoadResult:
    years: list[int] = field(default_factory=list)  # loaded from the package
    office_years: list[int] = field(default_factory=list)  # entered by the office: left alone
    counts: Counter[str] = field(default_factory=Counter)  # created, updated, deleted, kept

    def summary(self) -> str:
        if not self.years and not self.office_years:
            return "没有载入任何年份。"
        span = f"{self.years[0]}–{self.years[-1]}年" if self.years else "无"
        text = (
            f"工作日安排：chinese-calendar {package_version()} 载入 {span}"
            f"（新增 {self.counts['created']} 天，更新 {self.counts['updated']} 天，"
            f"删除 {self.counts['deleted']} 天"
        )
        if self.counts["kept"]:
            text += f"，保留办公室修改的 {self.counts['kept']} 天"
        text += "）"
        if self.office_years:
            text += "；办公室录入的年份未改动：" + "、".join(str(y) for y in self.office_years)
        return text + "。"


def _year_span(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


@transaction.atomic
def workdays_load(*, years: Sequence[int] | None = None) -> LoadResult:
    """Fill the calendar from the chinese-calendar package (every year it knows by default).
    Creates what is missing, updates the package's own days that changed, deletes those it no
    longer names; days and years the office entered stay as they are. A second run writes
    nothing."""
    wanted = sorted(set(years)) if years is not None else package_years()
    unknown = [year for year in wanted if not package_knows(year)]
    if unknown:
        known = package_years()
        raise ApplicationError(
            f"chinese-calendar {package_version()} 只包含 {known[0]}–{known[-1]} 年的放假安排，"
            f"没有 {'、'.join(str(y) for y in unknown)} 年；这些年份请管理员在后台按国务院办公厅"
            "公布的通知录入。",
            {"years": unknown},
        )
    result = LoadResult()
    office = set(
        WorkdayYear.objects.filter(year__in=wanted, source=WorkdaySource.OFFICE).values_list(
            "year", flat=True
        )
    )
    for year in wanted:
        if year in office:
            result.office_years.append(year)
            continue
        WorkdayYear.objects.get_or_create(year=year, defaults={"source": WorkdaySource.PACKAGE})
        result.years.append(year)
        first, last = _year_span(year)
        existing = {d.date: d for d in CalendarDay.objects.filter(date__range=(first, last))}
        new: list[CalendarDay] = []
        for day in package_days(year):
            row = existing.pop(day.date, None)
            if row is None:
                new.append(
                    CalendarDay(
                        date=day.date,
                        is_workday=day.is_workday,
                        name=day.name,
                        source=WorkdaySource.PACKAGE,
                    )
                )
            elif row.source == WorkdaySource.OFFICE:
                result.counts["kept"] += 1
            elif (row.is_workday, row.name) != (day.is_workday, day.name):
                row.is_workday, row.name = day.is_workday, day.name
                row.save(update_fields=["is_workday", "name", "updated_at"])
                result.counts["updated"] += 1
        CalendarDay.objects.bulk_create(new)
        result.counts["created"] += len(new)
        stale = [d.pk for d in existing.values() if d.source == WorkdaySource.PACKAGE]
        result.counts["kept"] += len(existing) - len(stale)
        result.counts["deleted"] += CalendarDay.objects.filter(pk__in=stale).delete()[0]
    return result


@dataclass
class EnterResult:
    year: WorkdayYear
    holidays: int
    workdays: int

    def summary(self) -> str:
        return (
            f"已录入{self.year.year}年的工作日安排：放假 {self.holidays} 天，"
            f"调休上班 {self.workdays} 天。"
        )


def _check_office(actor: User) -> None:
    if not is_office(actor):
        raise NotPermittedError("只有领导小组办公室可以修改工作日安排。")


@transaction.atomic
def year_enter(
    *, actor: User, year: int, text: str, note: str = "", replace: bool = False
) -> EnterResult:
    """Enter a year's arrangement from the State Council's notice as pasted by the office. The
    year's named days become exactly those of the notice (source "office"); a year already known
    is replaced only when asked to."""
    _check_office(actor)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ApplicationError(
            f"年份应在 {FIRST_YEAR}–{LAST_YEAR} 之间。",
            {"fields": {"year": [f"年份应在 {FIRST_YEAR}–{LAST_YEAR} 之间。"]}},
        )
    days = notice_days(text, year)
    current = WorkdayYear.objects.select_for_update().filter(year=year).first()
    if current is not None and not replace:
        message = (
            f"{year}年的工作日安排已有（来源：{current.get_source_display()}）；"
            "如要以这份通知替换，请勾选“替换已有安排”。"
        )
        raise ApplicationError(message, {"fields": {"replace": [message]}})
    if current is None:
        current = WorkdayYear(year=year)
    current.source = WorkdaySource.OFFICE
    current.note = note.strip()
    current.full_clean()
    current.save()
    first, last = _year_span(year)
    CalendarDay.objects.filter(date__range=(first, last)).delete()
    CalendarDay.objects.filter(
        date__in=[d.date for d in days]
    ).delete()  # 31 Dec of the year before
    CalendarDay.objects.bulk_create(
        CalendarDay(date=d.date, is_workday=d.is_workday, name=d.name, source=WorkdaySource.OFFICE)
        for d in days
    )
    workdays = sum(d.is_workday for d in days)
    return EnterResult(current, holidays=len(days) - workdays, workdays=workdays)


@transaction.atomic
def day_save(*, actor: User, day: CalendarDay) -> CalendarDay:
    """Save one day as the office edited it (a new one or a change): it becomes the office's, so
    that no reload overwrites it. Its year must be known."""
    _check_office(actor)
    if not WorkdayYear.objects.filter(year=day.date.year).exists():
        message = f"{day.date.year}年的工作日安排尚未录入：请先录入该年的放假安排。"
        raise ApplicationError(message, {"fields": {"date": [message]}})
    day.source = WorkdaySource.OFFICE
    try:
        day.full_clean()
    except ValidationError as exc:
        raise ApplicationError("；".join(exc.messages), {"fields": exc.message_dict}) from exc
    day.save()
    return day


@transaction.atomic
def day_delete(*, actor: User, day: CalendarDay) -> None:
    """Remove a day the office entered (the day then follows the week). The package's days are
    changed, not removed: a reload would bring them back."""
    _check_office(actor)
    if day.source != WorkdaySource.OFFICE:
        raise ApplicationError("软件包载入的日期不能删除（重新载入时会恢复）；请修改其“上班”选项。")
    day.delete()
