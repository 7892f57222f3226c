"""Reads of the plan. Views, the API and later the exports all list tasks through here."""

import dataclasses
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from hefei_ai_zone import clock
from tasks.lights import report_light
from tasks.models import (
    EDITABLE_STATES,
    SUBMITTED_STATES,
    Assignment,
    Evidence,
    PeriodState,
    Plan,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    ReportState,
    ReportTransition,
    ReportVersion,
    Task,
)
from tasks.plan.selectors import plan_current
from tasks.reporting.diffs import clause_diff
from tasks.reporting.models import CONTENT_FIELDS, FIELD_LABELS
from tasks.reporting.permissions import reports_visible_to
from units.models import Role, Unit, User

# ---------------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------------


def period_current(plan: Plan | None = None) -> ReportingPeriod | None:
    """The open period (the latest if several), else the latest that has started, else the
    first; the plan's dates are in the past, so nothing here assumes today is inside the plan."""
    plan = plan or plan_current()
    periods = ReportingPeriod.objects.filter(plan=plan)
    today = clock.today()
    return (
        periods.filter(state=PeriodState.OPEN).order_by("-start_date").first()
        or periods.filter(start_date__lte=today).order_by("-start_date").first()
        or periods.order_by("start_date").first()
    )


def period_list(plan: Plan | None = None) -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.filter(plan=plan or plan_current()).order_by("start_date")


def period_open_other(period: ReportingPeriod) -> ReportingPeriod | None:
    """Another period of the same plan that is open (there is at most one)."""
    return (
        ReportingPeriod.objects.filter(plan=period.plan_id, state=PeriodState.OPEN)
        .exclude(pk=period.pk)
        .first()
    )


@dataclass
class Duty:
    """One unit's reporting duty on one assignment for one period, with its report if any."""

    assignment: Assignment
    unit: Unit
    period: ReportingPeriod
    report: ProgressReport | None

    @property
    def role(self) -> str:
        return self.assignment.role

    @property
    def via_group(self) -> Unit | None:
        return self.assignment.unit if self.assignment.unit_id != self.unit.pk else None

    @property
    def state(self) -> str:
        return self.report.state if self.report else "missing"

    @property
    def state_label(self) -> str:
        return self.report.get_state_display() if self.report else "未填报"

    @property
    def light(self) -> str:
        return report_light(self.report)

    @property
    def days_left(self) -> int:
        return (self.period.due_date - clock.today()).days

    @property
    def is_submitted(self) -> bool:
        return self.report is not None and self.report.state in SUBMITTED_STATES

    @property
    def overdue(self) -> bool:
        """Not submitted and past the due date."""
        return not self.is_submitted and self.days_left < 0

    @property
    def late(self) -> bool:
        """Submitted after the due date."""
        report = self.report
        return bool(
            report
            and report.submitted_at
            and timezone.localdate(report.submitted_at) > self.period.due_date
        )


def _duty_assignments() -> QuerySet[Assignment]:
    """Tasks in plan order, then demo projects (NULLs last on SQLite too)."""
    return Assignment.objects.select_related(
        "unit", "task__section", "task__item", "demo"
    ).order_by(F("task__seq").asc(nulls_last=True), F("demo__seq").asc(nulls_last=True), "order")


def duties_for_unit(unit: Unit, period: ReportingPeriod) -> list[Duty]:
    """A unit's work list for a period: two queries, whatever the number of assignments."""
    assignments = list(
        _duty_assignments().filter(
            Q(unit=unit) | Q(unit__members=unit),
            Q(task__plan=period.plan_id) | Q(demo__plan=period.plan_id),
        )
    )
    reports = {
        r.assignment_id: r
        for r in ProgressReport.objects.filter(period=period, unit=unit).select_related("period")
    }
    return [Duty(a, unit, period, reports.get(a.pk)) for a in assignments]


def duties_for_period(period: ReportingPeriod) -> list[Duty]:
    """Every unit's duties in a period (a group's assignment is a duty of each member):
    three queries, whatever the size."""
    assignments = list(
        _duty_assignments()
        .filter(Q(task__plan=period.plan_id) | Q(demo__plan=period.plan_id))
        .prefetch_related(Prefetch("unit__members", queryset=Unit.objects.order_by("sort_order")))
    )
    reports = {
        (r.assignment_id, r.unit_id): r
        for r in ProgressReport.objects.filter(period=period).select_related("unit")
    }
    duties = []
    for a in assignments:
        for unit in a.unit.members.all() if a.unit.is_group else [a.unit]:
            duties.append(Duty(a, unit, period, reports.get((a.pk, unit.pk))))
    return duties


def report_list(user: User) -> QuerySet[ProgressReport]:
    """The reports this user may see, with everything a list shows (one query)."""
    return (
        ProgressReport.objects.filter(reports_visible_to(user))
        .select_related(
            "period",
            "unit",
            "assignment__unit",
            "assignment__task__section",
            "assignment__task__item",
            "assignment__demo",
            "updated_by",
        )
        .order_by(
            "-period__start_date",
            F("assignment__task__seq").asc(nulls_last=True),
            F("assignment__demo__seq").asc(nulls_last=True),
            "assignment__order",
            "unit__sort_order",
        )
    )


def report_filter_overdue(qs: QuerySet[ProgressReport]) -> QuerySet[ProgressReport]:
    """Submitted after the due date, or still unsubmitted past it."""
    today = clock.today()
    return qs.filter(
        Q(submitted_at__date__gt=F("period__due_date"))
        | Q(state__in=EDITABLE_STATES, period__due_date__lt=today)
    )


def review_queue(user: User) -> QuerySet[ProgressReport]:
    """What waits for the office: approved by the unit, or submitted by a unit with no
    approver (one query, with a subquery for the approvers)."""
    approver = User.objects.filter(unit=OuterRef("unit"), role=Role.APPROVER, is_active=True)
    return report_list(user).filter(
        Q(state=ReportState.APPROVED) | Q(state=ReportState.SUBMITTED) & ~Exists(approver)
    )


def report_detail(user: User, pk: int) -> ProgressReport:
    """One report the user may see, or Http404 (a guessed id reveals nothing)."""
    return get_object_or_404(
        report_list(user).prefetch_related(
            Prefetch("transitions", queryset=ReportTransition.objects.select_related("actor")),
            Prefetch("evidence", queryset=Evidence.objects.select_related("uploaded_by")),
        ),
        pk=pk,
    )


def report_previous(report: ProgressReport) -> ProgressReport | None:
    """The same unit's report on the same assignment in the period before."""
    return (
        ProgressReport.objects.filter(
            assignment=report.assignment_id,
            unit=report.unit_id,
            period__plan=report.period.plan_id,
            period__start_date__lt=report.period.start_date,
        )
        .select_related("period")
        .order_by("-period__start_date")
        .first()
    )


def report_previous_submitted(
    *, assignment_id: int, unit_id: int, period: ReportingPeriod
) -> ProgressReport | None:
    """The same unit's latest submitted report on the assignment in an earlier period: the
    percent a new report may not fall below without a reason."""
    return (
        ProgressReport.objects.filter(
            assignment=assignment_id,
            unit=unit_id,
            period__plan=period.plan_id,
            period__start_date__lt=period.start_date,
            state__in=SUBMITTED_STATES,
        )
        .select_related("period")
        .order_by("-period__start_date")
        .first()
    )


def report_partners(user: User, report: ProgressReport) -> list[ProgressReport]:
    """The other units' reports on the same task (or demo) and period that the user may see:
    what the lead unit consolidates."""
    a = report.assignment
    same = Q(assignment__task=a.task_id) if a.task_id else Q(assignment__demo=a.demo_id)
    return list(report_list(user).filter(same, period=report.period_id).exclude(pk=report.pk))


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: str
    after: str
    diff: list[tuple[str, str]]  # (op, text): op is "same", "added" or "removed"


def report_changes(
    before: ProgressReport | ReportVersion | None, after: ProgressReport | ReportVersion
) -> list[FieldChange]:
    """What changed between two reports (or versions), field by field; the texts compared
    clause by clause (tasks.reporting.diffs)."""

    def shown(obj: object, field: str) -> str:
        if obj is None:
            return ""
        value = getattr(obj, field)
        if field == "status":
            return ProgressStatus(value).label if value else ""
        return f"{value}%" if field == "percent" else str(value)

    changes = []
    for field in CONTENT_FIELDS:
        old, new = shown(before, field), shown(after, field)
        if old == new:
            continue
        ops = [] if field in ("status", "percent") else clause_diff(old, new)
        changes.append(FieldChange(field, FIELD_LABELS[field], old, new, ops))
    return changes


@dataclass(frozen=True)
class SinceReturn:
    """What a report's unit changed after it was last sent back (退回后的修改)."""

    returned: ReportTransition  # the last return (or reopening)
    version: int | None  # the content's version at that moment (None: not known)
    changes: list[FieldChange]


def changes_since_return(reports: list[ProgressReport]) -> dict[int, SinceReturn]:
    """For each report that has been sent back at least once: its content at the last return
    against its content now. Two queries, whatever the number of reports."""
    if not reports:
        return {}
    last: dict[int, ReportTransition] = {}
    returns = (
        ReportTransition.objects.filter(
            report__in=[r.pk for r in reports], to_state=ReportState.RETURNED
        )
        .exclude(action="urge")
        .select_related("actor")
        .order_by("report_id", "created_at", "id")
    )
    for t in returns:
        last[t.report_id] = t
    if not last:
        return {}
    # the version recorded with the return; for older rows, the last one saved before it
    then = Q(pk__in=[])
    for report_id, t in last.items():
        then |= (
            Q(report=report_id, version=t.version)
            if t.version
            else Q(report=report_id, created_at__lte=t.created_at)
        )
    at_return: dict[int, ReportVersion] = {}
    for v in ReportVersion.objects.filter(then).order_by("report_id", "version"):
        at_return[v.report_id] = v
    result = {}
    for report in reports:
        returned = last.get(report.pk)
        if returned is None:
            continue
        before = at_return.get(report.pk)
        changes = report_changes(before, report) if before is not None else []
        result[report.pk] = SinceReturn(returned, before.version if before else None, changes)
    return result


def task_reports(user: User, task: Task) -> list[ProgressReport]:
    """Every report on a task the user may see, across periods (the task's timeline)."""
    return list(
        report_list(user)
        .filter(assignment__task=task)
        .order_by("period__start_date", "assignment__order", "unit__sort_order")
    )


@dataclass
class UnitRecord:
    """A unit's duties in a period, with its on-time counts (the basis of the scorecard)."""

    unit: Unit
    duties: list[Duty] = dataclasses.field(default_factory=list)

    @property
    def submitted(self) -> int:
        return sum(1 for d in self.duties if d.is_submitted)

    @property
    def overdue(self) -> int:
        return sum(1 for d in self.duties if d.overdue)

    @property
    def missing(self) -> int:
        return sum(1 for d in self.duties if not d.is_submitted)

    @property
    def late(self) -> int:
        return sum(1 for d in self.duties if d.is_submitted and d.late)

    @property
    def on_time(self) -> int:
        return self.submitted - self.late


@dataclass(frozen=True)
class RecordCounts:
    """A unit's reporting in one period, counted in the database."""

    total: int  # duties
    submitted: int
    late: int  # submitted after the due date
    overdue: int  # not submitted and past the due date

    @property
    def missing(self) -> int:
        return self.total - self.submitted

    @property
    def on_time(self) -> int:
        return self.submitted - self.late


@dataclass(frozen=True)
class PeriodRecord:
    period: ReportingPeriod
    record: RecordCounts


def unit_record(unit: Unit) -> list[PeriodRecord]:
    """The unit's record in every period opened so far: three queries, whatever the number of
    periods and duties, counted in the database (same rules as Duty: late when submitted after
    the due date in Asia/Shanghai; overdue when not submitted and the due date has passed)."""
    from django.db.models import Count

    periods = [p for p in period_list() if p.state != PeriodState.PLANNED]
    if not periods:
        return []
    plan_id = periods[0].plan_id
    total = (
        Assignment.objects.filter(
            Q(unit=unit) | Q(unit__members=unit), Q(task__plan=plan_id) | Q(demo__plan=plan_id)
        )
        .distinct()
        .count()
    )
    submitted = Q(state__in=SUBMITTED_STATES)
    counts = {
        row["period"]: row
        for row in ProgressReport.objects.filter(unit=unit, period__in=periods)
        .values("period")
        .annotate(
            submitted=Count("id", filter=submitted),
            late=Count("id", filter=submitted & Q(submitted_at__date__gt=F("period__due_date"))),
        )
        .order_by()
    }
    today = clock.today()
    rows = []
    for p in periods:
        row = counts.get(p.pk)
        done = row["submitted"] if row else 0
        late = row["late"] if row else 0
        overdue = total - done if p.due_date < today else 0
        rows.append(PeriodRecord(p, RecordCounts(total, done, late, overdue)))
    return rows


def unit_records_for_period(period: ReportingPeriod) -> tuple[list[UnitRecord], UnitRecord]:
    """Every unit's record in a period, in the customary order, and the total (three queries)."""
    duties = duties_for_period(period)
    records: dict[int, UnitRecord] = {}
    for d in duties:
        records.setdefault(d.unit.pk, UnitRecord(d.unit)).duties.append(d)
    units = sorted(records.values(), key=lambda r: (r.unit.sort_order, r.unit.pk))
    return units, UnitRecord(Unit(name="合计"), duties)


# ---------------------------------------------------------------------------------------------
# Closing a period: who has not submitted
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodGaps:
    """What closing a period shuts out: the units and duties not yet submitted."""

    units: list[UnitRecord]  # the units with at least one duty not submitted
    unit_total: int
    duty_total: int
    missing: int  # no report at all
    drafts: int
    returned: int
    waiting: int  # submitted, awaiting review (closing does not stop the review)

    @property
    def duties(self) -> int:
        return self.missing + self.drafts + self.returned


def period_gaps(period: ReportingPeriod) -> PeriodGaps:
    """Three queries, whatever the size (unit_records_for_period)."""
    records, total = unit_records_for_period(period)
    states = [d.state for d in total.duties]
    return PeriodGaps(
        units=[r for r in records if r.missing],
        unit_total=len(records),
        duty_total=len(states),
        missing=states.count("missing"),
        drafts=states.count(ReportState.DRAFT),
        returned=states.count(ReportState.RETURNED),
        waiting=states.count(ReportState.SUBMITTED) + states.count(ReportState.APPROVED),
    )


# ---------------------------------------------------------------------------------------------
# Indicators: actual values from the verified entries of the achievement ledger
# ---------------------------------------------------------------------------------------------
