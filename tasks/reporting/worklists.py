"""Reads for the work lists: 待我审核 (what waits for a unit's approver), the counts in the
navigation bar (待我审核, the office's 审核), and 我的任务's order and filters.

Reads only, like tasks.reporting.selectors, on which they build.
"""

from functools import cached_property

from django.db.models import (
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from hefei_ai_zone import clock
from tasks.models import Assignment, PeriodState, ProgressReport, ReportingPeriod, ReportState
from tasks.reporting.models import SUBMITTED_STATES
from tasks.reporting.permissions import can_see_approval_queue, can_see_review_queue
from tasks.reporting.selectors import Duty, report_list, review_queue
from units.models import Role, User

# ---------------------------------------------------------------------------------------------
# What waits for whom: 待我审核 (a unit's approver), 审核 (the office), the navbar's counts
# ---------------------------------------------------------------------------------------------


def approval_queue(user: User) -> QuerySet[ProgressReport]:
    """The unit's reports waiting for its approver, the longest waiting first (one query)."""
    if not can_see_approval_queue(user):
        return ProgressReport.objects.none()
    return (
        report_list(user)
        .filter(unit=user.unit_id, state=ReportState.SUBMITTED)
        .order_by("submitted_at", "pk")
    )


def approval_count(user: User) -> int:
    """How many reports wait for this approver: one query on the (unit, period) index."""
    if not can_see_approval_queue(user):
        return 0
    return ProgressReport.objects.filter(unit=user.unit_id, state=ReportState.SUBMITTED).count()


def review_count(user: User) -> int:
    """How many reports wait for the office: one query."""
    if not can_see_review_queue(user):
        return 0
    return review_queue(user).order_by().count()


def to_fill_count(user: User) -> int:
    """How many duties of the open periods a reporter's unit has not submitted (no report, a
    draft or one sent back): one query, whatever the number of assignments and periods."""
    if not (user.is_authenticated and user.role == Role.REPORTER and user.unit_id):
        return 0
    unit_id = user.unit_id
    submitted = ProgressReport.objects.filter(
        period=OuterRef(OuterRef("pk")),
        assignment=OuterRef("pk"),
        unit_id=unit_id,
        state__in=SUBMITTED_STATES,
    )
    open_duties = (
        Assignment.objects.filter(Q(unit_id=unit_id) | Q(unit__members=unit_id))
        .filter(Q(task__plan=OuterRef("plan_id")) | Q(demo__plan=OuterRef("plan_id")))
        .exclude(Exists(submitted))
        .order_by()
        .annotate(
            n=Func(
                F("pk"),
                function="COUNT",
                template="%(function)s(DISTINCT %(expressions)s)",
                output_field=IntegerField(),
            )
        )
        .values("n")
    )
    total = ReportingPeriod.objects.filter(state=PeriodState.OPEN).aggregate(
        n=Coalesce(Sum(Subquery(open_duties, output_field=IntegerField())), 0)
    )
    return int(total["n"])


class WorkCounts:
    """The navbar's counts of what waits for the user; each is one query, made only when a
    page shows it (templates/base.html)."""

    def __init__(self, user: User) -> None:
        self.user = user

    @cached_property
    def approvals(self) -> int:
        return approval_count(self.user)

    @cached_property
    def review(self) -> int:
        return review_count(self.user)


# ---------------------------------------------------------------------------------------------
# 我的任务: what needs action first, and the filters
# ---------------------------------------------------------------------------------------------

DUTY_STATES: dict[str, tuple[str, tuple[str, ...]]] = {
    # filter value: (label, the duty states it covers; "missing" is a duty without a report)
    "missing": ("未填报", ("missing",)),
    "draft": ("草稿", (ReportState.DRAFT,)),
    "returned": ("已退回", (ReportState.RETURNED,)),
    "reviewing": ("审核中", (ReportState.SUBMITTED, ReportState.APPROVED)),
    "accepted": ("已通过", (ReportState.ACCEPTED,)),
}
NEAR_DUE_DAYS = 7


def duty_urgency(duty: Duty) -> int:
    """0 sent back; 1 not started or a draft, near (within NEAR_DUE_DAYS) or past the due
    date; 2 not started or a draft, due later; 3 waiting for approval; 4 done."""
    state = duty.state
    if state == ReportState.RETURNED:
        return 0
    if state in ("missing", ReportState.DRAFT):
        return 1 if (duty.period.due_date - clock.today()).days <= NEAR_DUE_DAYS else 2
    if state in (ReportState.SUBMITTED, ReportState.APPROVED):
        return 3
    return 4


def duty_section(duty: Duty) -> str:
    """The section code of a task's duty, "demo" for a demo project's."""
    task = duty.assignment.task
    return task.section.code if task is not None else "demo"


def duty_sections(duties: list[Duty]) -> list[tuple[str, str]]:
    """The sections the duties fall in, in plan order, as (code, label); no queries."""
    seen: dict[str, tuple[int, str]] = {}
    for d in duties:
        task = d.assignment.task
        if task is not None:
            seen[task.section.code] = (
                task.section.seq,
                f"{task.section.number}{task.section.title}",
            )
        else:
            seen["demo"] = (10**6, "示范工程")
    return [(code, label) for code, (_, label) in sorted(seen.items(), key=lambda i: i[1][0])]


def duties_matching(rows: list, *, state: str = "", light: str = "", section: str = "") -> list:
    """Rows of 我的任务 (each with ``duty`` and its computed light ``computed``) that match."""
    states = DUTY_STATES[state][1] if state in DUTY_STATES else None
    return [
        r
        for r in rows
        if (states is None or r.duty.state in states)
        and (not light or getattr(r, "computed", r.duty.light) == light)
        and (not section or duty_section(r.duty) == section)
    ]


def duties_by_urgency(rows: list) -> list:
    """What needs action first; the plan's order within each kind (a stable sort)."""
    return sorted(rows, key=lambda r: duty_urgency(r.duty))
