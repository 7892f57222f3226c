"""What a bulletin says, read from the data: ``bulletin_content(period)`` gives a
``BulletinContent`` (a JSON-ready TypedDict, stored as is when a bulletin is published, so the
issued text never changes afterwards).

Every number comes from the dashboard's own parts (reports.dashboards: the plan's structure,
the period's reports and milestones, the scorecard and its 并列 ranks, the indicators) and the
lights from tasks.lights, so the bulletin and the dashboard agree. Queries are bounded whatever
the plan's size (tests/bulletins/test_content.py asserts it at two sizes): the dashboard's parts,
then one query each for the period's 催办 and 督办单, the lagging tasks' reports and overdue
milestones, the tasks with their lead units, and the lead units' reports; two for the quarter's
督办事项 (reports.bulletins.directives).
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any, NotRequired, TypedDict, cast

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import Truncator

from hefei_ai_zone import clock
from hefei_ai_zone.errors import ApplicationError
from reports.dashboards import (
    block_tasks,
    cached_milestones,
    cached_structure,
    report_part,
    severities,
)
from reports.dashboards.charts import (
    demos_chart,
    milestones_tile,
    reports_tile,
    scorecard_chart,
    sections_chart,
)
from reports.dashboards.parts import cached_indicators
from reports.dashboards.periods import LIGHTS, OFFICE
from tasks import lights
from tasks.models import (
    Assignment,
    AssignmentRole,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    SupervisionOrder,
    Task,
    Urge,
)
from tasks.plan.selectors import plan_current
from units.models import User

from .directives import DirectivePart, directive_part
from .models import Bulletin, BulletinState
from .permissions import can_manage, can_see

EXCERPT_CHARS = 80
TITLE_CHARS = 40
APPENDIX_TEXT_CHARS = 60
# the lagging tasks named in 四、滞后任务, worst first; the others are counted there and carry their
# light in the appendix (a bulletin names the worst cases; at 2,000 tasks hundreds may be yellow)
LAGGING_MAX = 30
LIGHT_LABELS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "grey": "未报送"}


class Overall(TypedDict):
    tasks: int
    lights: dict[str, int]  # green, yellow, red, grey → tasks
    reports_due: int
    reports_submitted: int
    reports_on_time: int
    reports_late: int
    reports_missing: int
    on_time_rate: float | None
    milestones_due: int  # due within the period
    milestones_done: int  # of those, done by the as-of day
    milestones_overdue: int  # overdue on the as-of day, whatever their year
    urges: int  # 催办 sent for this period
    orders: int  # 督办单 issued within the period (start to due date)


class SectionRow(TypedDict):
    code: str
    label: str
    green: int
    yellow: int
    red: int
    grey: int
    total: int


class RankRow(TypedDict):
    rank: int
    rank_label: str  # "3" or "并列3"
    unit: str
    duties: int
    on_time: int
    on_time_rate: float | None
    on_track: int
    on_track_share: float | None
    milestones_overdue: int
    urges: int
    orders: int
    score: float


class Reason(TypedDict):
    unit: str
    status: str  # the reported status's label
    light: str
    excerpt: str


class OverdueMilestone(TypedDict):
    unit: str
    title: str
    due_date: str  # ISO
    days: int
    light: str


class LaggingTask(TypedDict):
    code: str
    title: str
    section: str
    lead: str
    light: str
    reasons: list[Reason]
    milestones: list[OverdueMilestone]


class MissingUnit(TypedDict):
    unit: str
    duties: int
    missing: int  # duties without a submitted report
    late: int  # submitted after the due date


class DemoRow(TypedDict):
    seq: int
    field: str
    name: str
    units: str
    light: str
    percent: int | None  # the lead unit's reported percent, None without a counted report
    status: str


class IndicatorRow(TypedDict):
    code: str
    name: str
    measure: str
    target: int | None
    target_max: int | None
    actual: int
    met: bool | None
    cumulative: bool


class AppendixRow(TypedDict):
    code: str
    title: str
    lead: str
    light: str
    status: str
    percent: int | None
    text: str


class BulletinContent(TypedDict):
    period_code: str
    period_label: str  # 2021年第三季度
    year: int
    start_date: str
    end_date: str
    due_date: str
    as_of: str
    plan: str
    overall: Overall
    sections: list[SectionRow]
    ranking: list[RankRow]
    lagging: list[LaggingTask]  # the LAGGING_MAX worst
    lagging_red: int  # all red tasks
    lagging_yellow: int  # all yellow tasks
    missing: list[MissingUnit]
    demos: list[DemoRow]
    indicators: list[IndicatorRow]
    commentary: str
    appendix: list[AppendixRow]
    # 督办事项办理情况 (reports.bulletins.directives); absent from bulletins published before
    directives: NotRequired[DirectivePart]


def excerpt(text: str, chars: int = EXCERPT_CHARS) -> str:
    """One line of at most ``chars`` characters (whitespace folded)."""
    return Truncator(" ".join((text or "").split())).chars(chars)


def status_label(status: str) -> str:
    return ProgressStatus(status).label if status in ProgressStatus.values else "未报送"


def period_for_code(code: str) -> ReportingPeriod:
    """The current plan's period of that code (2021Q3), or a Chinese error."""
    plan = plan_current()
    period = (
        ReportingPeriod.objects.filter(plan=plan, code=code.strip().upper())
        .select_related("plan")
        .first()
        if plan
        else None
    )
    if period is None:
        raise ApplicationError(f"没有报送周期“{code}”（应为如 2021Q3 的季度代码）。")
    if not period.quarter:
        raise ApplicationError(f"报送周期“{code}”不是季度周期，督查通报按季度编发。")
    return period


def _window(first: date, last: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=tz),
        datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz),
    )


def _supervision(period: ReportingPeriod) -> tuple[dict[int, int], dict[int, int]]:
    """The 催办 of the period and the 督办单 issued from its first day to its due date, per unit
    (two grouped queries)."""
    urges = dict(
        Urge.objects.filter(period=period).values_list("unit_id").annotate(n=Count("pk")).order_by()
    )
    start, end = _window(period.start_date, period.due_date)
    orders = dict(
        SupervisionOrder.objects.filter(issued_at__gte=start, issued_at__lt=end)
        .values_list("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return urges, orders


def bulletin_content(period: ReportingPeriod, commentary: str = "") -> BulletinContent:
    """The bulletin of a quarter as the data stands: a fixed number of queries."""
    plan_id = period.plan_id
    as_of = lights.period_as_of(period)
    past_due = clock.today() > period.due_date
    structure = cached_structure(plan_id)
    milestones = cached_milestones(period, plan_id)
    reports = report_part(period)
    sev = severities(milestones, reports)

    sections = sections_chart(structure, sev)
    task_lights = {light: sum(s[light] for s in sections) for light in LIGHTS}
    scorecard = scorecard_chart(
        structure, sev, reports, milestones, past_due=past_due, year=period.year
    )
    tile = reports_tile(structure, scorecard, reports, audience=OFFICE, past_due=past_due)
    ms_tile = milestones_tile(milestones)
    urges, orders = _supervision(period)

    overall: Overall = {
        "tasks": len(structure["tasks"]),
        "lights": task_lights,
        "reports_due": tile["due"],
        "reports_submitted": tile["submitted"],
        "reports_on_time": tile["on_time"],
        "reports_late": tile["late"],
        "reports_missing": tile["not_submitted"],
        "on_time_rate": tile["on_time_rate"],
        "milestones_due": ms_tile["due"],
        "milestones_done": ms_tile["done"],
        "milestones_overdue": ms_tile["overdue"],
        "urges": sum(urges.values()),
        "orders": sum(orders.values()),
    }
    ranking: list[RankRow] = [
        {
            "rank": s["rank"],
            "rank_label": s["rank_label"],
            "unit": s["unit"],
            "duties": s["duties"],
            "on_time": s["on_time"],
            "on_time_rate": s["on_time_rate"],
            "on_track": s["on_track"],
            "on_track_share": s["on_track_share"],
            "milestones_overdue": s["milestones_overdue"],
            "urges": urges.get(s["unit_id"], 0),
            "orders": orders.get(s["unit_id"], 0),
            "score": s["score"],
        }
        for s in sorted(scorecard, key=lambda s: (s["rank"], s["unit"]))
        if s["duties"]
    ]
    missing: list[MissingUnit] = [
        {
            "unit": s["unit"],
            "duties": s["duties"],
            "missing": s["not_submitted"],
            "late": s["late"],
        }
        for s in sorted(scorecard, key=lambda s: (-s["not_submitted"], -s["late"], s["unit"]))
        if s["not_submitted"] or s["late"]
    ]

    # the tasks, their lead units and the lead units' reports: three queries
    tasks = list(
        Task.objects.filter(plan_id=plan_id)
        .select_related("section")
        .only("id", "seq", "code", "content", "section__number", "section__title")
        .order_by("seq")
    )
    leads: dict[int, tuple[int, str]] = {}
    lead_of_demo: dict[int, int] = {}
    for aid, task_id, demo_id, unit_name in (
        Assignment.objects.filter(Q(task__plan_id=plan_id) | Q(demo__plan_id=plan_id))
        .filter(role=AssignmentRole.LEAD)
        .values_list("id", "task_id", "demo_id", "unit__name")
        .order_by("order", "id")
    ):
        if task_id is not None:
            leads.setdefault(task_id, (aid, unit_name))
        elif demo_id is not None:
            lead_of_demo.setdefault(demo_id, aid)
    lead_aids = [aid for aid, _u in leads.values()] + list(lead_of_demo.values())
    lead_reports: dict[int, ProgressReport] = {}
    for r in (
        ProgressReport.objects.filter(period=period, assignment_id__in=lead_aids)
        .filter(lights.counted_report_q())
        .only(
            "id", "assignment_id", "unit_id", "state", "status", "percent", "narrative", "problems"
        )
        .order_by("id")
    ):
        lead_reports.setdefault(r.assignment_id, r)

    task_sev = block_tasks(structure, sev)
    appendix: list[AppendixRow] = []
    for t in tasks:
        lead_aid, lead_name = leads.get(t.pk, (0, ""))
        report = lead_reports.get(lead_aid)
        appendix.append(
            {
                "code": t.code,
                "title": excerpt(t.content, TITLE_CHARS),
                "lead": lead_name,
                "light": lights.SEVERITY_LIGHT[task_sev.get(t.pk, 0)],
                "status": status_label(report.status if report else ""),
                "percent": report.percent if report else None,
                "text": excerpt(report.narrative if report else "", APPENDIX_TEXT_CHARS),
            }
        )

    lagging = _lagging(period, as_of, structure, task_sev, tasks, leads)

    demos: list[DemoRow] = []
    for d in demos_chart(structure, sev):
        report = lead_reports.get(lead_of_demo.get(d["id"], 0))
        demos.append(
            {
                "seq": d["seq"],
                "field": d["field"],
                "name": d["name"],
                "units": "、".join(d["units"]),
                "light": d["light"],
                "percent": report.percent if report else None,
                "status": status_label(report.status if report else ""),
            }
        )
    indicators: list[IndicatorRow] = []
    for ind in cached_indicators(period.plan):
        year = next((y for y in ind["years"] if y["year"] == period.year), None)
        indicators.append(
            {
                "code": ind["code"],
                "name": ind["name"],
                "measure": ind["measure"],
                "target": year["target"] if year else None,
                "target_max": year["target_max"] if year else None,
                "actual": year["actual"] if year else 0,
                "met": year["met"] if year else None,
                "cumulative": bool(year and year["cumulative"]),
            }
        )
    return {
        "period_code": period.code,
        "period_label": period.label,
        "year": period.year,
        "start_date": period.start_date.isoformat(),
        "end_date": period.end_date.isoformat(),
        "due_date": period.due_date.isoformat(),
        "as_of": as_of.isoformat(),
        "plan": str(period.plan),
        "overall": overall,
        "sections": [
            {
                "code": s["code"],
                "label": s["label"],
                "green": s["green"],
                "yellow": s["yellow"],
                "red": s["red"],
                "grey": s["grey"],
                "total": s["total"],
            }
            for s in sections
        ],
        "ranking": ranking,
        "lagging": lagging[:LAGGING_MAX],
        "lagging_red": task_lights["red"],
        "lagging_yellow": task_lights["yellow"],
        "missing": missing,
        "demos": demos,
        "indicators": indicators,
        "commentary": commentary,
        "appendix": appendix,
        "directives": directive_part(period),
    }


def _lagging(
    period: ReportingPeriod,
    as_of: date,
    structure: dict[str, Any],
    task_sev: dict[int, int],
    tasks: list[Task],
    leads: dict[int, tuple[int, str]],
) -> list[LaggingTask]:
    """The LAGGING_MAX worst red and yellow tasks, worst first, with the reasons the units gave
    (the counted reports saying 滞后 or 存在风险) and the overdue milestones: two queries."""
    red, yellow = lights.SEVERITY["red"], lights.SEVERITY["yellow"]
    seq = {t.pk: t.seq for t in tasks}
    worst = sorted(
        (tid for tid, s in task_sev.items() if s >= yellow),
        key=lambda tid: (-task_sev[tid], seq.get(tid, 0)),
    )[:LAGGING_MAX]
    chosen = {tid: task_sev[tid] for tid in worst}
    task_of = {aid: tid for tid in chosen for aid in structure["tasks"][tid][1]}
    reasons: dict[int, list[Reason]] = defaultdict(list)
    for r in (
        ProgressReport.objects.filter(period=period, assignment_id__in=list(task_of))
        .filter(lights.counted_report_q())
        .select_related("unit")
        .only("id", "assignment_id", "state", "status", "narrative", "problems", "unit__name")
        .order_by("unit__sort_order", "id")
    ):
        light = lights.report_light(r)
        if lights.SEVERITY[light] < yellow:
            continue
        reasons[task_of[r.assignment_id]].append(
            {
                "unit": r.unit.name,
                "status": status_label(r.status),
                "light": light,
                "excerpt": excerpt(r.problems or r.narrative),
            }
        )
    overdue: dict[int, list[OverdueMilestone]] = defaultdict(list)
    for m in (
        lights.overdue_milestones(as_of)
        .filter(assignment_id__in=list(task_of))
        .select_related("unit")
        .only("id", "assignment_id", "title", "due_date", "unit__name")
        .order_by("due_date", "id")
    ):
        days = (as_of - m.due_date).days
        overdue[task_of[m.assignment_id]].append(
            {
                "unit": m.unit.name,
                "title": m.title,
                "due_date": m.due_date.isoformat(),
                "days": days,
                "light": lights.milestone_light(days),
            }
        )
    by_id = {t.pk: t for t in tasks}
    rows: list[LaggingTask] = []
    for tid in sorted(chosen, key=lambda t: (-chosen[t], by_id[t].seq if t in by_id else 0)):
        t = by_id.get(tid)
        if t is None:
            continue
        rows.append(
            {
                "code": t.code,
                "title": excerpt(t.content, TITLE_CHARS),
                "section": f"{t.section.number}{t.section.title}",
                "lead": leads.get(tid, (0, ""))[1],
                "light": "red" if chosen[tid] >= red else "yellow",
                "reasons": sorted(reasons[tid], key=lambda r: -lights.SEVERITY[r["light"]]),
                "milestones": overdue[tid],
            }
        )
    return rows


# --- the pages ---------------------------------------------------------------------------------


def bulletin_list(user: User) -> list[Bulletin]:
    """The bulletins the user may read, newest quarter first: the published ones, and the drafts
    for the office (one query)."""
    qs = Bulletin.objects.select_related("period", "published_by").order_by("-period__start_date")
    if not can_manage(user):
        qs = qs.filter(state=BulletinState.PUBLISHED)
    return list(qs)


def bulletin_for(user: User, code: str) -> Bulletin | None:
    """The quarter's bulletin if the user may read it (None: absent or not for them)."""
    bulletin = (
        Bulletin.objects.select_related("period__plan", "published_by")
        .filter(period__code=code.strip().upper(), period__plan__is_current=True)
        .first()
    )
    if bulletin is None or not can_see(user, bulletin):
        return None
    return bulletin


def periods_to_draft() -> list[ReportingPeriod]:
    """The current plan's quarters that have started and have no bulletin yet, latest first."""
    plan = plan_current()
    if plan is None:
        return []
    return list(
        ReportingPeriod.objects.filter(
            plan=plan, quarter__isnull=False, start_date__lte=clock.today()
        )
        .exclude(pk__in=Bulletin.objects.values("period_id"))
        .order_by("-start_date")
    )


def content_of(bulletin: Bulletin) -> BulletinContent:
    """What the bulletin says: the snapshot once published, else the data as it stands."""
    if bulletin.is_published and bulletin.snapshot:
        return cast(BulletinContent, bulletin.snapshot)
    return bulletin_content(bulletin.period, bulletin.commentary)
