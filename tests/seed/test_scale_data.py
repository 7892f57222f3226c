"""generate_scale_data: a small scale set on the test PostgreSQL (COPY runs inside the test's
transaction). Timing is measured by `make bench-scale`, never asserted here."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Max, Min, Q

from tasks.models import (
    AchievementEntry,
    Assignment,
    AssignmentRole,
    Indicator,
    Milestone,
    MilestoneState,
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
from units.models import Unit, UnitKind

SMALL = {
    "tasks": 30,
    "units": 12,
    "assignments": 120,
    "periods": 4,
    "ledger": 200,
    "milestones_per_assignment": 4,
}


def generate(**options: object) -> str:
    out = io.StringIO()
    call_command("generate_scale_data", stdout=out, **{**SMALL, **options})
    connection.check_constraints()  # the deferred foreign keys, checked now, not at commit
    return out.getvalue()


def snapshot(plan_code: str = "scale") -> dict[str, int]:
    return {
        "plans": Plan.objects.filter(code=plan_code).count(),
        "tasks": Task.objects.filter(plan__code=plan_code).count(),
        "assignments": Assignment.objects.filter(task__plan__code=plan_code).count(),
        "reports": ProgressReport.objects.filter(period__plan__code=plan_code).count(),
        "milestones": Milestone.objects.filter(assignment__task__plan__code=plan_code).count(),
        "ledger": AchievementEntry.objects.filter(plan__code=plan_code).count(),
        "units": Unit.objects.count(),
    }


def duties_of(plan: Plan) -> set[tuple[int, int]]:
    """(assignment, reporting unit): a group's assignment is a duty of each of its members."""
    duties = set()
    for a in Assignment.objects.filter(task__plan=plan).select_related("unit"):
        if a.unit.kind == UnitKind.GROUP:
            duties |= {(a.pk, m) for m in a.unit.members.values_list("pk", flat=True)}
        else:
            duties.add((a.pk, a.unit_id))
    return duties


@pytest.fixture
def scale(db: None) -> tuple[Plan, str]:
    output = generate()
    return Plan.objects.get(code="scale"), output


def test_counts(scale: tuple[Plan, str]) -> None:
    plan, output = scale
    assert not plan.is_current  # the seed plan stays the current one
    assert Task.objects.filter(plan=plan).count() == 30
    assert Assignment.objects.filter(task__plan=plan).count() == 120
    names = set(Unit.objects.filter(name__startswith="规模测试单位").values_list("name", flat=True))
    assert {f"规模测试单位{n:03d}" for n in range(1, 13)} <= names
    group = Unit.objects.get(name="规模测试单位集合1")
    assert group.kind == UnitKind.GROUP and group.members.count() >= 6
    kinds = set(
        Unit.objects.filter(name__startswith="规模测试单位0").values_list("kind", flat=True)
    )
    assert len(kinds) >= 4 and UnitKind.GROUP not in kinds
    periods = list(ReportingPeriod.objects.filter(plan=plan).order_by("start_date"))
    assert [p.code for p in periods] == ["2014Q1", "2014Q2", "2014Q3", "2014Q4"]
    assert [p.state for p in periods] == [PeriodState.CLOSED] * 3 + [PeriodState.OPEN]
    duties = duties_of(plan)
    assert len(duties) > 120  # at least one assignment to a group, reported on by each member
    for period in periods[:3]:
        reported = set(
            ProgressReport.objects.filter(period=period).values_list("assignment_id", "unit_id")
        )
        assert reported == duties  # every duty, every closed period
    open_reports = set(
        ProgressReport.objects.filter(period=periods[-1]).values_list("assignment_id", "unit_id")
    )
    assert open_reports < duties  # some duties not reported yet in the open period
    assert Milestone.objects.filter(assignment__task__plan=plan).count() == 120 * 4
    assert AchievementEntry.objects.filter(plan=plan).count() == 200
    assert Indicator.objects.filter(plan=plan).exclude(ledger_kind="").count() == 8
    # History only for the open period, and the output says so.
    assert not ReportVersion.objects.filter(report__period__in=periods[:3]).exists()
    assert ReportVersion.objects.filter(report__period=periods[-1]).count() == len(open_reports)
    assert ReportTransition.objects.filter(report__period=periods[-1]).exists()
    assert "只为填报中的一期生成" in output
    assert f"进展报告 {3 * len(duties) + len(open_reports)} 份" in output


def test_plausible(scale: tuple[Plan, str]) -> None:
    plan, _ = scale
    for task in Task.objects.filter(plan=plan).prefetch_related("assignments__unit"):
        assignments = sorted(task.assignments.all(), key=lambda a: a.order)
        assert [a.order for a in assignments] == list(range(1, len(assignments) + 1))
        assert [a.role for a in assignments] == [AssignmentRole.LEAD] + [AssignmentRole.CO] * (
            len(assignments) - 1
        )
        assert assignments[0].unit.kind != UnitKind.GROUP
        assert len({a.unit_id for a in assignments}) == len(assignments)
    reports = ProgressReport.objects.filter(period__plan=plan)
    assert (
        not reports.values("period", "assignment", "unit").annotate(n=Count("id")).filter(n__gt=1)
    )
    span = reports.aggregate(lo=Min("percent"), hi=Max("percent"))
    assert 0 <= span["lo"] < span["hi"] <= 100
    assert not reports.exclude(state__in=ReportState.values).exists()
    assert not reports.exclude(status__in=[*ProgressStatus.values, ""]).exists()
    assert set(reports.values_list("unit_id", flat=True)) <= {u for _, u in duties_of(plan)}
    # The workflow's traces agree with the states.
    assert not reports.filter(state=ReportState.DRAFT, submitted_at__isnull=False).exists()
    assert not reports.exclude(state=ReportState.DRAFT).filter(submitted_at__isnull=True).exists()
    accepted = reports.filter(state=ReportState.ACCEPTED)
    assert not accepted.filter(Q(accepted_at__isnull=True) | Q(accepted_at__lt=F("submitted_at")))
    assert not reports.exclude(state=ReportState.ACCEPTED).filter(accepted_at__isnull=False)
    # Mostly accepted, with some of everything else; mostly on track, some at risk and delayed.
    total = reports.count()
    states = dict(reports.values_list("state").annotate(n=Count("id")))
    assert states[ReportState.ACCEPTED] > total * 0.6
    statuses = dict(reports.values_list("status").annotate(n=Count("id")))
    assert statuses[ProgressStatus.ON_TRACK] > total / 2
    assert 0 < statuses[ProgressStatus.AT_RISK] < total / 4
    assert 0 < statuses[ProgressStatus.DELAYED] < total / 6
    # Milestones: owed by the assignment's unit (or a member of its group); done ones say when.
    milestones = Milestone.objects.filter(assignment__task__plan=plan).select_related(
        "assignment__unit"
    )
    for m in milestones:
        unit = m.assignment.unit
        assert m.unit_id == unit.pk or unit.members.filter(pk=m.unit_id).exists()
        assert (m.state == MilestoneState.PENDING) == (m.done_at is None)
    # Ledger: an identifier counts once (the database constraint held through COPY).
    counted = AchievementEntry.objects.filter(plan=plan).exclude(identifier="")
    counted = counted.exclude(state="rejected")
    assert counted.count() == counted.values("kind", "identifier").distinct().count()


def test_refuses_existing_plan_and_changes_nothing(scale: tuple[Plan, str]) -> None:
    before = snapshot()
    with pytest.raises(CommandError) as error:
        generate(tasks=10, assignments=40)
    assert "已存在代码为“scale”的实施方案" in str(error.value)
    assert "--replace" in str(error.value)
    assert snapshot() == before


def test_replace(scale: tuple[Plan, str]) -> None:
    plan, _ = scale
    seed_plan_tasks = Task.objects.exclude(plan=plan).count()
    output = generate(tasks=20, assignments=60, periods=3, ledger=50, seed=7, replace=True)
    assert "删除原有方案“scale”的数据" in output
    after = snapshot()
    assert after["plans"] == 1 and after["tasks"] == 20 and after["assignments"] == 60
    assert after["milestones"] == 60 * 4 and after["ledger"] == 50
    assert not Plan.objects.filter(pk=plan.pk).exists()
    new = Plan.objects.get(code="scale")
    assert ReportingPeriod.objects.filter(plan=new).count() == 3
    assert after["reports"] == ProgressReport.objects.filter(period__plan=new).count()
    # Nothing of the old plan is left behind, and the seed plan is untouched.
    assert not ProgressReport.objects.filter(period__plan_id=plan.pk).exists()
    assert not Milestone.objects.filter(assignment__task__plan_id=plan.pk).exists()
    assert Task.objects.exclude(plan=new).count() == seed_plan_tasks


def test_same_seed_same_data(db: None) -> None:
    generate(plan_code="scale-a")
    generate(plan_code="scale-b")

    def fingerprint(code: str) -> list[tuple]:
        return list(
            ProgressReport.objects.filter(period__plan__code=code)
            .order_by("period__start_date", "assignment__task__seq", "assignment__order", "unit")
            .values_list("period__code", "unit__name", "state", "status", "percent", "version")
        )

    assert fingerprint("scale-a") == fingerprint("scale-b")


def test_current_flag(db: None) -> None:
    generate(current=True)
    assert list(Plan.objects.filter(is_current=True).values_list("code", flat=True)) == ["scale"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"tasks": 30, "assignments": 20}, "责任分工数（20）不能少于任务数（30）"),
        ({"units": 2, "assignments": 120}, "同一单位在一项任务中只能出现一次"),
        ({"periods": 0}, "周期数必须至少为 1"),
    ],
)
def test_invalid_options(db: None, options: dict, message: str) -> None:
    before = snapshot()
    with pytest.raises(CommandError, match=message):
        generate(**options)
    assert snapshot() == before
