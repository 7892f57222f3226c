"""Demo data for the annual work arrangements (年度工作安排): 1–3 milestones per assignment per
year of the plan, called by ``demo_data.demo_data_seed`` once the demo reports exist.

Milestones of the earlier years are mostly done on time and confirmed by the office, some done
late; in the latest year the early ones are done, a few wait for the office to confirm, and the
late ones are pending, due at the year's end (after the demo day, ``tasks.seed.day``, before
which everything was recorded). Where the assignment's latest report says 滞后 or 存在风险, one
of its latest-year milestones is left overdue on the demo day by more (滞后: red) or less
(存在风险: yellow) than ``LIGHT_RED_OVERDUE_DAYS`` days, so that the lights computed from facts
agree with what the units reported. A few latest-year milestones are proposals of the lead unit
awaiting the office. Everything comes from the ``rng`` given, so the data is the same on every run.
"""

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q

from tasks.lights import STATUS_SEVERITY
from tasks.models import (
    Assignment,
    Milestone,
    MilestoneState,
    Plan,
    ProgressReport,
    ProgressStatus,
    ReportState,
)
from tasks.seed.day import demo_day
from units.models import User

FIRST_YEAR = [
    "完成{topic}实施方案编制",
    "建立{topic}工作推进机制",
    "完成年度重点项目谋划和立项",
    "召开{topic}工作推进会",
]
MIDDLE_YEARS = [
    "建成测试平台并试运行",
    "完成年度重点项目建设任务",
    "开展{topic}应用示范",
    "完成阶段性评估",
    "出台{topic}配套支持政策",
    "引进培育一批重点企业和项目",
]
LAST_YEAR = [
    "完成项目建设并组织验收",
    "总结推广{topic}经验做法",
    "完成实施方案目标任务评估",
]
YEAR_END = "形成年度总结报告"
NOTES = [
    "已按计划完成，相关文件已印发。",
    "已完成，成果已通过专家评审。",
    "按期完成，已报送领导小组办公室备案。",
    "已完成并投入试运行，运行情况良好。",
    "已完成，形成书面材料，佐证材料已归档。",
]
LATE_NOTES = [
    "受项目审批进度影响，延后完成，现已全部完成。",
    "因配套资金到位较晚，延期完成，已补齐全部材料。",
]
CONFIRM_COMMENTS = ["", "", "材料齐全，确认完成。", "同意。"]


def _topic(a: Assignment) -> str:
    if a.demo:
        return f"“{a.demo.name}”"
    task = a.task
    title = task.item.title if task.item else task.section.title  # type: ignore[union-attr]
    return f"“{title}”"


def _due_days(rng: random.Random, year: int, n: int) -> list[date]:
    """n due dates in the year, the last at its end (the year-end report)."""
    months = [*sorted(rng.sample([3, 4, 5, 6, 7, 8, 9, 10], n - 1)), 12]
    days = []
    for month in months:
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        days.append(nxt - timedelta(days=1 if rng.random() < 0.7 else rng.randint(10, 20)))
    return days


def _moment(day: date, rng: random.Random, tz: ZoneInfo) -> datetime:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    minutes = rng.randint(8 * 60 + 30, 17 * 60 + 30)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=tz)


def _latest_status(reports: Sequence[ProgressReport]) -> dict[int, str]:
    """Each assignment's worst self-reported status in the last period it was reported in."""
    last: dict[int, tuple[date, str]] = {}
    for r in reports:
        if r.state == ReportState.DRAFT or not r.status:
            continue
        start = r.period.start_date
        known = last.get(r.assignment_id)
        if (
            known is None
            or start > known[0]
            or (
                start == known[0]
                and STATUS_SEVERITY[ProgressStatus(r.status)]
                > STATUS_SEVERITY[ProgressStatus(known[1])]
            )
        ):
            last[r.assignment_id] = (start, r.status)
    return {pk: status for pk, (_, status) in last.items()}


def demo_milestones_seed(
    *,
    plan: Plan,
    rng: random.Random,
    reporters: dict[int, User],
    office: User,
    reports: Sequence[ProgressReport] = (),
    as_of: date | None = None,
) -> int:
    """Milestones for every assignment of the plan (see the module's docstring); how many.
    ``reporters``: a reporter per unit id (the owing units' and the lead units'); ``reports``:
    the demo reports, for agreeing with their statuses; ``as_of``: the demo day (nothing is done
    or confirmed on or after it, and overdue days are counted to it)."""
    tz = ZoneInfo(settings.TIME_ZONE)
    assignments = list(
        Assignment.objects.filter(Q(task__plan=plan) | Q(demo__plan=plan))
        .select_related("unit", "task__item", "task__section", "demo")
        .prefetch_related("unit__members")
        .order_by("task__seq", "demo__seq", "order")
    )
    leads = {(a.task_id, a.demo_id): a.unit for a in assignments if a.role == "lead"}
    status = _latest_status(reports)
    latest = plan.end_year
    as_of = as_of or demo_day(plan)
    red = settings.LIGHT_RED_OVERDUE_DAYS
    created: list[tuple[Milestone, date]] = []
    for a in assignments:
        members = list(a.unit.members.all()) if a.unit.is_group else [a.unit]
        members = [m for m in members if m.pk in reporters] or members
        years = (
            range(max(a.demo.start_year, plan.start_year), min(a.demo.end_year, latest) + 1)
            if a.demo
            else plan.years
        )
        topic = _topic(a)
        reported = status.get(a.pk, "")
        for year in years:
            n = rng.choices([1, 2, 3], weights=[25, 45, 30])[0]
            pool = FIRST_YEAR if year == plan.start_year else MIDDLE_YEARS
            pool = LAST_YEAR if year == latest else pool
            titles = [t.format(topic=topic) for t in rng.sample(pool, n - 1)] + [YEAR_END]
            if year == latest and n > 1 and rng.random() < 0.5:
                titles[-1] = "完成实施方案确定的全部任务"
            dues = _due_days(rng, year, n)
            # In the latest year, a reported delay or risk shows as an overdue milestone.
            lagging = None
            if year == latest and reported in (ProgressStatus.DELAYED, ProgressStatus.AT_RISK):
                days = (
                    rng.randint(red + 10, red + 80)
                    if reported == "delayed"
                    else rng.randint(5, red)
                )
                dues[0] = as_of - timedelta(days=days)
                lagging_due = dues[0]
                dues.sort()
                lagging = dues.index(lagging_due)  # not the earliest: that would be months late
            for i, (title, due) in enumerate(zip(titles, dues, strict=True)):
                unit = rng.choice(members)
                m = Milestone(
                    assignment=a,
                    unit=unit,
                    year=year,
                    title=title[:255],
                    due_date=due,
                    created_by=office,
                )
                roll = rng.random()
                if year < latest or (due < date(latest, 10, 1) and i != lagging):
                    late = roll < 0.12
                    done_day = due + timedelta(
                        days=rng.randint(5, 60) if late else -rng.randint(1, 40)
                    )
                    done_day = min(done_day, as_of - timedelta(days=3))
                    m.state = MilestoneState.CONFIRMED
                    m.done_at = _moment(done_day, rng, tz)
                    m.done_by = reporters.get(unit.pk)
                    m.done_note = rng.choice(LATE_NOTES if late else NOTES)
                    m.confirmed_at = _moment(done_day + timedelta(days=rng.randint(2, 10)), rng, tz)
                    m.confirmed_by = office
                    m.review_comment = rng.choice(CONFIRM_COMMENTS)
                    if year == latest and roll > 0.97:  # the office's backlog
                        m.state, m.confirmed_at, m.confirmed_by = MilestoneState.DONE, None, None
                        m.review_comment = ""
                elif i != lagging and (roll < 0.2 or reported == ProgressStatus.COMPLETED):
                    # Q4: done; the office has confirmed most, a few wait for it
                    done_day = min(due, as_of) - timedelta(days=rng.randint(10, 40))
                    m.state = MilestoneState.DONE
                    m.done_at = _moment(done_day, rng, tz)
                    m.done_by = reporters.get(unit.pk)
                    m.done_note = rng.choice(NOTES)
                    if rng.random() < 0.7:
                        m.state = MilestoneState.CONFIRMED
                        m.confirmed_at = _moment(
                            done_day + timedelta(days=rng.randint(2, 8)), rng, tz
                        )
                        m.confirmed_by = office
                else:
                    lead = leads.get((a.task_id, a.demo_id))
                    proposer = reporters.get(lead.pk) if lead else None
                    if i != lagging and roll > 0.93 and proposer is not None:  # a proposal
                        m.arrangement_confirmed = False
                        m.created_by = proposer
                    if i != lagging:  # pending but not late: the units report no lag
                        m.due_date = date(latest, 12, 31)
                created.append((m, date(year, 1, rng.randint(5, 25))))
    Milestone.objects.bulk_create([m for m, _ in created], batch_size=1000)
    # created_at is auto_now_add, which an insert sets to now: date each milestone to January
    # of its year (one statement per year).
    for year in {m.year for m, _ in created}:
        Milestone.objects.filter(assignment__in=assignments, year=year).update(
            created_at=_moment(date(year, 1, 15), rng, tz)
        )
    return len(created)
