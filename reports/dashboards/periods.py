"""Who reads the whole dashboard, and which periods it offers."""

from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Subquery

from hefei_ai_zone import clock
from hefei_ai_zone.errors import NotPermittedError
from tasks.lights import COUNTED_STATES
from tasks.models import Plan, ProgressReport, ReportingPeriod
from units.models import User
from units.permissions import is_leader, is_office

from .cache import cached

OFFICE, LEADER = "office", "leader"
LIGHTS = ("green", "yellow", "red", "grey")


def audience_of(user: User) -> str:
    """office (office and administrator) or leader; anyone else may not see the whole dashboard.
    Both see the same lights (tasks.lights: submitted reports only); the office also sees how
    many reports are drafts or returned."""
    if is_office(user):
        return OFFICE
    if is_leader(user):
        return LEADER
    raise NotPermittedError("总览供领导小组办公室和领导查看；本单位的情况请看本单位总览。")


def period_dict(p: ReportingPeriod, has_reports: bool = False) -> dict[str, Any]:
    return {
        "id": p.pk,
        "code": p.code,
        "label": p.label,
        "state": p.state,
        "state_label": p.get_state_display(),
        "start_date": p.start_date.isoformat(),
        "end_date": p.end_date.isoformat(),
        "due_date": p.due_date.isoformat(),
        "has_reports": has_reports,
    }


def dashboard_periods() -> list[ReportingPeriod]:
    """The current plan's periods in order, each with ``has_reports`` (a report that counts for
    the lights): one query, cached."""

    def compute() -> list[ReportingPeriod]:
        plan = Plan.objects.filter(is_current=True).order_by("-start_year", "code").values("pk")
        reports = ProgressReport.objects.filter(period=OuterRef("pk"), state__in=COUNTED_STATES)
        return list(
            ReportingPeriod.objects.filter(plan=Subquery(plan[:1]))
            .select_related("plan")
            .annotate(has_reports=Exists(reports))
            .order_by("start_date")
        )

    return cached("periods", compute)


def period_default(periods: list[ReportingPeriod]) -> ReportingPeriod | None:
    """The latest period with reports, else the open one, else the latest that has started."""
    with_reports = [p for p in periods if getattr(p, "has_reports", False)]
    if with_reports:
        return with_reports[-1]
    today = clock.today()
    open_ = [p for p in periods if p.is_open]
    started = [p for p in periods if p.start_date <= today]
    candidates = open_ or started or periods
    return candidates[-1] if candidates else None


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def raw_rows(queryset: Any) -> list[tuple[Any, ...]]:
    """The rows of a values_list() queryset of integers and strings as the database driver
    gives them: Django's per-value converters cost more than the query for ten thousand rows
    of counts (they turn ints into ints)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
