"""Synthetic data at scale (规模测试数据), for measuring the dashboards and lists on PostgreSQL.

``scale_data_generate`` builds a separate plan (code ``scale`` by default, never the seed plan)
with its own sections, items, tasks and indicators; units named 规模测试单位001… (with kinds)
and a few groups (规模测试单位集合1…) with members; assignments (about five per task, the first
the lead; a few co-assignments to groups, which every member reports on); consecutive quarterly
periods from 2014Q1 (all closed but the last, which is open); one progress report per reporting
duty (assignment × reporting unit) per period, with a plausible mix of states and statuses;
milestones (about two per assignment per year) and achievement-ledger entries.

The big tables (reports, milestones, ledger entries) are written with PostgreSQL ``COPY`` from
an in-memory CSV buffer; the small ones with ``bulk_create``. Constraints and indexes are kept.
Review history is only generated for the open period (one version per report, its transitions),
not for the closed ones. Everything is drawn from one ``random.Random(seed)``: the same options
give the same data. A plan that already has the code is refused unless ``replace`` is given,
which deletes that plan's data first. ``VACUUM (ANALYZE)`` runs at the end (only ``ANALYZE``
when called inside a transaction, as in the tests).
"""

import csv
import io
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, models, transaction

from hefei_ai_zone.errors import ApplicationError
from tasks.models import (
    AchievementDomain,
    AchievementEntry,
    AchievementKind,
    Assignment,
    AssignmentRole,
    EntryState,
    Indicator,
    IndicatorTarget,
    Item,
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
    Section,
    Task,
)
from tasks.reporting.services import quarter_dates
from units.models import Unit, UnitKind

UNIT_PREFIX = "规模测试单位"
GROUP_PREFIX = "规模测试单位集合"
TZ = ZoneInfo(settings.TIME_ZONE)
ORG_KINDS = [
    UnitKind.MUNICIPAL,
    UnitKind.MUNICIPAL,
    UnitKind.MUNICIPAL,
    UnitKind.DISTRICT,
    UnitKind.DEVZONE,
    UnitKind.AREA,
    UnitKind.COMPANY,
    UnitKind.COMPANY,
    UnitKind.PARTY,
    UnitKind.ORGANISATION,
]
SECTION_TITLES = [
    "强化前沿基础理论研究",
    "突破关键共性技术",
    "建设创新平台",
    "培育高端人才队伍",
    "壮大智能产业",
    "推进智能化应用示范",
    "建设智能化基础设施",
    "营造创新生态",
    "深化开放合作",
    "强化组织保障",
]
ITEM_TOPICS = [
    "智能语音",
    "计算机视觉",
    "类脑智能",
    "智能芯片",
    "智能制造",
    "智慧医疗",
    "智慧教育",
    "智能网联汽车",
    "智慧城市",
    "公共安全",
    "智慧农业",
    "量子计算",
]
VERBS = ["建设", "推进", "培育", "实施", "完善", "打造", "支持", "组织", "引进", "开展"]
OBJECTS = [
    "公共技术服务平台",
    "重点实验室",
    "应用示范场景",
    "骨干企业",
    "开源开放平台",
    "产业创新中心",
    "数据资源共享体系",
    "标准体系",
    "人才培养基地",
    "产业园区",
]
OPENINGS = [
    "本季度按计划推进相关工作",
    "召开专题推进会，细化任务分工",
    "完成阶段性建设内容",
    "会同配合单位开展调研",
    "组织专家论证实施方案",
    "推进重点项目建设",
]
PROGRESS = [
    "已完成年度目标的主要节点",
    "项目进入实施阶段",
    "相关平台已上线试运行",
    "签约落地项目若干个",
    "形成阶段性成果",
    "完成招标采购工作",
]
PROBLEMS_RISK = [
    "资金拨付进度偏慢，可能影响年度目标。",
    "配合单位材料报送不及时。",
    "用地和审批手续尚未全部办结。",
]
PROBLEMS_DELAYED = [
    "项目主体变更，实施进度明显滞后。",
    "关键设备采购受阻，工期推迟。",
]
NEXT_STEPS = ["加快推进项目建设。", "加强跨部门协调。", "做好年度总结和考核准备。"]
KIND_CODES = {
    AchievementKind.MAJOR: "MA",
    AchievementKind.PATENT: "ZL",
    AchievementKind.STANDARD: "BZ",
    AchievementKind.SCENARIO: "CJ",
    AchievementKind.ENTERPRISE: "QY",
    AchievementKind.PARK: "YQ",
    AchievementKind.PLATFORM: "PT",
    AchievementKind.EVENT: "HY",
}
# Ledger entries per kind: patents dominate, as in reality.
KIND_WEIGHTS = [2, 60, 10, 12, 4, 2, 6, 4]


@dataclass(frozen=True)
class ScaleOptions:
    tasks: int = 2000
    units: int = 300
    assignments: int = 10000
    periods: int = 40
    milestones_per_assignment: int = 20
    ledger: int = 100000
    seed: int = 2026
    plan_code: str = "scale"
    start_year: int = 2014
    replace: bool = False
    current: bool = False


@dataclass
class ScaleResult:
    plan: Plan
    counts: Counter = field(default_factory=Counter)
    states: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    late: int = 0
    missing: int = 0
    steps: list[tuple[str, float]] = field(default_factory=list)
    replaced: bool = False


def _check(options: ScaleOptions) -> None:
    errors = []
    for name, label in [("tasks", "任务数"), ("units", "单位数"), ("periods", "周期数")]:
        if getattr(options, name) < 1:
            errors.append(f"{label}必须至少为 1。")
    for name, label in [("milestones_per_assignment", "每项分工节点数"), ("ledger", "台账条目数")]:
        if getattr(options, name) < 0:
            errors.append(f"{label}不能为负数。")
    if options.assignments < options.tasks:
        errors.append(f"责任分工数（{options.assignments}）不能少于任务数（{options.tasks}）。")
    if options.tasks >= 1 and options.assignments > options.tasks * options.units:
        errors.append(
            f"责任分工数（{options.assignments}）超过任务数 × 单位数"
            f"（{options.tasks * options.units}）：同一单位在一项任务中只能出现一次。"
        )
    if not 2000 <= options.start_year <= 2100:
        errors.append("起始年份必须在 2000 到 2100 之间。")
    if errors:
        raise ApplicationError("".join(errors))


# ---------------------------------------------------------------------------------------------
# COPY helpers
# ---------------------------------------------------------------------------------------------

NULL = r"\N"


def _columns(model: type[models.Model], names: Sequence[str]) -> list[str]:
    # Concrete fields only (a relation object has no column; neither has a ManyToManyField).
    return [model._meta.get_field(name).column for name in names]  # type: ignore[union-attr,misc]


def _copy(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY rows (None for NULL) into the model's table, 50,000 rows per round trip."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _columns(model, names))
    sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')"
    total = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg2's own cursor, for copy_expert

        def flush(buffer: io.StringIO) -> None:
            buffer.seek(0)
            raw.copy_expert(sql, buffer)

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        pending = 0
        for row in rows:
            writer.writerow([NULL if value is None else value for value in row])
            pending += 1
            if pending == 50000:
                flush(buffer)
                total += pending
                buffer = io.StringIO()
                writer = csv.writer(buffer, lineterminator="\n")
                pending = 0
        if pending:
            flush(buffer)
            total += pending
    return total


def _ts(day: date, minutes: int) -> str:
    """A local timestamp ``minutes`` after midnight of ``day``, as PostgreSQL reads it."""
    return f"{day.isoformat()} {minutes // 60:02d}:{minutes % 60:02d}:00+08"


# ---------------------------------------------------------------------------------------------
# Deleting a plan's data (--replace)
# ---------------------------------------------------------------------------------------------


def plan_data_delete(plan: Plan) -> None:
    """Delete a plan and everything under it; the big tables with plain SQL first.

    (The SQL here and below is built from the models' quoted table names only; values are
    always parameters, hence the S608 exemptions.)"""
    q = connection.ops.quote_name
    report = q(ProgressReport._meta.db_table)
    period = q(ReportingPeriod._meta.db_table)
    assignment = q(Assignment._meta.db_table)
    task = q(Task._meta.db_table)
    reports_of_plan = (
        f"SELECT r.id FROM {report} r JOIN {period} p ON p.id = r.period_id WHERE p.plan_id = %s"  # noqa: S608
    )
    with connection.cursor() as cursor:
        for model in (ReportTransition, ReportVersion):
            cursor.execute(
                f"DELETE FROM {q(model._meta.db_table)} WHERE report_id IN ({reports_of_plan})",  # noqa: S608
                [plan.pk],
            )
        cursor.execute(
            f"DELETE FROM {report} WHERE period_id IN (SELECT id FROM {period} WHERE plan_id = %s)",  # noqa: S608
            [plan.pk],
        )
        cursor.execute(
            f"DELETE FROM {q(Milestone._meta.db_table)} WHERE assignment_id IN "  # noqa: S608
            f"(SELECT a.id FROM {assignment} a JOIN {task} t ON t.id = a.task_id "
            "WHERE t.plan_id = %s)",
            [plan.pk],
        )
        cursor.execute(
            f"DELETE FROM {q(AchievementEntry._meta.db_table)} WHERE plan_id = %s",  # noqa: S608
            [plan.pk],
        )
    # The rest (assignments, tasks, periods, ... and whatever else points at them) through the
    # ORM, so that every relation is honoured.
    # Tasks first: they protect their sections and items.
    Task.objects.filter(plan=plan).delete()
    Plan.objects.filter(pk=plan.pk).delete()


# ---------------------------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------------------------


def scale_data_generate(
    options: ScaleOptions, progress: Callable[[str], None] | None = None
) -> ScaleResult:
    """Generate the scale data set in one transaction; see the module docstring."""
    if connection.vendor != "postgresql":
        raise ApplicationError(
            "生成规模数据需要 PostgreSQL（COPY）：当前数据库是 "
            f"{connection.display_name}，未作任何改动。请把 DATABASE_URL 设为 PostgreSQL 数据库"
            "后再运行，或用 make bench-scale（自动启动一个临时的 PostgreSQL）。"
        )
    _check(options)
    say = progress or (lambda message: None)
    existing = Plan.objects.filter(code=options.plan_code).first()
    if existing is not None and not options.replace:
        raise ApplicationError(
            f"已存在代码为“{options.plan_code}”的实施方案（{existing}），未作任何改动。"
            "如需重新生成，请加 --replace（先删除该方案的全部数据）。"
        )
    rng = random.Random(options.seed)  # noqa: S311
    with transaction.atomic():
        result = ScaleResult(plan=existing or Plan(code=options.plan_code))

        def step(name: str, started: float) -> None:
            elapsed = time.perf_counter() - started
            result.steps.append((name, elapsed))
            say(f"  {name}：{elapsed:.1f} 秒")

        if existing is not None:
            started = time.perf_counter()
            plan_data_delete(existing)
            result.replaced = True
            step(f"删除原有方案“{options.plan_code}”的数据", started)

        started = time.perf_counter()
        periods_spec = _period_spec(options)
        plan = _plan(options, periods_spec)
        result.plan = plan
        tasks = _tasks(plan, options, rng)
        result.counts["tasks"] = len(tasks)
        step(f"方案、板块、条目、任务 {len(tasks)} 项", started)

        started = time.perf_counter()
        orgs, groups = _units(options, rng)
        result.counts["units"] = len(orgs)
        result.counts["groups"] = len(groups)
        step(f"单位 {len(orgs)} 个、单位集合 {len(groups)} 个", started)

        started = time.perf_counter()
        assignments = _assignments(tasks, orgs, groups, options, rng)
        result.counts["assignments"] = len(assignments)
        step(f"责任分工 {len(assignments)} 条", started)

        started = time.perf_counter()
        periods = _periods(plan, periods_spec)
        result.counts["periods"] = len(periods)
        step(f"报送周期 {periods[0].code}–{periods[-1].code} 共 {len(periods)} 个", started)

        started = time.perf_counter()
        members = {g.pk: [u.pk for u in g.members.order_by("pk")] for g in groups}
        duties = [
            (a.pk, unit_id, a.role)
            for a in assignments
            for unit_id in members.get(a.unit_id, [a.unit_id])
        ]
        result.counts["duties"] = len(duties)
        result.counts["reports"] = _copy(
            ProgressReport,
            REPORT_FIELDS,
            _report_rows(duties, periods, rng, result),
        )
        step(f"进展报告 {result.counts['reports']} 份（COPY）", started)

        started = time.perf_counter()
        _open_period_history(periods[-1], result)
        step(
            f"本期（{periods[-1].code}）流程记录 {result.counts['transitions']} 条、"
            f"报告版本 {result.counts['versions']} 个",
            started,
        )

        started = time.perf_counter()
        result.counts["milestones"] = _copy(
            Milestone,
            MILESTONE_FIELDS,
            _milestone_rows(assignments, members, periods, options, rng),
        )
        step(f"年度节点 {result.counts['milestones']} 个（COPY）", started)

        started = time.perf_counter()
        result.counts["indicators"] = _indicators(plan, rng)
        result.counts["ledger"] = _copy(
            AchievementEntry,
            LEDGER_FIELDS,
            _ledger_rows(plan, orgs, tasks, periods, options.ledger, rng),
        )
        step(
            f"目标指标 {result.counts['indicators']} 个、台账条目 {result.counts['ledger']} 条",
            started,
        )

        commit_started = time.perf_counter()
    step("提交（外键检查）", commit_started)
    # Statistics for the planner; outside a transaction also VACUUM, which sets the visibility
    # map (index-only scans) and clears the dead rows a --replace leaves, as autovacuum would.
    started = time.perf_counter()
    vacuum = not connection.in_atomic_block
    with connection.cursor() as cursor:
        for model in ANALYZED:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"VACUUM (ANALYZE) {table}" if vacuum else f"ANALYZE {table}")
    step("VACUUM ANALYZE" if vacuum else "ANALYZE", started)
    return result


ANALYZED = (
    Unit,
    Section,
    Item,
    Task,
    Assignment,
    ReportingPeriod,
    ProgressReport,
    ReportTransition,
    ReportVersion,
    Milestone,
    Indicator,
    IndicatorTarget,
    AchievementEntry,
)


def _period_spec(options: ScaleOptions) -> list[tuple[int, int]]:
    return [(options.start_year + k // 4, k % 4 + 1) for k in range(options.periods)]


def _plan(options: ScaleOptions, spec: list[tuple[int, int]]) -> Plan:
    if options.current:
        Plan.objects.update(is_current=False)
    return Plan.objects.create(
        code=options.plan_code,
        name=f"规模测试方案（{options.plan_code}，合成数据）",
        short_name="规模测试方案",
        start_year=spec[0][0],
        end_year=spec[-1][0],
        is_current=options.current,
    )


def _tasks(plan: Plan, options: ScaleOptions, rng: random.Random) -> list[Task]:
    sections = Section.objects.bulk_create(
        Section(
            plan=plan,
            code=f"{3 if i < 9 else 4}.{i + 1 if i < 9 else i - 8}",
            part="三、重点任务" if i < 9 else "四、保障措施",
            number=f"（{'一二三四五六七八九十'[i % 10]}）",
            title=title,
            seq=i + 1,
        )
        for i, title in enumerate(SECTION_TITLES)
    )
    items = Item.objects.bulk_create(
        Item(section=section, number=n + 1, title=f"人工智能+{ITEM_TOPICS[(s * 3 + n) % 12]}")
        for s, section in enumerate(sections)
        for n in range(4)
    )
    by_section: dict[int, list[Item]] = {}
    for made in items:
        by_section.setdefault(made.section_id, []).append(made)
    tasks = []
    counters: Counter = Counter()
    for seq in range(1, options.tasks + 1):
        section = sections[(seq - 1) * len(sections) // options.tasks]
        item = rng.choice(by_section[section.pk]) if rng.random() < 0.8 else None
        key = (section.pk, item.number if item else 0)
        counters[key] += 1
        code = f"{section.code}.{item.number if item else 0}-{counters[key]}"
        topic = item.title.removeprefix("人工智能+") if item else rng.choice(ITEM_TOPICS)
        content = (
            f"{rng.choice(VERBS)}{topic}{rng.choice(OBJECTS)}，"
            f"{rng.choice(VERBS)}{rng.choice(ITEM_TOPICS)}{rng.choice(OBJECTS)}"
            f"（规模测试任务 {seq}）。"
        )
        tasks.append(
            Task(
                plan=plan,
                section=section,
                item=item,
                seq=seq,
                code=code,
                content=content,
                requires_plan=rng.random() < 0.1,
            )
        )
    return Task.objects.bulk_create(tasks, batch_size=2000)


def _units(options: ScaleOptions, rng: random.Random) -> tuple[list[Unit], list[Unit]]:
    """Units 规模测试单位001… and groups 规模测试单位集合1…; existing ones are reused."""
    width = max(3, len(str(options.units)))
    wanted = {
        f"{UNIT_PREFIX}{n:0{width}d}": ORG_KINDS[n % len(ORG_KINDS)]
        for n in range(1, options.units + 1)
    }
    n_groups = max(1, min(options.units // 100, 9)) if options.units >= 4 else 0
    wanted_groups = [f"{GROUP_PREFIX}{n}" for n in range(1, n_groups + 1)]
    have = {u.name: u for u in Unit.objects.filter(name__in=[*wanted, *wanted_groups])}
    Unit.objects.bulk_create(
        [
            Unit(name=name, full_name=f"合肥市{name}", kind=kind, sort_order=10000 + i)
            for i, (name, kind) in enumerate(wanted.items())
            if name not in have
        ]
        + [
            Unit(name=name, kind=UnitKind.GROUP, sort_order=20000 + i)
            for i, name in enumerate(wanted_groups)
            if name not in have
        ],
        batch_size=1000,
    )
    by_name = {u.name: u for u in Unit.objects.filter(name__in=[*wanted, *wanted_groups])}
    orgs = [by_name[name] for name in wanted]
    groups = [by_name[name] for name in wanted_groups]
    for group in groups:
        group.members.set(rng.sample(orgs, k=min(len(orgs), rng.randint(6, 10))))
    return orgs, groups


def _assignments(
    tasks: list[Task],
    orgs: list[Unit],
    groups: list[Unit],
    options: ScaleOptions,
    rng: random.Random,
) -> list[Assignment]:
    """About assignments/tasks units per task, the first the lead; some units are far busier
    than others (weights fall with the unit's rank), as 市科技局 is in the real plan."""
    n_tasks = len(tasks)
    counts = [options.assignments // n_tasks] * n_tasks
    for i in rng.sample(range(n_tasks), options.assignments % n_tasks):
        counts[i] += 1
    # Vary the sizes (2–8 around 5) while keeping the total: move one unit between two tasks.
    for _ in range(n_tasks):
        a, b = rng.randrange(n_tasks), rng.randrange(n_tasks)
        if counts[a] > 1 and counts[b] < min(len(orgs), options.assignments // n_tasks + 3):
            counts[a] -= 1
            counts[b] += 1
    weights = [1 / (rank + 1) ** 0.7 for rank in range(len(orgs))]
    rows = []
    for i, (task, count) in enumerate(zip(tasks, counts, strict=True)):
        chosen: list[Unit] = []
        seen: set[int] = set()
        while len(chosen) < count:
            unit = rng.choices(orgs, weights)[0]
            if unit.pk not in seen:
                seen.add(unit.pk)
                chosen.append(unit)
        if groups and count >= 2 and (i == 0 or rng.random() < 0.005):
            chosen[-1] = groups[i % len(groups)]
        for order, unit in enumerate(chosen, start=1):
            rows.append(
                Assignment(
                    task=task,
                    unit=unit,
                    role=AssignmentRole.LEAD if order == 1 else AssignmentRole.CO,
                    order=order,
                )
            )
    return Assignment.objects.bulk_create(rows, batch_size=2000)


def _periods(plan: Plan, spec: list[tuple[int, int]]) -> list[ReportingPeriod]:
    rows = []
    for k, (year, quarter) in enumerate(spec):
        start, end, due = quarter_dates(year, quarter)
        last = k == len(spec) - 1
        opened = datetime.combine(end, datetime.min.time(), TZ) + timedelta(days=1, hours=9)
        rows.append(
            ReportingPeriod(
                plan=plan,
                code=f"{year}Q{quarter}",
                year=year,
                quarter=quarter,
                start_date=start,
                end_date=end,
                due_date=due,
                state=PeriodState.OPEN if last else PeriodState.CLOSED,
                opened_at=opened,
                closed_at=None if last else opened + timedelta(days=30),
            )
        )
    return ReportingPeriod.objects.bulk_create(rows)


# --- reports ---------------------------------------------------------------------------------

REPORT_FIELDS = [
    "period",
    "assignment",
    "unit",
    "state",
    "status",
    "percent",
    "narrative",
    "problems",
    "next_steps",
    "version",
    "created_by",
    "updated_by",
    "created_at",
    "updated_at",
    "submitted_at",
    "accepted_at",
]
# Closed periods: the state a report was left in (cumulative thresholds).
CLOSED_STATES = [
    (0.015, ReportState.DRAFT),
    (0.025, ReportState.RETURNED),
    (0.030, ReportState.SUBMITTED),
    (0.040, ReportState.APPROVED),
    (1.0, ReportState.ACCEPTED),
]
OPEN_STATES = [
    (0.18, ReportState.DRAFT),
    (0.36, ReportState.SUBMITTED),
    (0.52, ReportState.APPROVED),
    (0.57, ReportState.RETURNED),
    (1.0, ReportState.ACCEPTED),
]
OPEN_MISSING = 0.12  # duties without any report yet in the open period


def _pick(table: Sequence[tuple[float, str]], r: float) -> str:
    for threshold, value in table:
        if r < threshold:
            return value
    return table[-1][1]


def _report_rows(
    duties: list[tuple[int, int, str]],
    periods: list[ReportingPeriod],
    rng: random.Random,
    result: ScaleResult,
) -> Iterable[tuple]:
    """One row per duty per period (a few duties have none yet in the open period).

    Each duty's percent rises towards 100 by the last period at its own pace; spells of
    存在风险 (about 10% of reports) and 滞后 (about 5%) stall it for a quarter or three."""
    n = len(periods)
    last = n - 1
    random_ = rng.random
    randint = rng.randint
    choice = rng.choice
    for assignment_id, unit_id, role in duties:
        pace = 100 / n * rng.uniform(0.8, 1.4)
        percent = 0.0
        spell, spell_status = 0, ""
        for k, period in enumerate(periods):
            is_open = k == last
            if is_open and random_() < OPEN_MISSING:
                result.missing += 1
                continue
            if spell:
                spell -= 1
            else:
                r = random_()
                if r < 0.042:
                    spell, spell_status = randint(1, 3), ProgressStatus.AT_RISK
                elif r < 0.063:
                    spell, spell_status = randint(1, 3), ProgressStatus.DELAYED
                else:
                    spell_status = ""
            if spell_status != ProgressStatus.DELAYED:
                percent = min(
                    100.0, percent + pace * (0.3 if spell_status else rng.uniform(0.7, 1.3))
                )
            pct = int(percent)
            if spell_status and pct < 100:
                status = spell_status
            elif pct >= 100:
                status = ProgressStatus.COMPLETED
            elif pct < 3 and random_() < 0.5:
                status = ProgressStatus.NOT_STARTED
            else:
                status = ProgressStatus.ON_TRACK
            state = _pick(OPEN_STATES if is_open else CLOSED_STATES, random_())
            if state == ReportState.DRAFT and random_() < 0.4:
                status = ""
            due = period.due_date
            late = state != ReportState.DRAFT and random_() < 0.08
            submit_day = due + timedelta(days=randint(1, 20) if late else -randint(0, 12))
            submit_min = randint(8 * 60, 19 * 60)
            created = _ts(submit_day - timedelta(days=randint(0, 10)), randint(8 * 60, submit_min))
            submitted = accepted = None
            version = 1
            if state != ReportState.DRAFT:
                submitted = _ts(submit_day, submit_min)
                result.late += late
            if state == ReportState.RETURNED or random_() < 0.03:
                version = 2
            if state == ReportState.ACCEPTED:
                accepted = _ts(
                    submit_day + timedelta(days=randint(1, 10)), randint(9 * 60, 18 * 60)
                )
            updated = accepted or submitted or created
            if status in (ProgressStatus.AT_RISK, ProgressStatus.DELAYED):
                problems = choice(
                    PROBLEMS_RISK if status == ProgressStatus.AT_RISK else PROBLEMS_DELAYED
                )
            else:
                problems = "" if random_() < 0.7 else "暂无。"
            narrative = (
                f"{period.year}年第{period.quarter}季度，{choice(OPENINGS)}，"
                f"{choice(PROGRESS)}，{'牵头汇总' if role == AssignmentRole.LEAD else '配合推进'}"
                f"完成进度{pct}%。"
            )
            result.states[state] += 1
            result.statuses[status] += 1
            yield (
                period.pk,
                assignment_id,
                unit_id,
                state,
                status,
                pct,
                narrative,
                problems,
                choice(NEXT_STEPS),
                version,
                None,
                None,
                created,
                updated,
                submitted,
                accepted,
            )


def _open_period_history(period: ReportingPeriod, result: ScaleResult) -> None:
    """Versions and transitions for the open period's reports only, in SQL from the reports."""
    q = connection.ops.quote_name
    report = q(ProgressReport._meta.db_table)
    version = q(ReportVersion._meta.db_table)
    transition = q(ReportTransition._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {version} (report_id, version, status, percent, narrative, problems, "  # noqa: S608
            "next_steps, edited_by_id, created_at) "
            "SELECT id, version, status, percent, narrative, problems, next_steps, NULL, "
            f"updated_at FROM {report} WHERE period_id = %s",
            [period.pk],
        )
        result.counts["versions"] = cursor.rowcount
        steps = [
            ("submit", "draft", "submitted", "submitted_at", ["submitted", "approved", "accepted"]),
            (
                "approve",
                "submitted",
                "approved",
                "submitted_at + interval '1 day'",
                ["approved", "accepted"],
            ),
            ("accept", "approved", "accepted", "accepted_at", ["accepted"]),
            ("submit", "draft", "submitted", "submitted_at", ["returned"]),
            ("return", "submitted", "returned", "submitted_at + interval '2 days'", ["returned"]),
        ]
        result.counts["transitions"] = 0
        for action, from_state, to_state, at, states in steps:
            cursor.execute(
                f"INSERT INTO {transition} (report_id, action, from_state, to_state, actor_id, "  # noqa: S608
                f"comment, created_at) SELECT id, %s, %s, %s, NULL, %s, {at} FROM {report} "
                "WHERE period_id = %s AND state = ANY(%s)",
                [
                    action,
                    from_state,
                    to_state,
                    "请补充佐证材料。" if action == "return" else "",
                    period.pk,
                    states,
                ],
            )
            result.counts["transitions"] += cursor.rowcount


# --- milestones ------------------------------------------------------------------------------

MILESTONE_FIELDS = [
    "assignment",
    "unit",
    "year",
    "title",
    "due_date",
    "state",
    "arrangement_confirmed",
    "done_at",
    "done_note",
    "done_by",
    "file",
    "file_name",
    "file_type",
    "confirmed_at",
    "confirmed_by",
    "review_comment",
    "created_by",
    "created_at",
]


def _milestone_rows(
    assignments: list[Assignment],
    members: dict[int, list[int]],
    periods: list[ReportingPeriod],
    options: ScaleOptions,
    rng: random.Random,
) -> Iterable[tuple]:
    """``milestones_per_assignment`` milestones per assignment, spread evenly over the years.

    "Now" in the data is the open period's due date: milestones due before it are mostly
    confirmed done on time; some were done late, some await confirmation, and a few (more in the
    last two years) are still not done, which is what makes lights yellow or red."""
    per = options.milestones_per_assignment
    if not per:
        return
    first_year, last_year = periods[0].year, periods[-1].year
    years = last_year - first_year + 1
    now = periods[-1].due_date
    random_ = rng.random
    randint = rng.randint
    # Milestone i falls in year ``year`` as the ``slot``-th of ``size`` that year.
    plan_slots = []
    for i in range(per):
        year = first_year + i * years // per
        in_year = [j for j in range(per) if first_year + j * years // per == year]
        plan_slots.append((year, in_year.index(i) + 1, len(in_year)))
    for a in assignments:
        units = members.get(a.unit_id) or [a.unit_id]
        for i, (year, slot, size) in enumerate(plan_slots):
            due = date(year, 1, 1) + timedelta(days=slot * 365 // size - 1)
            due -= timedelta(days=randint(0, 20))
            unit_id = units[i % len(units)]
            confirmed_arrangement = random_() >= 0.02
            created = _ts(date(year, 1, 1) + timedelta(days=randint(10, 60)), 600)
            state, done_at, confirmed_at = MilestoneState.PENDING, None, None
            if due < now and confirmed_arrangement:
                r = random_()
                never = 0.08 if year >= last_year - 1 else 0.01
                if r < never:
                    pass
                else:
                    late = r < never + 0.06
                    done_day = due + timedelta(days=randint(5, 90) if late else -randint(0, 15))
                    if done_day < now:
                        done_at = _ts(done_day, randint(9 * 60, 18 * 60))
                        if random_() < 0.97:
                            state = MilestoneState.CONFIRMED
                            confirmed_at = _ts(
                                min(done_day + timedelta(days=randint(1, 10)), now), 660
                            )
                        else:
                            state = MilestoneState.DONE
            yield (
                a.pk,
                unit_id,
                year,
                f"{year}年节点{slot}：{rng.choice(VERBS)}{rng.choice(OBJECTS)}",
                due.isoformat(),
                state,
                "t" if confirmed_arrangement else "f",
                done_at,
                "已按期完成。" if done_at else "",
                None,
                "",
                "",
                "",
                confirmed_at,
                None,
                "",
                None,
                created,
            )


# --- indicators and the ledger ---------------------------------------------------------------

LEDGER_FIELDS = [
    "plan",
    "kind",
    "domain",
    "title",
    "date",
    "unit",
    "task",
    "identifier",
    "note",
    "file",
    "file_name",
    "file_type",
    "state",
    "review_comment",
    "created_by",
    "created_at",
    "verified_by",
    "verified_at",
]


def _indicators(plan: Plan, rng: random.Random) -> int:
    indicators = Indicator.objects.bulk_create(
        Indicator(
            plan=plan,
            code=f"S{i + 1}",
            name=kind.label,
            measure="项",
            goal="（一）规模测试目标",
            source_text=f"每年新增{kind.label}（规模测试）。",
            seq=i + 1,
            ledger_kind=kind.value,
        )
        for i, kind in enumerate(AchievementKind)
    )
    IndicatorTarget.objects.bulk_create(
        IndicatorTarget(indicator=indicator, year=year, min_value=rng.randint(5, 500))
        for indicator in indicators
        for year in plan.years
    )
    return len(indicators)


def _ledger_rows(
    plan: Plan,
    orgs: list[Unit],
    tasks: list[Task],
    periods: list[ReportingPeriod],
    count: int,
    rng: random.Random,
) -> Iterable[tuple]:
    kinds = list(AchievementKind)
    first = periods[0].start_date
    span = (periods[-1].end_date - first).days
    random_ = rng.random
    randint = rng.randint
    for n in range(1, count + 1):
        kind = rng.choices(kinds, KIND_WEIGHTS)[0]
        day = first + timedelta(days=randint(0, span))
        r = random_()
        state = (
            EntryState.VERIFIED
            if r < 0.85
            else EntryState.PENDING
            if r < 0.95
            else EntryState.REJECTED
        )
        identifier = "" if kind == AchievementKind.EVENT else f"SC-{KIND_CODES[kind]}-{n:07d}"
        verified_at = (
            _ts(day + timedelta(days=randint(5, 40)), 600) if state != EntryState.PENDING else None
        )
        yield (
            plan.pk,
            kind.value,
            AchievementDomain.SPEECH if random_() < 0.2 else AchievementDomain.GENERAL,
            f"{kind.label}：{rng.choice(ITEM_TOPICS)}{rng.choice(OBJECTS)}（{n}）",
            day.isoformat(),
            rng.choice(orgs).pk,
            rng.choice(tasks).pk if random_() < 0.7 else None,
            identifier,
            "",
            "",
            "",
            "",
            state,
            "材料不足。" if state == EntryState.REJECTED else "",
            None,
            _ts(day + timedelta(days=randint(0, 5)), 540),
            None,
            verified_at,
        )
