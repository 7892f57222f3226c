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
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
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
    allowed_actions,
    can_arrange_milestones,
    can_confirm_arrangement,
    can_read_milestone_file,
    led_by,
)
from tasks.models import Assignment, AssignmentRole, Milestone, MilestoneState, Task
from tasks.reporting.models import ProgressStatus, ReportingPeriod
from tasks.reporting.selectors import Duty, period_current
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


def milestones_by_urgency(
    qs: QuerySet[Milestone], as_of: date | None = None
) -> QuerySet[Milestone]:
    """Most urgent first: the overdue ones on ``as_of`` (milestones_as_of), the longest overdue
    first; then the rest still to be done, due soonest first; then those marked done and
    waiting for the office; the confirmed ones last."""
    as_of = as_of or milestones_as_of()
    pending = MilestoneState.PENDING
    urgency = Case(
        When(state=pending, arrangement_confirmed=True, due_date__lt=as_of, then=Value(0)),
        When(state=pending, then=Value(1)),
        When(state=MilestoneState.DONE, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return qs.alias(urgency=urgency).order_by(
        "urgency",
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


# --- rows for the pages: typed, never attributes set on the models --------------------------------


@dataclass(frozen=True)
class MilestoneRow:
    """A milestone as the pages show it: what the user may do with it
    (tasks.milestones.permissions.allowed_actions), how late it is on the lights' day, and
    whether the user may download its evidence."""

    milestone: Milestone
    actions: frozenset[str]
    late_days: int  # overdue on the lights' day without being done (0 if not, or unconfirmed)
    done_late: bool  # marked done after its due date
    may_file: bool

    @property
    def late_red(self) -> bool:
        return milestone_light(self.late_days) == Light.RED

    @property
    def may_edit(self) -> bool:
        return "update" in self.actions

    @property
    def may_mark(self) -> bool:
        return "mark_done" in self.actions

    @property
    def may_confirm(self) -> bool:
        return "confirm" in self.actions

    @property
    def may_confirm_arrangement(self) -> bool:
        return "confirm_arrangement" in self.actions


def milestone_rows(
    user: User, milestones: list[Milestone], *, led: set | None = None, as_of: date | None = None
) -> list[MilestoneRow]:
    """What the user may do with each milestone, and how late it is on ``as_of`` (the lights'
    day, milestones_as_of); no queries beyond ``led_by`` and that day."""
    led = led_by(user) if led is None else led
    today = as_of or milestones_as_of()
    return [
        MilestoneRow(
            milestone=m,
            actions=allowed_actions(user, m, led=led),
            late_days=m.overdue_days(today) if m.arrangement_confirmed else 0,
            done_late=m.done_at is not None and timezone.localdate(m.done_at) > m.due_date,
            may_file=bool(m.file) and can_read_milestone_file(user, m, led),
        )
        for m in milestones
    ]


@dataclass(frozen=True)
class AssignmentArrangement:
    assignment: Assignment
    light: str
    status: str  # the self-reported status's label, "" when nothing was reported
    overdue_days: int
    milestones: list[MilestoneRow]


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
                milestone_rows(user, grouped.get(a.pk, []), led=led, as_of=as_of),
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


@dataclass(frozen=True)
class DutyFacts:
    """What 我的任务 shows beside a duty: its light computed from facts, its own report's
    status (the label; "" while nothing was submitted), and how many days its milestones are
    overdue."""

    light: str = Light.GREY
    self_status: str = ""
    overdue_milestone_days: int = 0


def my_tasks_arrangements(
    user: User, period: ReportingPeriod | None, duties: list[Duty]
) -> dict[str, Any]:
    """For 我的任务 (reporting.views.my_tasks.MyTasksView): each duty's facts (``duty_facts``, by
    assignment id) and the unit's pending milestones falling due by the end of the period (this
    quarter) or overdue (``due_milestones``, MilestoneRow). Three queries whatever the number of
    duties and milestones."""
    if period is None:
        return {"duty_facts": {}, "due_milestones": [], "milestones_as_of": None}
    facts = assignment_lights(period, [d.assignment.pk for d in duties])
    duty_facts = {}
    for duty in duties:
        fact = facts.get(duty.assignment.pk)
        status = reported_status(duty.report)  # what the lights count of its own report
        duty_facts[duty.assignment.pk] = DutyFacts(
            light=light_of(facts, duty.assignment.pk),
            self_status=str(ProgressStatus(status).label) if status else "",
            overdue_milestone_days=fact.overdue_days if fact else 0,
        )
    as_of = period_as_of(period)
    due = milestones_due_for_unit(user.unit, by=period.end_date)  # type: ignore[arg-type]
    # The unit's own confirmed milestones: no lead unit's rights apply to them (led=set()).
    rows = milestone_rows(user, due, led=set(), as_of=as_of)
    return {"duty_facts": duty_facts, "due_milestones": rows, "milestones_as_of": as_of}
