"""Traffic lights computed from facts: the one rule, for every page, the API, the dashboard's SQL,
the trend and later the bulletin.

Which reports count: a report counts for the lights once it is submitted (submitted, approved,
accepted: ``COUNTED_STATES``); a draft or a returned report counts for nobody, whoever reads. So
the office and the leader see the same light for the same fact, and no light comes from a report
its reader may not see (the leader sees every submitted report; tasks.reporting.permissions).

An assignment's light in a period, as of the period's last day (today while it runs):
- red: a milestone is overdue (past due, not marked done by then) by more than
  LIGHT_RED_OVERDUE_DAYS (30) days, or a counted report says 滞后;
- yellow: a milestone is overdue by more than LIGHT_YELLOW_OVERDUE_DAYS (0) days, or a counted
  report says 存在风险;
- green: otherwise, when a counted report gives any other status (未启动 included: something was
  reported);
- grey: no counted report and nothing overdue.
A group's assignment takes the worst of its members' reports; a task's light is the worst of its
assignments' lights (grey only when all are grey). The self-reported status is kept beside it.

Lights compare by severity (grey 0, green 1, yellow 2, red 3): the worst is the highest. The rule
exists here in two forms that say the same: Python (``light_for``, ``assignment_lights``,
``report_light``, ``milestone_severity``) and what SQL needs (``COUNTED_STATES``,
``status_severity_sql``, ``milestone_severity_sql``, ``overdue_before``, ``done_after`` and the
ORM expressions), which reports.dashboards builds its statements from. ``RULE_VERSION`` names the
rule: whatever is kept (trend points, cached dashboards) is keyed by ``rule_key()``, so a change
of the rule or of its thresholds never reuses a number counted under the old one.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Case, Min, Q, QuerySet, When
from django.utils import timezone

from hefei_ai_zone import clock
from tasks.models import (
    DONE_DIRECTIVE_STATES,
    SUBMITTED_STATES,
    DirectiveState,
    Milestone,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
)

# 2: only submitted reports count, for everyone (1: the office also counted returned reports).
RULE_VERSION = 2


class Light(models.TextChoices):
    GREEN = "green", "绿灯"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"
    GREY = "grey", "未报送"


# The report states whose status counts for the lights.
COUNTED_STATES: tuple[str, ...] = tuple(SUBMITTED_STATES)

SEVERITY: dict[str, int] = {
    Light.GREY.value: 0,
    Light.GREEN.value: 1,
    Light.YELLOW.value: 2,
    Light.RED.value: 3,
}
SEVERITY_LIGHT: dict[int, str] = {severity: light for light, severity in SEVERITY.items()}
_GREY, _GREEN, _YELLOW, _RED = (SEVERITY[light] for light in ("grey", "green", "yellow", "red"))
# The statuses that light more than green; any other reported status is green.
STATUS_LIGHT: dict[str, str] = {
    ProgressStatus.DELAYED.value: Light.RED.value,
    ProgressStatus.AT_RISK.value: Light.YELLOW.value,
}
# The order in which self-reported statuses are "worse" (which one a group's assignment shows).
STATUS_SEVERITY = {
    ProgressStatus.COMPLETED: 0,
    ProgressStatus.ON_TRACK: 1,
    ProgressStatus.NOT_STARTED: 2,
    ProgressStatus.AT_RISK: 3,
    ProgressStatus.DELAYED: 4,
}


def rule_key() -> str:
    """The rule and its thresholds, as kept numbers are keyed: "v2:30/0"."""
    return f"v{RULE_VERSION}:{settings.LIGHT_RED_OVERDUE_DAYS}/{settings.LIGHT_YELLOW_OVERDUE_DAYS}"


# --- the rule in Python ------------------------------------------------------------------------


def status_severity(status: str) -> int:
    """The severity a counted report's status gives ("" when nothing counted: grey)."""
    if not status:
        return _GREY
    return SEVERITY[STATUS_LIGHT.get(status, Light.GREEN.value)]


def milestone_severity(overdue_days: int) -> int:
    """The severity a milestone overdue by ``overdue_days`` days gives (0: not overdue)."""
    if overdue_days > settings.LIGHT_RED_OVERDUE_DAYS:
        return _RED
    if overdue_days > settings.LIGHT_YELLOW_OVERDUE_DAYS:
        return _YELLOW
    return _GREY


def milestone_light(overdue_days: int) -> str:
    """The light a milestone overdue by ``overdue_days`` days gives (grey: not overdue)."""
    return SEVERITY_LIGHT[milestone_severity(overdue_days)]


def light_for(*, status: str, overdue_days: int) -> str:
    """The rule itself, for one assignment; ``status`` is "" when no report counts."""
    return SEVERITY_LIGHT[max(status_severity(status), milestone_severity(overdue_days))]


def worst(lights: list[str]) -> str:
    return max(lights, key=lambda light: SEVERITY[light], default=Light.GREY.value)


def counts(report: ProgressReport | None) -> bool:
    """Whether the report counts for the lights (submitted, approved or accepted)."""
    return report is not None and report.state in COUNTED_STATES


def reported_status(report: ProgressReport | None) -> str:
    """The report's status as the lights see it: "" unless the report counts."""
    return report.status if report is not None and counts(report) else ""


def report_light(report: ProgressReport | None) -> str:
    """The light one report's self-reported status gives: grey for a draft, a returned report or
    no status (milestones are the assignment's: assignment_lights)."""
    return light_for(status=reported_status(report), overdue_days=0)


def status_light(status: str) -> str:
    """The light a status gives once its report is submitted (the report form's hints)."""
    return light_for(status=status if status in ProgressStatus.values else "", overdue_days=0)


# --- the day a period's lights are for, and what is overdue on it ------------------------------


def period_as_of(period: ReportingPeriod, today: date | None = None) -> date:
    """The day a period's lights are for: its last day, or today while it is still running."""
    today = today or clock.today()
    return min(period.end_date, today) if period.start_date <= today else period.end_date


def done_after(as_of: date) -> datetime:
    """The first moment after ``as_of``: a milestone done at or after it was not done by then."""
    return timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time.min))


def overdue_before(as_of: date) -> tuple[date, date]:
    """(red_before, yellow_before): a milestone overdue on ``as_of`` and due before the first is
    red, before the second yellow (overdue by more than the thresholds' days)."""
    return (
        as_of - timedelta(days=settings.LIGHT_RED_OVERDUE_DAYS),
        as_of - timedelta(days=settings.LIGHT_YELLOW_OVERDUE_DAYS),
    )


def overdue_q(as_of: date) -> Q:
    """Milestone rows overdue on ``as_of``: confirmed arrangements past due on that day and not
    marked done by then."""
    return Q(arrangement_confirmed=True, due_date__lt=as_of) & (
        Q(done_at__isnull=True) | Q(done_at__gte=done_after(as_of))
    )


def overdue_milestones(as_of: date) -> QuerySet[Milestone]:
    """Milestones past due on ``as_of`` and not marked done by then."""
    return Milestone.objects.filter(overdue_q(as_of))


# --- the rule for SQL: the dashboard's statements are built from these --------------------------


def counted_report_q() -> Q:
    """ProgressReport rows whose status counts: submitted and with a status."""
    return Q(state__in=COUNTED_STATES) & ~Q(status="")


def status_severity_sql(column: str) -> tuple[str, list[Any]]:
    """A SQL CASE giving the severity of the status in ``column`` of a counted report (rows with
    a status only), and its parameters."""
    whens = sorted(STATUS_LIGHT.items(), key=lambda item: -SEVERITY[item[1]])
    sql = " ".join(f"WHEN %s THEN {SEVERITY[light]}" for _, light in whens)
    return f"CASE {column} {sql} ELSE {_GREEN} END", [status for status, _ in whens]


def milestone_severity_sql(due: str, red_before: str, yellow_before: str) -> str:
    """A SQL CASE giving the severity of an overdue milestone's ``due`` date, given the
    ``overdue_before`` dates of the as-of day (columns or placeholders)."""
    return (
        f"CASE WHEN {due} < {red_before} THEN {_RED}"
        f" WHEN {due} < {yellow_before} THEN {_YELLOW} ELSE {_GREY} END"
    )


def status_severity_expression(counted: Q | None = None) -> Case:
    """The ORM form of status_severity over ProgressReport rows; ``counted`` (counted_report_q()
    unless given) limits it to the rows that count, the others are grey."""
    counted = counted_report_q() if counted is None else counted
    whens = [
        When(counted & Q(status=status), then=SEVERITY[light])
        for status, light in sorted(STATUS_LIGHT.items(), key=lambda item: -SEVERITY[item[1]])
    ]
    return Case(*whens, When(counted, then=_GREEN), default=_GREY)


def milestone_severity_expression(as_of: date) -> Case:
    """The ORM form of milestone_severity over Milestone rows overdue on ``as_of``."""
    red_before, yellow_before = overdue_before(as_of)
    return Case(
        When(due_date__lt=red_before, then=_RED),
        When(due_date__lt=yellow_before, then=_YELLOW),
        default=_GREY,
    )


# --- in bulk -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LightFacts:
    """What an assignment's light is computed from, and the light."""

    status: str  # the counted self-reported status (a group's: its members' worst), "" if none
    overdue_days: int  # of the most overdue milestone as of the day the light is for; 0 if none
    light: str


def assignment_lights(
    period: ReportingPeriod, assignment_ids: QuerySet | list[int] | None = None
) -> dict[int, LightFacts]:
    """Every assignment's light in the period that has a counted report or an overdue milestone
    (assignments absent from the result are grey). Two queries."""
    as_of = period_as_of(period)
    reports = ProgressReport.objects.filter(period=period).filter(counted_report_q())
    overdue = overdue_milestones(as_of)
    if assignment_ids is not None:
        reports = reports.filter(assignment_id__in=assignment_ids)
        overdue = overdue.filter(assignment_id__in=assignment_ids)
    status: dict[int, str] = {}
    for assignment_id, reported in reports.values_list("assignment_id", "status"):
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


def light_of(facts: dict[int, LightFacts], assignment_id: int) -> str:
    """An assignment's light from assignment_lights' result (absent: grey)."""
    fact = facts.get(assignment_id)
    return fact.light if fact else Light.GREY.value


# --- 督办事项 (tasks.directives): the same rule -----------------------------------------
# An item's light as of a day: its deadline counts like a milestone's (overdue by more than
# LIGHT_RED_OVERDUE_DAYS: red; by more than LIGHT_YELLOW_OVERDUE_DAYS: yellow) and its lead unit's
# latest counted feedback status like a report's (``Directive.status``, "" when nothing counted:
# a submitted or accepted feedback counts, a returned one does not). A closed item (办结, 销号) is
# green as of any day from its closing on; an item not yet issued (立项) has no light (None).


def directive_overdue_days(
    *, state: str, due_date: date | None, closed_at: datetime | None, as_of: date
) -> int:
    """Days an item is past its (current) deadline on ``as_of``; 0 when not past it, closed by
    then or not issued."""
    if state == DirectiveState.DRAFT or due_date is None:
        return 0
    if closed_at is not None and timezone.localdate(closed_at) <= as_of:
        return 0
    return max(0, (as_of - due_date).days)


def directive_light(
    *,
    state: str,
    status: str,
    due_date: date | None,
    closed_at: datetime | None,
    as_of: date | None = None,
) -> str | None:
    """An item's light on ``as_of`` (today unless given); None for an item not yet issued."""
    if state == DirectiveState.DRAFT:
        return None
    as_of = as_of or clock.today()
    if (
        state in DONE_DIRECTIVE_STATES
        and closed_at is not None
        and timezone.localdate(closed_at) <= as_of
    ):
        return Light.GREEN.value
    days = directive_overdue_days(state=state, due_date=due_date, closed_at=closed_at, as_of=as_of)
    return light_for(status=status, overdue_days=days)


def light_of_directive(directive: Any, as_of: date | None = None) -> str | None:
    """``directive_light`` of a ``Directive`` row."""
    return directive_light(
        state=directive.state,
        status=directive.status,
        due_date=directive.due_date,
        closed_at=directive.closed_at,
        as_of=as_of,
    )
