"""Reads of the annual work arrangements (年度工作安排): milestones by assignment, task and unit,
what a unit owes soon or late, and what waits for the office. Every function costs a fixed
number of queries whatever the number of milestones.

Everyone logged in may read milestones; their evidence files are for the owing unit, the lead
unit, the office and the leader (``can_read_milestone_file``).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from hefei_ai_zone import clock
from tasks.lights import (
    Light,
    assignment_lights,
    light_of,
    milestone_light,
    overdue_milestones,
    period_as_of,
    reported_status,
    worst,
)
from tasks.milestones.permissions import (
    can_arrange_milestones,
    can_confirm_arrangement,
    can_confirm_milestone,
    can_edit_arrangement,
    can_mark_milestone_done,
    can_read_milestone_file,
    led_by,
)
from tasks.models import Assignment, AssignmentRole, Milestone, MilestoneState, Task
from tasks.reporting.models import ProgressStatus, ReportingPeriod
from tasks.reporting.selectors import period_current
from units.models import Unit, User


def milestone_list() -> QuerySet[Milestone]:
    """Milestones with everything a list shows (one query)."""
    return Milestone.objects.select_related(
        "assignment__unit",
        "assignment__task",
        "assignment__demo",
        "unit",
        "done_by",
        "confirmed_by",
        "created_by",
    ).order_by(
        "due_date",
        F("assignment__task__seq").asc(nulls_last=True),
        F("assignment__demo__seq").asc(nulls_last=True),
        "assignment__order",
        "id",
    )


def milestone_detail(pk: int) -> Milestone:
    """One milestone, or Milestone.DoesNotExist."""
    return milestone_list().get(pk=pk)


def milestones_of_assignment(assignment: Assignment) -> list[Milestone]:
    return list(milestone_list().filter(assignment=assignment))


def milestones_by_assignment(task: Task) -> dict[int, list[Milestone]]:
    """The task's milestones grouped by assignment id (one query)."""
    grouped: dict[int, list[Milestone]] = defaultdict(list)
    for m in milestone_list().filter(assignment__task=task):
        grouped[m.assignment_id].append(m)
    return dict(grouped)


def milestones_of_unit(unit: Unit) -> QuerySet[Milestone]:
    """What the unit owes (it is the owing unit), proposals awaiting confirmation included."""
    return milestone_list().filter(unit=unit)


def milestones_proposed_by_unit(unit: Unit) -> QuerySet[Milestone]:
    """Milestones on tasks (or demo projects) the unit leads that the office has not confirmed
    yet: what the lead unit has proposed."""
    led = Assignment.objects.filter(unit=unit, role=AssignmentRole.LEAD)
    return milestone_list().filter(
        Q(assignment__task__in=led.filter(task__isnull=False).values("task_id"))
        | Q(assignment__demo__in=led.filter(demo__isnull=False).values("demo_id")),
        arrangement_confirmed=False,
    )


def milestones_as_of() -> date:
    """The day "overdue" is judged on, as the lights judge it: the current reporting period's
    as-of day (today while a period is running; its last day once the plan's periods are over),
    or today when there are no periods."""
    period = period_current()
    return period_as_of(period, clock.today()) if period else clock.today()


def milestone_filter_overdue(
    qs: QuerySet[Milestone], as_of: date | None = None, *, overdue: bool = True
) -> QuerySet[Milestone]:
    """Past due on ``as_of`` (milestones_as_of) and not marked done by then; or
    (overdue=False) not."""
    late = overdue_milestones(as_of or milestones_as_of()).values("pk")
    return qs.filter(pk__in=late) if overdue else qs.exclude(pk__in=late)


def quarter_bounds(day: date) -> tuple[date, date]:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    last_month = first.month + 2
    end = date(day.year + 1, 1, 1) if last_month == 12 else date(day.year, last_month + 1, 1)
    return first, date.fromordinal(end.toordinal() - 1)


def milestones_due_for_unit(unit: Unit, *, by: date | None = None) -> list[Milestone]:
    """The unit's confirmed milestones still pending that fall due by ``by`` (the end of this
    quarter unless given): those due this quarter and every earlier one (overdue). One query."""
    by = by or quarter_bounds(clock.today())[1]
    return list(
        milestones_of_unit(unit).filter(
            arrangement_confirmed=True, state=MilestoneState.PENDING, due_date__lte=by
        )
    )


def confirmation_queue() -> QuerySet[Milestone]:
    """Milestones marked done that wait for the office to confirm, oldest first."""
    return milestone_list().filter(state=MilestoneState.DONE).order_by("done_at", "id")


def arrangements_awaiting() -> QuerySet[Milestone]:
    """Milestones proposed by lead units that wait for the office to confirm the arrangement."""
    return milestone_list().filter(arrangement_confirmed=False).order_by("created_at", "id")


def milestone_years() -> list[int]:
    return sorted(set(Milestone.objects.values_list("year", flat=True).distinct()))


# --- filters shared by /milestones/ and /api/milestones/ --------------------------------------


@dataclass
class AssignmentArrangement:
    assignment: Assignment
    light: str
    status: str  # the self-reported status's label, "" when nothing was reported
    overdue_days: int
    milestones: list[Milestone]


def task_arrangements(user: User, task: Task) -> dict[str, Any]:
    """Context for templates/milestones/_task_milestones.html: each assignment's milestones, its
    light computed from facts (tasks.lights) beside its self-reported status, and the task's
    light (the worst of its assignments) in the current period. A fixed number of queries."""
    period = period_current(task.plan)
    assignments = list(task.assignments.all())  # prefetched by selectors.task_list
    facts = assignment_lights(period, [a.pk for a in assignments]) if period else {}
    grouped = milestones_by_assignment(task)
    led = led_by(user)
    as_of = period_as_of(period, clock.today()) if period else clock.today()
    rows = []
    for a in assignments:
        fact = facts.get(a.pk)
        status = fact.status if fact else ""
        rows.append(
            AssignmentArrangement(
                a,
                light_of(facts, a.pk),
                str(ProgressStatus(status).label) if status else "",
                fact.overdue_days if fact else 0,
                decorate(user, grouped.get(a.pk, []), led=led, as_of=as_of),
            )
        )
    return {
        "light_period": period,
        "arrangements": rows,
        "task_light": worst([r.light for r in rows]),
        "can_arrange": bool(assignments) and can_arrange_milestones(user, assignments[0]),
        "proposing": not can_confirm_arrangement(user),
        "red_days": settings.LIGHT_RED_OVERDUE_DAYS,
    }


def my_tasks_arrangements(user: User, period: ReportingPeriod | None, rows: list) -> dict[str, Any]:
    """For 我的任务 (tasks.reporting.views.MyTasksView): give each duty row its light computed from
    facts (``row.computed``) and its own report's status (``row.self_status``), and list the
    unit's pending milestones falling due by the end of the period (this quarter) or overdue.
    Three queries whatever the number of duties and milestones."""
    if period is None:
        return {"due_milestones": [], "milestones_as_of": None}
    facts = assignment_lights(period, [row.duty.assignment.pk for row in rows])
    for row in rows:
        fact = facts.get(row.duty.assignment.pk)
        row.computed = light_of(facts, row.duty.assignment.pk)
        row.overdue_milestone_days = fact.overdue_days if fact else 0
        status = reported_status(row.duty.report)  # what the lights count of its own report
        row.self_status = str(ProgressStatus(status).label) if status else ""
    as_of = period_as_of(period)
    due = milestones_due_for_unit(user.unit, by=period.end_date)  # type: ignore[arg-type]
    for m in due:
        m.late_days = m.overdue_days(as_of)  # type: ignore[attr-defined]
        m.late_red = milestone_light(m.late_days) == Light.RED  # type: ignore[attr-defined]
    return {"due_milestones": due, "milestones_as_of": as_of}


def decorate(
    user: User, milestones: list[Milestone], *, led: set | None = None, as_of: date | None = None
) -> list[Milestone]:
    """What the user may do with each milestone, and how late it is on ``as_of`` (the lights'
    day, tasks.milestones.selectors.milestones_as_of); no queries beyond ``led_by`` and that day."""
    led = led_by(user) if led is None else led
    today = as_of or milestones_as_of()
    for m in milestones:
        is_lead = (m.assignment.task_id, m.assignment.demo_id) in led
        m.may_edit = can_edit_arrangement(user, m, is_lead=is_lead)  # type: ignore[attr-defined]
        m.may_mark = can_mark_milestone_done(user, m)  # type: ignore[attr-defined]
        m.may_confirm = can_confirm_milestone(user, m)  # type: ignore[attr-defined]
        m.may_file = bool(m.file) and can_read_milestone_file(user, m, led)  # type: ignore[attr-defined]
        m.late_days = m.overdue_days(today) if m.arrangement_confirmed else 0  # type: ignore[attr-defined]
        m.late_red = milestone_light(m.late_days) == Light.RED  # type: ignore[attr-defined]
        m.done_late = bool(m.done_at) and timezone.localdate(m.done_at) > m.due_date  # type: ignore[attr-defined]
    return milestones
