"""Reads of the working-day calendar: is a day a working day, n working days after a day, the
working days between two days, the next working day.

Each call reads the span it needs in one query (the known years and the named days together), so
a due date costs one query whatever the number of days, and an edit in the admin counts at once
in every process (nothing is cached). A day of a year whose arrangement is missing raises
``WorkdayYearMissing``: the calendar never guesses.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import BooleanField, DateField, IntegerField, Value

from hefei_ai_zone.errors import ApplicationError
from tasks.workdays.models import CalendarDay, WorkdayYear

# How far one read looks ahead: n working days fit in 2n + 31 days (the longest holiday with its
# weekends is under two weeks); a longer stretch without working days reads on.
_SLACK_DAYS = 31


class WorkdayYearMissing(ApplicationError):  # noqa: N818 (the name the reminders use)
    """A computation reached a year whose holiday arrangement has not been entered."""

    def __init__(self, year: int) -> None:
        super().__init__(
            f"{year}年的工作日安排尚未录入，请管理员在后台录入国务院办公厅公布的放假安排。",
            {"year": year},
        )
        self.year = year


@dataclass(frozen=True)
class Span:
    """The arrangement of the days first..last: the known years among theirs and the named days
    (True: 调休 working day, False: holiday)."""

    first: date
    last: date
    known_years: frozenset[int]
    named: dict[date, bool]

    def is_workday(self, day: date) -> bool:
        if not self.first <= day <= self.last:
            raise ValueError(f"{day} is outside {self.first}..{self.last}")
        if day.year not in self.known_years:
            raise WorkdayYearMissing(day.year)
        named = self.named.get(day)
        return day.weekday() < 5 if named is None else named


def span_read(first: date, last: date) -> Span:
    """The calendar of first..last in one query (a UNION of the known years and the named days)."""
    years = (
        WorkdayYear.objects.filter(year__gte=first.year, year__lte=last.year)
        .annotate(day=Value(None, output_field=DateField()))
        .annotate(work=Value(None, output_field=BooleanField()))
        .values_list("year", "day", "work")
        .order_by()
    )
    days = (
        CalendarDay.objects.filter(date__gte=first, date__lte=last)
        .annotate(no_year=Value(None, output_field=IntegerField()))
        .values_list("no_year", "date", "is_workday")
        .order_by()
    )
    known: set[int] = set()
    named: dict[date, bool] = {}
    for year, day, work in years.union(days, all=True):
        if day is None:
            known.add(year)
        else:
            named[day] = work
    return Span(first, last, frozenset(known), named)


def known_years() -> list[int]:
    """The years whose arrangement is known, in order."""
    return list(WorkdayYear.objects.order_by("year").values_list("year", flat=True))


def missing_years(years: Iterable[int]) -> list[int]:
    """Those of ``years`` whose arrangement is missing."""
    wanted = set(years)
    have = set(WorkdayYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    return sorted(wanted - have)


def is_workday(day: date) -> bool:
    """Whether ``day`` is a working day (调休 weekend working days included)."""
    return span_read(day, day).is_workday(day)


def _days(first: date, count: int) -> Iterable[date]:
    return (first + timedelta(days=i) for i in range(count))


def add_workdays(day: date, n: int) -> date:
    """The n-th working day after ``day`` (``day`` itself not counted; n = 0 gives ``day``):
    add_workdays(2023-12-31, 5) is 2024-01-08, 2024-01-01 being New Year's Day."""
    if n < 0:
        raise ValueError("n must not be negative")
    left, cursor = n, day
    while left:
        length = 2 * left + _SLACK_DAYS
        span = span_read(cursor + timedelta(days=1), cursor + timedelta(days=length))
        for current in _days(span.first, length):
            cursor = current
            if span.is_workday(current):
                left -= 1
                if not left:
                    break
    return cursor


def next_workday(day: date) -> date:
    """``day`` when it is a working day, otherwise the first working day after it."""
    cursor = day
    while True:
        span = span_read(cursor, cursor + timedelta(days=_SLACK_DAYS))
        for current in _days(span.first, _SLACK_DAYS + 1):
            if span.is_workday(current):
                return current
        cursor = span.last + timedelta(days=1)


def workdays_between(first: date, last: date) -> int:
    """The number of working days after ``first`` up to and including ``last`` (negative when
    ``last`` comes first), so that add_workdays(first, workdays_between(first, last)) <= last."""
    if last < first:
        return -workdays_between(last, first)
    if last == first:
        return 0
    span = span_read(first + timedelta(days=1), last)
    return sum(span.is_workday(d) for d in _days(span.first, (last - first).days))
