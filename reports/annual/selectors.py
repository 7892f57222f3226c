"""Reads of one plan year for the annual export. Every function reads in a fixed number of
queries whatever the size of the plan, and the large ones stream (``iterator``)."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate

from demos.models import DemoProject
from hefei_ai_zone import clock
from hefei_ai_zone.errors import ApplicationError
from tasks import lights
from tasks.ledger.selectors import IndicatorProgress, indicator_progress
from tasks.models import (
    SUBMITTED_STATES,
    Assignment,
    AssignmentRole,
    IndicatorTarget,
    Plan,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    SupervisionOrder,
    Task,
    Urge,
)
from tasks.plan.selectors import plan_current
from units.models import Unit, UnitKind

QUARTERS = (1, 2, 3, 4)
QUARTER_LABELS = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
LIGHT_TEXT = {"red": "红", "yellow": "黄", "green": "绿", "grey": "灰"}
STATUS_LABELS = dict(ProgressStatus.choices)


@dataclass(frozen=True)
class AnnualYear:
    """A year of the current plan and its quarterly periods (a quarter not yet created: None)."""

    plan: Plan
    year: int
    quarters: dict[int, ReportingPeriod | None]

    @property
    def periods(self) -> list[ReportingPeriod]:
        return [p for p in self.quarters.values() if p is not None]

    @property
    def label(self) -> str:
        return f"{self.year}年度"


def plan_years() -> list[int]:
    """The years the annual export may be asked for: the current plan's, up to this year."""
    plan = plan_current()
    if plan is None:
        return []
    return [y for y in plan.years if y <= clock.today().year]


def parse_year(value: object) -> int:
    """A year of the current plan, from text or a number; a Chinese error otherwise."""
    text = str(value if value is not None else "").strip()
    if not text.isascii() or not text.isdigit() or len(text) != 4:
        raise ApplicationError(
            "请填写四位数字的年度，如 2021。", {"fields": {"year": ["年度格式不对。"]}}
        )
    year = int(text)
    plan = plan_current()
    if plan is None:
        raise ApplicationError("尚未导入实施方案，无法生成年度文件。")
    if year not in plan.years:
        raise ApplicationError(
            f"{year}年不在当前实施方案（{plan.start_year}—{plan.end_year}年）的年度内。",
            {"fields": {"year": [f"请选择 {plan.start_year}—{plan.end_year} 年中的一年。"]}},
        )
    if year > clock.today().year:
        raise ApplicationError(
            f"{year}年尚未开始，不能生成年度文件。",
            {"fields": {"year": ["不能选择将来的年度。"]}},
        )
    return year


def annual_year(year: int, plan: Plan | None = None) -> AnnualYear:
    """The year of the plan (the current one unless given) with its quarters (two queries)."""
    plan = plan or plan_current()
    if plan is None or year not in plan.years:
        raise ApplicationError(f"{year}年不在当前实施方案的年度内。")
    found = {
        p.quarter: p
        for p in ReportingPeriod.objects.filter(plan=plan, year=year, quarter__isnull=False)
    }
    return AnnualYear(plan, year, {q: found.get(q) for q in QUARTERS})


# --- the quarter columns: lights, and the lead's counted report -----------------------------


@dataclass(frozen=True)
class QuarterCell:
    light: str = "grey"  # tasks.lights: red / yellow / green / grey
    status: str = ""  # the lead's counted status, e.g. 按计划推进（60%）
    text: str = ""  # the lead's counted 进展情况
    problems: str = ""  # the lead's counted 存在问题

    @property
    def light_text(self) -> str:
        return LIGHT_TEXT[self.light]


@dataclass
class QuarterFacts:
    """Per period: each assignment's light (absent: grey) and the lead units' counted reports."""

    lights: dict[int, dict[int, str]] = field(default_factory=dict)  # period → assignment → light
    # (period, assignment) → [(unit, status, percent, narrative, problems)] of counted reports
    reports: dict[tuple[int, int], list[tuple[str, str, int, str, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def cell(
        self, period: ReportingPeriod | None, assignments: "list[Holder] | list[Assignment]"
    ) -> QuarterCell:
        if period is None or not assignments:
            return QuarterCell()
        per = self.lights.get(period.pk, {})
        light = lights.worst([per.get(a.pk, "grey") for a in assignments])
        lead = next((a for a in assignments if a.role == AssignmentRole.LEAD), assignments[0])
        counted = self.reports.get((period.pk, lead.pk), [])
        if not counted:
            return QuarterCell(light)
        if len(counted) == 1:  # the lead unit's own report
            _unit, status, percent, narrative, problems = counted[0]
            return QuarterCell(light, status_text(status, percent), narrative, problems)
        # a group leads: each member's counted report, named
        return QuarterCell(
            light,
            "；".join(f"{u}：{status_text(s, p)}" for u, s, p, _n, _q in counted),
            "\n".join(f"{u}：{n}" for u, _s, _p, n, _q in counted if n),
            "\n".join(f"{u}：{q}" for u, _s, _p, _n, q in counted if q),
        )


def status_text(status: str, percent: int) -> str:
    label = STATUS_LABELS.get(status, "")
    return f"{label}（{percent}%）" if label else ""


def quarter_facts(year: AnnualYear) -> QuarterFacts:
    """Lights of every assignment of the plan's tasks and demo projects (tasks.lights, two
    queries a period) and the counted reports on lead assignments (one query for the year,
    streamed): drafts and returned reports never appear."""
    facts = QuarterFacts()
    of_plan = Q(task__plan=year.plan) | Q(demo__plan=year.plan)
    assignment_ids = Assignment.objects.filter(of_plan).values("pk")
    for period in year.periods:
        found = lights.assignment_lights(period, assignment_ids)
        facts.lights[period.pk] = {aid: fact.light for aid, fact in found.items()}
    if not year.periods:
        return facts
    lead = Q(assignment__task__plan=year.plan) | Q(assignment__demo__plan=year.plan)
    rows = (
        ProgressReport.objects.filter(
            lead, period__in=year.periods, assignment__role=AssignmentRole.LEAD
        )
        .filter(lights.counted_report_q())
        .order_by("period_id", "assignment_id", "unit__sort_order", "unit_id")
        .values_list(
            "period_id",
            "assignment_id",
            "unit__name",
            "status",
            "percent",
            "narrative",
            "problems",
        )
    )
    for period_id, assignment_id, unit, status, percent, text, problems in rows.iterator(
        chunk_size=5000
    ):
        facts.reports[(period_id, assignment_id)].append((unit, status, percent, text, problems))
    return facts


# --- 主要任务分工 (Annex 1) and 示范工程 (Annex 2) ----------------------------------------------


@dataclass(frozen=True)
class Holder:
    """One of a row's responsible units: its assignment, role and name."""

    pk: int
    role: str
    name: str


@dataclass(frozen=True)
class TaskRow:
    seq: int
    code: str
    content: str
    note: str
    section: str  # as the Annex's first column writes it
    section_title: str
    assignments: list[Holder]

    @property
    def units(self) -> str:
        """责任单位 as the plan writes them: the lead first, separated by 、."""
        return "、".join(a.name for a in self.assignments)


def task_rows(plan: Plan) -> list[TaskRow]:
    """The Annex 1 rows in its order, with their units (two queries, plain rows: no model
    instances for the 25,000 assignments of a large plan). The Annex's first column: （一）强化
    前沿基础理论研究; the first section of a later part carries the part (四、保障措施（一）加强
    组织领导), as the Annex writes it."""
    holders: dict[int, list[Holder]] = defaultdict(list)
    for task_id, pk, role, name in (
        Assignment.objects.filter(task__plan=plan)
        .order_by("task_id", "order", "pk")
        .values_list("task_id", "pk", "role", "unit__name")
        .iterator(chunk_size=5000)
    ):
        holders[task_id].append(Holder(pk, role, name))
    rows = []
    first_part = None
    seen_parts: set[str] = set()
    labels: dict[int, str] = {}
    for pk, seq, code, content, note, section_id, part, number, title in (
        Task.objects.filter(plan=plan)
        .order_by("seq")
        .values_list(
            "pk",
            "seq",
            "code",
            "content",
            "note",
            "section_id",
            "section__part",
            "section__number",
            "section__title",
        )
        .iterator(chunk_size=5000)
    ):
        first_part = first_part if first_part is not None else part
        if section_id not in labels:
            later_part = part != first_part and part not in seen_parts
            labels[section_id] = f"{part if later_part else ''}{number}{title}"
            seen_parts.add(part)
        rows.append(
            TaskRow(seq, code, content, note, labels[section_id], title, holders.get(pk, []))
        )
    return rows


@dataclass(frozen=True)
class DemoRow:
    demo: DemoProject
    assignments: list[Assignment]

    @property
    def units(self) -> str:
        return "、".join(a.unit.name for a in self.assignments)

    @property
    def hosts(self) -> str:
        return "、".join(self.demo.hosts)

    @property
    def years(self) -> str:
        return f"{self.demo.start_year}-{self.demo.end_year}年"


def demo_rows(plan: Plan) -> list[DemoRow]:
    """The Annex 2 rows in its order (two queries)."""
    demos = (
        DemoProject.objects.filter(plan=plan)
        .prefetch_related(
            Prefetch(
                "assignments", queryset=Assignment.objects.select_related("unit").order_by("order")
            )
        )
        .order_by("seq")
    )
    return [DemoRow(d, list(d.assignments.all())) for d in demos]


# --- 目标指标 ----------------------------------------------------------------------------------


def indicators(year: AnnualYear) -> list[IndicatorProgress]:
    """Each indicator's targets and actuals per year of the plan (tasks.ledger, three queries)."""
    return indicator_progress(year.plan)


def target_text(target: IndicatorTarget | None) -> str:
    """A year's target as the plan states it: 2, 50-60, 累计100; — when there is none."""
    if target is None:
        return "—"
    value = (
        f"{target.min_value}-{target.max_value}"
        if target.max_value is not None and target.max_value != target.min_value
        else f"{target.min_value}"
    )
    return f"累计{value}" if target.cumulative else value


# --- 报送情况: units × periods --------------------------------------------------------------


@dataclass
class UnitYearRecord:
    """A unit's reporting in the year's quarters: duties, on time, late, missing per quarter."""

    unit_id: int
    name: str
    duties: int
    quarters: dict[int, tuple[int, int, int]] = field(
        default_factory=dict
    )  # q → on time, late, missing

    def totals(self) -> tuple[int, int, int]:
        on_time = sum(v[0] for v in self.quarters.values())
        late = sum(v[1] for v in self.quarters.values())
        missing = sum(v[2] for v in self.quarters.values())
        return on_time, late, missing


def reporting_record(year: AnnualYear) -> list[UnitYearRecord]:
    """Every unit with duties in the plan × the year's quarters: submitted by the due date
    (按时), after it (逾期, the Asia/Shanghai day of submission), not submitted (未报). A group's
    assignment is a duty of each member, as in tasks.reporting. Three queries: the duties per
    unit (direct and through groups), the submitted reports per unit and period."""
    plan = year.plan
    of_plan = Q(task__plan=plan) | Q(demo__plan=plan)
    direct = dict(
        Assignment.objects.filter(of_plan & ~Q(unit__kind=UnitKind.GROUP))
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
        .order_by()
    )
    through: dict[int, int] = {
        member: n
        for member, n in Assignment.objects.filter(of_plan, unit__kind=UnitKind.GROUP)
        .values("unit__members__id")
        .annotate(n=Count("id"))
        .values_list("unit__members__id", "n")
        .order_by()
        if member is not None  # a group without members
    }
    duties = {u: direct.get(u, 0) + through.get(u, 0) for u in direct.keys() | through.keys()}
    units = {
        u.pk: u for u in Unit.objects.filter(pk__in=list(duties)).only("id", "name", "sort_order")
    }
    counts: dict[tuple[int, int], tuple[int, int]] = {}
    if year.periods:
        submitted = Q(state__in=SUBMITTED_STATES)
        rows = (
            ProgressReport.objects.filter(submitted, period__in=year.periods)
            .annotate(day=TruncDate("submitted_at"))
            .values("unit_id", "period_id")
            .annotate(
                done=Count("id"),
                late=Count("id", filter=Q(day__gt=F("period__due_date"))),
            )
            .values_list("unit_id", "period_id", "done", "late")
            .order_by()
        )
        counts = {(u, p): (done, late) for u, p, done, late in rows}
    records = []
    for uid in sorted(duties, key=lambda uid: (units[uid].sort_order, uid)):
        n = duties[uid]
        record = UnitYearRecord(uid, units[uid].name, n)
        for quarter, period in year.quarters.items():
            if period is None:
                continue
            done, late = counts.get((uid, period.pk), (0, 0))
            record.quarters[quarter] = (done - late, late, max(n - done, 0))
        records.append(record)
    return records


# --- 催办督办 -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupervisionRow:
    kind: str  # 催办 / 督办单
    day: date
    unit: str
    subject: str  # the period and its duties, or the task
    content: str
    number: str  # 文号 (督办单)
    state: str
    due: date | None
    answered: date | None
    closed: date | None


def _local(moment: datetime | None) -> date | None:
    return clock.local_date(moment) if moment else None


def urges_of_year(year: AnnualYear) -> QuerySet[Urge]:
    """The 催办 sent in the year (their day in Asia/Shanghai, as supervision_counts counts)."""
    return (
        Urge.objects.filter(period__plan=year.plan, sent_at__date__year=year.year)
        .select_related("unit", "period")
        .annotate(duties=Count("assignments"))
        .order_by("sent_at", "pk")
    )


def orders_of_year(year: AnnualYear) -> QuerySet[SupervisionOrder]:
    """The 督办单 of the year (by their number's year), in number order."""
    return (
        SupervisionOrder.objects.filter(year=year.year, task__plan=year.plan)
        .select_related("unit", "task")
        .order_by("seq")
    )


def supervision_rows(year: AnnualYear) -> Iterator[SupervisionRow]:
    """Every 催办 then every 督办单 of the year (two queries, streamed)."""
    for urge in urges_of_year(year).iterator(chunk_size=2000):
        sent = clock.local_date(urge.sent_at)
        yield SupervisionRow(
            "催办",
            sent,
            urge.unit.name,
            f"{urge.period.label}（未报送 {urge.duties} 项）",  # type: ignore[attr-defined]
            urge.message,
            "",
            "已催办",
            urge.period.due_date,
            None,
            None,
        )
    for order in orders_of_year(year).iterator(chunk_size=2000):
        yield SupervisionRow(
            "督办单",
            clock.local_date(order.issued_at),
            order.unit.name,
            f"{order.task.code} {order.task.content[:40]}",
            order.facts,
            order.number,
            order.get_state_display(),
            order.due_date,
            _local(order.answered_at),
            _local(order.closed_at),
        )
