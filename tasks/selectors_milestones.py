"""Reads of the annual work arrangements (年度工作安排): milestones by assignment, task and unit,
what a unit owes soon or late, and what waits for the office. Every function costs a fixed
number of queries whatever the number of milestones.

Everyone logged in may read milestones; their evidence files are for the owing unit, the lead
unit, the office and the leader (``can_read_milestone_file``).
"""

from collections import defaultdict
from datetime import date

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters

from units.models import Unit

from .filters import StyledFilterSet
from .lights import overdue_milestones, period_as_of
from .models import Assignment, AssignmentRole, Milestone, MilestoneState, Task
from .selectors import period_current


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
    return period_as_of(period) if period else timezone.localdate()


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
    by = by or quarter_bounds(timezone.localdate())[1]
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


class MilestoneFilter(StyledFilterSet):
    unit = filters.ModelChoiceFilter(
        queryset=Unit.objects.organisations(), label="责任单位", empty_label="全部单位"
    )
    task = filters.ModelChoiceFilter(
        queryset=Task.objects.all(), field_name="assignment__task", label="任务"
    )
    assignment = filters.NumberFilter(field_name="assignment_id", label="责任分工")
    year = filters.NumberFilter(label="年度", min_value=2000, max_value=2100)
    state = filters.ChoiceFilter(
        choices=MilestoneState.choices, label="状态", empty_label="全部状态"
    )
    overdue = filters.ChoiceFilter(
        choices=[("true", "逾期未完成"), ("false", "未逾期")],
        method="filter_overdue",
        label="逾期",
        empty_label="全部",
    )

    class Meta:
        model = Milestone
        fields = ["unit", "task", "assignment", "year", "state", "overdue"]

    def filter_overdue(self, qs: QuerySet[Milestone], name: str, value: str) -> QuerySet[Milestone]:
        if not value:
            return qs
        return milestone_filter_overdue(qs, overdue=value == "true")
