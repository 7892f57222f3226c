"""Traffic lights computed from facts, not only typed in.

An assignment's light in a period, as of the period's last day:
- red: a milestone is overdue (past due, not marked done by then) by more than
  LIGHT_RED_OVERDUE_DAYS (30) days, or the period's report says 滞后;
- yellow: a milestone is overdue by more than LIGHT_YELLOW_OVERDUE_DAYS (0) days, or the report
  says 存在风险;
- green: otherwise, when something was reported (a report that is not a draft);
- grey: nothing reported and nothing overdue.
The self-reported status is kept beside it. A task's light is the worst of its assignments'
lights (grey only when all are grey). Computed in bulk with two queries per period.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Min, Q, QuerySet

from tasks.models import (
    Light,
    Milestone,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    ReportState,
)

SEVERITY = {Light.GREY: 0, Light.GREEN: 1, Light.YELLOW: 2, Light.RED: 3}
STATUS_SEVERITY = {
    ProgressStatus.COMPLETED: 0,
    ProgressStatus.ON_TRACK: 1,
    ProgressStatus.NOT_STARTED: 2,
    ProgressStatus.AT_RISK: 3,
    ProgressStatus.DELAYED: 4,
}


@dataclass(frozen=True)
class LightFacts:
    """What an assignment's light is computed from, and the light."""

    status: str  # the self-reported status (the worst of a group's member reports), "" if none
    overdue_days: int  # of the most overdue milestone as of the day the light is for; 0 if none
    light: str


def light_for(*, status: str, overdue_days: int) -> str:
    """The rule itself, for one assignment; ``status`` is "" when nothing was reported."""
    if overdue_days > settings.LIGHT_RED_OVERDUE_DAYS or status == ProgressStatus.DELAYED:
        return Light.RED
    if overdue_days > settings.LIGHT_YELLOW_OVERDUE_DAYS or status == ProgressStatus.AT_RISK:
        return Light.YELLOW
    return Light.GREEN if status else Light.GREY


def worst(lights: list[str]) -> str:
    return max(lights, key=lambda light: SEVERITY[Light(light)], default=Light.GREY)


def overdue_milestones(as_of: date) -> QuerySet[Milestone]:
    """Milestones past due on ``as_of`` and not marked done by then."""
    return Milestone.objects.filter(due_date__lt=as_of, arrangement_confirmed=True).filter(
        Q(done_at__isnull=True) | Q(done_at__date__gt=as_of)
    )


def period_as_of(period: ReportingPeriod, today: date | None = None) -> date:
    """The day a period's lights are for: its last day, or today while it is still running."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return min(period.end_date, today) if period.start_date <= today else period.end_date


def assignment_lights(
    period: ReportingPeriod, assignment_ids: QuerySet | list[int] | None = None
) -> dict[int, LightFacts]:
    """Every assignment's light in the period that has a report or an overdue milestone
    (assignments absent from the result are grey). Two queries."""
    as_of = period_as_of(period)
    reports = ProgressReport.objects.filter(period=period).exclude(state=ReportState.DRAFT)
    overdue = overdue_milestones(as_of)
    if assignment_ids is not None:
        reports = reports.filter(assignment_id__in=assignment_ids)
        overdue = overdue.filter(assignment_id__in=assignment_ids)
    status: dict[int, str] = {}
    for assignment_id, reported in reports.exclude(status="").values_list(
        "assignment_id", "status"
    ):
        known = status.get(assignment_id)
        if (
            known is None
            or STATUS_SEVERITY[ProgressStatus(reported)] > STATUS_SEVERITY[ProgressStatus(known)]
        ):
            status[assignment_id] = reported
    first_due = dict(
        overdue.values("assignment_id")
        .annotate(first=Min("due_date"))
        .values_list("assignment_id", "first")
    )
    facts = {}
    for assignment_id in status.keys() | first_due.keys():
        days = (as_of - first_due[assignment_id]).days if assignment_id in first_due else 0
        reported = status.get(assignment_id, "")
        facts[assignment_id] = LightFacts(
            reported, days, light_for(status=reported, overdue_days=days)
        )
    return facts
