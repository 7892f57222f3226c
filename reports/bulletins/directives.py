"""The bulletin's 督办事项办理情况: the quarter's items by source (issued, closed, closed on time,
open and overdue at the quarter's end, extended), the overdue ones named with their lead units.
Two queries whatever the number of items.

As of the quarter's end (``tasks.lights.period_as_of``: today while it runs). Overdue is
tasks.lights' rule for items (``directive_overdue_days``) on that day, with the deadline in force
now (an extension approved after the quarter's end moves it); closed on time: by the deadline in
force (``due_date``); extended: extensions approved in the quarter.
"""

from datetime import date, datetime, time, timedelta
from typing import TypedDict

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import Truncator

from hefei_ai_zone import clock
from reports.dashboards.directives import lead_unit_name
from tasks import lights
from tasks.models import (
    Directive,
    DirectiveExtension,
    DirectiveSource,
    ExtensionState,
    ReportingPeriod,
)

# the overdue items named, worst first; the others are counted
OVERDUE_MAX = 30


class DirectiveSourceRow(TypedDict):
    source: str
    label: str
    issued: int  # in the quarter
    closed: int  # in the quarter
    closed_on_time: int
    open: int  # at the quarter's end
    overdue: int  # at the quarter's end
    extended: int  # extensions approved in the quarter


class OverdueDirective(TypedDict):
    number: str
    title: str
    source: str
    lead: str
    due_date: str
    original_due_date: str
    overdue_days: int


class DirectivePart(TypedDict):
    as_of: str
    rows: list[DirectiveSourceRow]
    total: DirectiveSourceRow
    overdue: list[OverdueDirective]  # the OVERDUE_MAX most overdue
    overdue_more: int


def directive_part(period: ReportingPeriod) -> DirectivePart:
    """The quarter's 督办事项 (two queries: the items issued by its end and not closed before
    its start, with their lead units; the extensions approved in it)."""
    as_of = lights.period_as_of(period)
    tz = timezone.get_current_timezone()
    start = datetime.combine(period.start_date, time.min, tzinfo=tz)
    end = datetime.combine(as_of + timedelta(days=1), time.min, tzinfo=tz)
    items = list(
        Directive.objects.filter(issued_at__lt=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        .annotate(lead_name=lead_unit_name())
        .order_by("year", "seq", "pk")
        .values(
            "year",
            "seq",
            "title",
            "source",
            "state",
            "due_date",
            "original_due_date",
            "issued_at",
            "closed_at",
            "lead_name",
        )
    )
    extended = dict(
        DirectiveExtension.objects.filter(
            state=ExtensionState.APPROVED, decided_at__gte=start, decided_at__lt=end
        )
        .values_list("directive__source")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows: dict[str, DirectiveSourceRow] = {
        source: {
            "source": source,
            "label": label,
            "issued": 0,
            "closed": 0,
            "closed_on_time": 0,
            "open": 0,
            "overdue": 0,
            "extended": extended.get(source, 0),
        }
        for source, label in DirectiveSource.choices
    }
    overdue: list[OverdueDirective] = []
    for d in items:
        row = rows[d["source"]]
        closed_at, due = d["closed_at"], d["due_date"]
        if d["issued_at"] is not None and d["issued_at"] >= start:
            row["issued"] += 1
        if closed_at is not None and closed_at < end:
            row["closed"] += 1
            row["closed_on_time"] += due is not None and clock.local_date(closed_at) <= due
            continue
        row["open"] += 1
        days = lights.directive_overdue_days(
            state=d["state"], due_date=due, closed_at=closed_at, as_of=as_of
        )
        if days > 0:
            row["overdue"] += 1
            overdue.append(
                {
                    "number": f"合智督〔{d['year']}〕{d['seq']}号",
                    "title": Truncator(" ".join(d["title"].split())).chars(40),
                    "source": DirectiveSource(d["source"]).label,
                    "lead": d["lead_name"] or "",
                    "due_date": due.isoformat() if due else "",
                    "original_due_date": _iso(d["original_due_date"]),
                    "overdue_days": days,
                }
            )
    overdue.sort(key=lambda o: (-o["overdue_days"], o["number"]))
    total: DirectiveSourceRow = {
        "source": "",
        "label": "合计",
        "issued": sum(r["issued"] for r in rows.values()),
        "closed": sum(r["closed"] for r in rows.values()),
        "closed_on_time": sum(r["closed_on_time"] for r in rows.values()),
        "open": sum(r["open"] for r in rows.values()),
        "overdue": sum(r["overdue"] for r in rows.values()),
        "extended": sum(r["extended"] for r in rows.values()),
    }
    return {
        "as_of": as_of.isoformat(),
        "rows": list(rows.values()),
        "total": total,
        "overdue": overdue[:OVERDUE_MAX],
        "overdue_more": max(0, len(overdue) - OVERDUE_MAX),
    }


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""
