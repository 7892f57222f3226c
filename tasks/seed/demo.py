"""Demo data (演示数据): four years of quarterly reporting on a plan, for trying the platform out.

``demo_data_seed`` gives the plan its quarterly periods (all closed but the last, which is open)
and every reporting duty (``selectors.duties_for_period``: a group's assignment is a duty of each
member unit) a report in every closed period and most of them one in the open period. Each duty
follows a trajectory: it starts in one of the first quarters (a demo project in its first year),
its percent rises towards completion by the plan's end (a few fall short), and some have a spell
of 存在风险 or 滞后 during which progress stalls. Around it the workflow is what the services would
have recorded: versions of the content, submit → (unit approval) → office acceptance, some
returned with a comment and then fixed, some submitted after the due date, a few drafts, reviews
and missing reports in the open period. The open period is written as of the demo day
(``tasks.seed.day``, 2023-12-20, the demo date of `make run`): opened three weeks before it, and
whatever would have happened on or after it (a submission, an approval, an acceptance) has not
happened yet. Narratives are built from the task's content and item with varied templates.
Everything is drawn from ``random.Random`` seeded per duty, so the data is the same on every
database and every run.

Actors are the accounts that exist (the demo accounts); a unit without a reporter gets an
inactive placeholder reporter (``demo_<abbreviation>``, unusable password) through
``units.services.user_create``. Rows are bulk-inserted (about 4,700 reports, 12,000 transitions,
7,000 versions for the seed plan) in one transaction. A plan that already has reports is left
alone: the data is never generated twice, nor over real reports.
"""

import random
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce

from hefei_ai_zone.errors import ApplicationError
from tasks.models import (
    PeriodState,
    Plan,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    ReportState,
    ReportTransition,
    ReportVersion,
)
from tasks.reporting.selectors import Duty, duties_for_period
from tasks.reporting.services import periods_ensure
from tasks.seed.day import demo_cutoff
from tasks.seed.directives import demo_directives_seed
from tasks.seed.ledger import demo_ledger_seed
from tasks.seed.milestones import demo_milestones_seed
from tasks.workdays.selectors import span_read
from units.models import Role, Unit, User
from units.services import user_create

SEED = 2020

# Short pinyin names for the placeholder reporters' usernames (demo_fgw, ...); other units
# get demo_unit<id>.
UNIT_ABBREVIATIONS = {
    "市委组织部": "swzzb",
    "市委网信办": "swwxb",
    "市政府办公室": "szfb",
    "市发改委": "fgw",
    "市教育局": "jyj",
    "市科技局": "kjj",
    "市经信局": "jxj",
    "市公安局": "gaj",
    "市民政局": "mzj",
    "市司法局": "sfj",
    "市人社局": "rsj",
    "市生态环境局": "sthjj",
    "市交通运输局": "jtysj",
    "市卫健委": "wjw",
    "市市场监管局": "scjgj",
    "市统计局": "tjj",
    "市医保局": "ybj",
    "市地方金融监管局": "jrjgj",
    "市数据资源局": "sjzyj",
    "市政务服务管理局": "zwfwj",
    "市公共资源交易管理局": "ggzyj",
    "市投资促进局": "tcj",
    "市政府新闻办": "xwb",
    "市科协": "kx",
    "瑶海区政府": "yhq",
    "庐阳区政府": "lyq",
    "蜀山区政府": "ssq",
    "包河区政府": "bhq",
    "长丰县政府": "cfx",
    "肥东县政府": "fdx",
    "肥西县政府": "fxx",
    "庐江县政府": "ljx",
    "巢湖市政府": "chs",
    "高新区管委会": "gxq",
    "经开区管委会": "jkq",
    "新站区管委会": "xzq",
    "滨湖科学城管委会": "bhkxc",
    "合肥电信公司": "dx",
    "合肥移动公司": "yd",
    "合肥联通公司": "lt",
    "合肥铁塔公司": "tt",
}

# --- text -----------------------------------------------------------------------------------

PARTNERS = [
    "中国科学技术大学",
    "合肥工业大学",
    "安徽大学",
    "中科院合肥物质科学研究院",
    "科大讯飞",
    "本源量子",
    "国盾量子",
    "华米科技",
]

OPENINGS_LEAD = [
    "本季度，{unit}作为牵头单位，",
    "{unit}牵头推进“{topic}”工作，",
    "{period}，{unit}围绕“{topic}”，",
]
OPENINGS_CO = [
    "{unit}作为配合单位，按照{lead}的统一部署，",
    "本季度，{unit}配合{lead}推进“{topic}”工作，",
    "{period}，{unit}积极对接{lead}，",
]
OPENINGS_GROUP = [
    "按照方案对{group}的分工要求，{unit}",
    "本季度，{unit}结合本地实际，",
]

ACTIONS = {
    "not_started": [
        "开展前期资料收集和需求摸底，研究确定实施路径",
        "与{lead}对接工作要求，明确本单位的责任分工",
        "组织内部学习实施方案，梳理可承接的重点事项",
    ],
    "early": [
        "成立由分管负责同志任组长的工作专班，明确责任处室和时间节点",
        "围绕“{clause}”开展专题调研，走访重点企业和科研院所{n}家",
        "起草“{topic}”工作方案，已征求{m}家相关单位意见",
        "梳理形成重点项目和企业清单，共{n}项",
        "组织召开“{topic}”工作座谈会{k}次",
        "与{partner}对接合作意向，形成初步合作框架",
    ],
    "middle": [
        "按照“{clause}”的要求，推进相关项目建设，本季度新增实施项目{k}个",
        "召开推进会{k}次，协调解决项目用地、资金、数据共享等问题{m}个",
        "完成年度重点工作清单中的{m}项任务，累计投入资金约{x}亿元",
        "{n}个试点项目进入实施阶段，其中{k}个已开展场景测试",
        "联合{partner}开展攻关，签订合作协议{k}份",
        "围绕“{clause}”，组织申报省级以上项目{k}个",
    ],
    "late": [
        "主要建设内容基本完成，{k}个项目进入试运行阶段",
        "形成典型案例{k}个，在{m}个县（市）区和开发区推广应用",
        "组织开展阶段性评估，对照“{clause}”的要求逐项查漏补缺",
        "相关成果已在全市推广，累计服务企业{n}家",
        "会同{partner}完成关键技术验证，相关指标达到预期",
    ],
    "done": [
        "该项任务已按期完成，总结报告已报领导小组办公室",
        "完成验收评估，{k}项成果纳入全市人工智能典型应用案例库",
        "各项建设内容全部完成，转入常态化运行和持续优化",
    ],
}

PROBLEMS_CALM = ["", "", "暂无。", "无。", "部分配合单位材料报送不够及时。", "跨部门协调事项较多。"]
PROBLEMS_RISK = [
    "部分项目资金尚未拨付到位，影响实施进度。",
    "跨部门数据共享机制尚未完全理顺，数据归集进度偏慢。",
    "核心技术人才引进难度较大，项目团队组建晚于计划。",
    "项目用地、用能等要素保障需进一步协调。",
    "合作企业调整投资计划，部分建设内容需重新论证。",
    "应用场景开放不足，试点推广面临一定阻力。",
]
PROBLEMS_COVID = "受新冠肺炎疫情影响，现场调研和项目对接有所推迟。"
PROBLEMS_DELAYED = [
    "项目建设进度明显滞后于计划，仍有{k}个子项目尚未开工。",
    "关键设备采购受供应链影响延迟交付，整体进度滞后约一个季度。",
    "实施方案尚未获批，相关工作未能全面铺开。",
    "承建企业经营困难，项目建设一度停滞。",
]
NEXT_STEPS = {
    "not_started": [
        "尽快完成前期准备，力争下一季度启动实施。",
        "下一季度将制定工作计划并启动实施。",
    ],
    "early": [
        "下一季度将完成工作方案报批，启动首批项目建设。",
        "加快推进项目对接和签约，力争{k}个项目落地。",
        "进一步细化任务分工，建立月调度机制。",
    ],
    "middle": [
        "下一季度将加快项目建设进度，组织开展中期评估。",
        "持续跟踪重点项目，及时协调解决存在问题。",
        "扩大试点范围，力争新增应用场景{k}个。",
    ],
    "late": [
        "下一季度将完成剩余建设内容，做好验收准备。",
        "总结推广典型经验，形成可复制推广的模式。",
        "开展成效评估，查漏补缺确保按期完成。",
    ],
    "done": ["持续巩固成效，做好经验总结和宣传推广。", "转入常态化管理，跟踪应用成效。"],
}
RISK_MEASURES = [
    "针对上述问题，将会同相关部门专题研究解决；",
    "已报请领导小组办公室协调，",
    "将加强调度、倒排工期，",
]

RETURN_OFFICE = {
    "brief": "进展情况过于简略，请补充本季度具体工作量和量化成果。",
    "plan": "请补充下步工作计划，并写明存在问题的解决措施。",
    "percent": "完成进度与进展情况描述不符，请核实后重新填报。",
}
RETURN_APPROVER = {
    "brief": "请按牵头单位的要求补充项目清单和量化数据。",
    "plan": "下步计划不够具体，请补充时间节点。",
    "percent": "完成进度与年度统计口径不一致，请核实后重新提交。",
}
SUPPLEMENTS = [
    "（补充）本季度共召开调度会{k}次，形成工作台账{m}份。",
    "（补充）已整理佐证材料{k}份，相关数据经统计部门核实。",
    "（补充）涉及项目{m}个，已完成投资约{x}亿元。",
]
ACCEPT_COMMENTS = ["", "", "", "", "同意。", "已审核，同意。", "请继续按计划推进。"]
APPROVE_COMMENTS = ["", "", "", "情况属实，同意报送。", "同意。"]

# Outcomes in the open period (weights); "approved" becomes "submitted" where the unit has no
# approver.
OPEN_OUTCOMES = {
    "missing": 12,
    "draft": 14,
    "submitted": 12,
    "approved": 10,
    "returned": 6,
    "accepted": 46,
}


def _stage(status: str, percent: int) -> str:
    if status == ProgressStatus.NOT_STARTED:
        return "not_started"
    if percent >= 100:
        return "done"
    if percent >= 70:
        return "late"
    return "middle" if percent >= 30 else "early"


def _clauses(text: str) -> list[str]:
    """Phrases of a task's content to quote: its clauses of 6–34 characters, without numbering."""
    parts = re.split(r"[。；;，]", re.sub(r"^\s*\d+[.．、]", "", text))
    clauses = [re.sub(r"^\d+[.．、]", "", p.strip()) for p in parts]
    return [c for c in clauses if 6 <= len(c) <= 34]


# --- the shape of one duty over the periods ---------------------------------------------------


@dataclass
class Track:
    """One duty's percent and status in each period."""

    percents: list[int]
    statuses: list[str]


def _track(
    rng: random.Random, n: int, *, start: int, finish: int, final: int, due: int | None = None
) -> Track:
    """Percent rising from ``start`` to ``final`` at ``finish`` (never decreasing), with perhaps
    a spell of risk or delay during which progress stalls. A duty that falls short (``final`` <
    100) is late from its due quarter (``due``, else one of the last) to the end."""
    gamma = rng.uniform(0.7, 1.35)
    coarse = rng.random() < 0.7  # most units report in steps of 5
    base: list[int] = []
    for q in range(n):
        if q < start:
            value = 0.0
        elif q >= finish:
            value = final
        else:
            x = (q - start + 1) / (finish - start + 1)
            value = max(3.0, final * x**gamma + rng.uniform(-4, 4))
        number = 5 * round(value / 5) if coarse and value else round(value)
        if q < finish:
            number = min(number, final - 2 if final == 100 else final)
        base.append(max(number, base[-1] if base else 0, 3 if q >= start else 0))

    spell: tuple[int, int, str] | None = None
    if final < 100:  # falls short: late from its due quarter or one of the last
        first = max(start + 1, min(due if due is not None else n, n - rng.randint(2, 4)))
        spell = (min(first, n - 1), n - 1, rng.choice(["delayed", "delayed", "at_risk"]))
    elif rng.random() < 0.35 and finish - start >= 3:
        first = rng.randint(start + 1, finish - 1)
        kind = "delayed" if rng.random() < 0.3 else "at_risk"
        spell = (first, min(first + rng.randint(0, 2), finish - 1), kind)
    percents = list(base)
    if spell:
        first, last, _ = spell
        before = percents[first - 1] if first > 0 else 0
        for q in range(first, last + 1):
            percents[q] = max(before, before + round((base[q] - before) * 0.25), 3)
        for q in range(1, n):  # stays non-decreasing after the catch-up
            percents[q] = max(percents[q], percents[q - 1])

    statuses: list[str] = []
    for q, percent in enumerate(percents):
        if q < start:
            statuses.append(ProgressStatus.NOT_STARTED)
        elif percent >= 100:
            statuses.append(ProgressStatus.COMPLETED)
        elif spell and spell[0] <= q <= spell[1]:
            statuses.append(spell[2])
        else:
            statuses.append(ProgressStatus.ON_TRACK)
    return Track(percents, statuses)


def _track_for(rng: random.Random, duty: Duty, plan: Plan, n: int) -> Track:
    """A task starts in one of the first quarters and finishes in one of the last; a demo
    project keeps to its years. About one in seven falls short and ends late."""
    demo = duty.assignment.demo
    due = None
    if demo is not None:
        first = max(0, (demo.start_year - plan.start_year) * 4)
        end = min(n - 1, (demo.end_year - plan.start_year) * 4 + 3)
        start = min(first + rng.choice([0, 0, 1]), n - 1)
        finish = max(start + 2, end - rng.choice([0, 0, 1]))
        due = end + 1 if end < n - 1 else None
    else:
        start = min(rng.choices([0, 1, 2, 3, 4, 6], weights=[40, 20, 12, 10, 10, 8])[0], n - 4)
        finish = max(start + 3, n - 1 - rng.choice([0, 0, 0, 1, 1, 2, 2, 3, 4, 5, 6]))
    final = 100 if rng.random() < 0.85 else rng.choice([70, 75, 80, 85, 90, 95])
    if final < 100:
        finish = n - 1  # still short at the end of the plan
    return _track(rng, n, start=start, finish=min(finish, n - 1), final=final, due=due)


# --- time -------------------------------------------------------------------------------------


@dataclass
class Clock:
    tz: ZoneInfo

    def at(self, day: date, rng: random.Random) -> datetime:
        """A moment of office hours on that day (a weekend moves to the Monday)."""
        while day.weekday() >= 5:
            day += timedelta(days=1)
        minutes = rng.randint(8 * 60 + 30, 17 * 60 + 50)
        return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=self.tz)

    def later(self, moment: datetime, rng: random.Random, low: int, high: int) -> datetime:
        """Some working moment ``low``–``high`` days after ``moment`` (always after it)."""
        result = self.at(moment.astimezone(self.tz).date() + timedelta(rng.randint(low, high)), rng)
        return result if result > moment else moment + timedelta(minutes=rng.randint(20, 240))


def open_day(period: ReportingPeriod, cutoff: datetime | None) -> date:
    """The day the office opened the period: ten days before the quarter's end; the open
    period three weeks before the demo day (``cutoff``)."""
    if cutoff is not None:
        return cutoff.date() - timedelta(days=20)
    return period.end_date - timedelta(days=10)


# --- generation -------------------------------------------------------------------------------


@dataclass
class DemoDataResult:
    created: bool
    periods: list[ReportingPeriod] = field(default_factory=list)
    reports: int = 0
    transitions: int = 0
    versions: int = 0
    missing: int = 0
    late: int = 0
    returned_fixed: int = 0
    states: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)
    placeholders: list[str] = field(default_factory=list)
    milestones: int = 0
    ledger_entries: int = 0
    directives: int = 0


@dataclass
class _Content:
    status: str
    percent: int
    narrative: str
    problems: str
    next_steps: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class _Writer:
    """Builds the text and the workflow of one report after another, collecting rows."""

    def __init__(self, *, periods: Sequence[ReportingPeriod]) -> None:
        self.clock = Clock(ZoneInfo(settings.TIME_ZONE))
        self.reports: list[ProgressReport] = []
        self.transitions: list[ReportTransition] = []
        self.versions: list[ReportVersion] = []
        self.result = DemoDataResult(created=True, periods=list(periods))
        # the working days (tasks.workdays) from the first quarter's end to the last due date
        self.workdays = span_read(periods[0].end_date - timedelta(days=3), periods[-1].due_date)

    # text ------------------------------------------------------------------------------------

    def content(
        self, rng: random.Random, duty: Duty, lead: str, status: str, percent: int
    ) -> _Content:
        a, unit = duty.assignment, duty.unit
        if a.demo is not None:
            topic, clauses = a.demo.name, [a.demo.name]
        else:
            topic = a.task.item.title if a.task.item else a.task.section.title  # type: ignore[union-attr]
            clauses = _clauses(a.task.content) or [topic]  # type: ignore[union-attr]
        values = {
            "unit": unit.name,
            "topic": topic,
            "lead": lead if lead != unit.name else "领导小组办公室",
            "group": duty.via_group.name if duty.via_group else "",
            "period": duty.period.label,
            "partner": rng.choice(PARTNERS),
            "n": rng.randint(3, 30),
            "m": rng.randint(2, 12),
            "k": rng.randint(1, 6),
            "x": f"{rng.uniform(0.2, 12):.1f}",
        }
        if duty.via_group:
            opening = rng.choice(OPENINGS_GROUP)
        elif a.role == "lead":
            opening = rng.choice(OPENINGS_LEAD)
        else:
            opening = rng.choice(OPENINGS_CO)
        stage = _stage(status, percent)
        # Two actions, each quoting its own clause of the task where it quotes one.
        quoted = rng.sample(clauses, k=min(2, len(clauses))) * 2
        actions = [
            action.format(**{**values, "clause": clause})
            for action, clause in zip(rng.sample(ACTIONS[stage], k=2), quoted, strict=False)
        ]
        narrative = opening.format(**values) + "；".join(actions) + "。"
        if stage in ("early", "middle", "late"):
            narrative += f"截至本季度末，累计完成进度约 {percent}%。"

        year = duty.period.year
        if status == ProgressStatus.DELAYED:
            problems = rng.choice(PROBLEMS_DELAYED)
        elif status == ProgressStatus.AT_RISK:
            problems = rng.choice(PROBLEMS_RISK)
            if year in (2020, 2022) and rng.random() < 0.5:
                problems = PROBLEMS_COVID + problems
        else:
            problems = rng.choice(PROBLEMS_CALM)
        next_steps = rng.choice(NEXT_STEPS[stage])
        if status in (ProgressStatus.AT_RISK, ProgressStatus.DELAYED):
            next_steps = rng.choice(RISK_MEASURES) + next_steps
        return _Content(
            status=status,
            percent=percent,
            narrative=narrative,
            problems=problems.format(**values),
            next_steps=next_steps.format(**values),
        )

    @staticmethod
    def weaker(rng: random.Random, full: _Content) -> tuple[_Content, str]:
        """A first version that a reviewer would send back, and what was wrong with it."""
        in_progress = full.status in (ProgressStatus.ON_TRACK, ProgressStatus.AT_RISK)
        kinds = ["brief", "plan"] + (["percent"] if in_progress and full.percent <= 80 else [])
        kind = rng.choice(kinds)
        weak = _Content(**full.as_dict())
        if kind == "brief":
            weak.narrative = full.narrative.split("；")[0].split("。")[0] + "。"
        elif kind == "plan":
            weak.next_steps = ""
        else:
            weak.percent = full.percent + 10
        return weak, kind

    @staticmethod
    def fixed(rng: random.Random, full: _Content) -> _Content:
        """The corrected content: the full one with a supplement."""
        fix = _Content(**full.as_dict())
        extra = rng.choice(SUPPLEMENTS).format(
            k=rng.randint(2, 8), m=rng.randint(2, 15), x=f"{rng.uniform(0.3, 9):.1f}"
        )
        fix.narrative = full.narrative + extra
        return fix

    # workflow --------------------------------------------------------------------------------

    def report(
        self,
        rng: random.Random,
        duty: Duty,
        full: _Content,
        *,
        outcome: str,
        cycle: bool,
        late: bool,
        reporter: User,
        approver: User | None,
        office: User,
        cutoff: datetime | None = None,
    ) -> datetime:
        """One report with its versions and transitions; returns the time of its last event.
        ``cutoff`` (the open period): only what happened before it is kept."""
        period, clock = duty.period, self.clock
        opened = open_day(period, cutoff)
        start = clock.at(opened + timedelta(rng.randint(0, 9)), rng)
        report = ProgressReport(
            period=period,
            assignment=duty.assignment,
            unit=duty.unit,
            created_by=reporter,
            updated_by=reporter,
        )
        versions: list[tuple[_Content, datetime]] = []
        steps: list[tuple[str, str, str, User, str, datetime]] = []
        state: str = ReportState.DRAFT

        def step(action: str, to: str, actor: User, moment: datetime, comment: str = "") -> None:
            nonlocal state
            steps.append((action, state, to, actor, comment, moment))
            state = to

        def submit_day() -> date:
            if late:
                return period.due_date + timedelta(rng.randint(1, 12))
            if cutoff is not None:  # the open period: a working day before the demo day
                window = [opened + timedelta(d) for d in range(2, (cutoff.date() - opened).days)]
                return rng.choice([d for d in window if d.weekday() < 5] or window)
            # On time: a weekday from three days before the quarter's end to five days after
            # it, moved past a holiday to the next working day: never after the due date (the
            # 5th working day after the quarter's end).
            window = [period.end_date + timedelta(d - 3) for d in range(9)]
            day = rng.choice([d for d in window if d.weekday() < 5] or window)
            while not self.workdays.is_workday(day):
                day += timedelta(days=1)
            return min(day, period.due_date)

        returned = cycle or outcome == ReportState.RETURNED
        weak, kind = self.weaker(rng, full)
        if returned:
            versions.append((weak, start))
        elif rng.random() < 0.45:  # a first draft, completed later
            versions.append((weak, start))
            versions.append((full, start + timedelta(minutes=rng.randint(30, 60 * 30))))
        else:
            versions.append((full, start))
        moment = versions[-1][1]
        if outcome == ReportState.DRAFT:
            return self._add(report, versions, steps, state, moment, cutoff)

        moment = max(clock.at(submit_day(), rng), moment + timedelta(minutes=rng.randint(10, 90)))
        step("submit", ReportState.SUBMITTED, reporter, moment)
        submitted_at = moment
        if returned:
            by_approver = approver is not None and rng.random() < 0.5
            if approver is not None and not by_approver:
                moment = clock.later(moment, rng, 0, 2)
                step(
                    "approve", ReportState.APPROVED, approver, moment, rng.choice(APPROVE_COMMENTS)
                )
            moment = clock.later(moment, rng, 1, 3)
            comments = RETURN_APPROVER if by_approver else RETURN_OFFICE
            returner = approver if by_approver and approver else office
            step("return", ReportState.RETURNED, returner, moment, comments[kind])
            if outcome == ReportState.RETURNED:
                report.submitted_at = submitted_at
                return self._add(report, versions, steps, state, moment, cutoff)
            moment = clock.later(moment, rng, 0, 3)
            versions.append((self.fixed(rng, full), moment))
            moment = moment + timedelta(minutes=rng.randint(10, 120))
            step("submit", ReportState.SUBMITTED, reporter, moment)
            submitted_at = moment
        report.submitted_at = submitted_at
        if outcome in (ReportState.APPROVED, ReportState.ACCEPTED) and approver is not None:
            moment = clock.later(moment, rng, 0, 2)
            step("approve", ReportState.APPROVED, approver, moment, rng.choice(APPROVE_COMMENTS))
        if outcome == ReportState.ACCEPTED:
            moment = clock.later(moment, rng, 1, 5)
            step("accept", ReportState.ACCEPTED, office, moment, rng.choice(ACCEPT_COMMENTS))
            report.accepted_at = moment
        return self._add(report, versions, steps, state, moment, cutoff)

    def _add(
        self,
        report: ProgressReport,
        versions: list[tuple[_Content, datetime]],
        steps: list[tuple[str, str, str, User, str, datetime]],
        state: str,
        last: datetime,
        cutoff: datetime | None = None,
    ) -> datetime:
        if cutoff is not None:  # the report as it stands on the demo day
            versions = [v for v in versions if v[1] < cutoff]
            steps = [s for s in steps if s[5] < cutoff]
            state = steps[-1][2] if steps else ReportState.DRAFT
            submits = [s[5] for s in steps if s[0] == "submit"]
            accepts = [s[5] for s in steps if s[0] == "accept"]
            report.submitted_at = submits[-1] if submits else None
            report.accepted_at = accepts[-1] if accepts else None
            last = max([v[1] for v in versions] + [s[5] for s in steps])
        actions = [s[0] for s in steps]
        if "return" in actions and "submit" in actions[actions.index("return") :]:
            self.result.returned_fixed += 1
        current = versions[-1][0]
        for name, value in current.as_dict().items():
            setattr(report, name, value)
        report.state = state
        report.version = len(versions)
        self.reports.append(report)
        for number, (content, moment) in enumerate(versions, start=1):
            self.versions.append(
                ReportVersion(
                    report=report,
                    version=number,
                    edited_by=report.created_by,
                    created_at=moment,
                    **content.as_dict(),
                )
            )
        for action, from_state, to_state, actor, comment, moment in steps:
            self.transitions.append(
                ReportTransition(
                    report=report,
                    action=action,
                    from_state=from_state,
                    to_state=to_state,
                    actor=actor,
                    comment=comment,
                    created_at=moment,
                )
            )
        self.result.states[state] += 1
        self.result.statuses[current.status] += 1
        if report.submitted_at and report.submitted_at.astimezone(self.clock.tz).date() > (
            report.period.due_date
        ):
            self.result.late += 1
        return last


def _placeholder_username(unit: Unit) -> str:
    name = f"demo_{UNIT_ABBREVIATIONS.get(unit.name, f'unit{unit.pk}')}"
    return name if not User.objects.filter(username=name).exists() else f"demo_unit{unit.pk}"


def _actors(units: Sequence[Unit]) -> tuple[dict[int, User], dict[int, User], User, list[str]]:
    """Reporter and approver of each unit (existing accounts, active first), the office; units
    with no reporter get an inactive placeholder."""
    reporters: dict[int, User] = {}
    approvers: dict[int, User] = {}
    for user in User.objects.filter(
        unit__in=units, role__in=[Role.REPORTER, Role.APPROVER]
    ).order_by("-is_active", "id"):
        if user.role == Role.REPORTER:
            reporters.setdefault(user.unit_id, user)  # type: ignore[arg-type]
        elif user.is_active:
            approvers.setdefault(user.unit_id, user)  # type: ignore[arg-type]
    placeholders = []
    for unit in units:
        if unit.pk not in reporters:
            account = user_create(
                username=_placeholder_username(unit),
                role=Role.REPORTER,
                unit_name=unit.name,
                display_name=f"{unit.name}填报员（演示）",
                can_log_in=False,
            )
            reporters[unit.pk] = account.user
            placeholders.append(account.user.username)
    office = (
        User.objects.filter(role=Role.OFFICE, is_active=True).order_by("id").first()
        or User.objects.filter(role=Role.ADMIN, is_active=True).order_by("id").first()
    )
    if office is None:
        raise ApplicationError(
            "没有督查员（领导小组办公室）账号，无法生成审核记录：请先创建演示账号。"
        )
    return reporters, approvers, office, placeholders


def demo_data_exists(*, plan: Plan) -> int:
    """How many reports the plan has; demo data is generated only where there are none."""
    return ProgressReport.objects.filter(period__plan=plan).count()


@transaction.atomic
def demo_data_seed(*, plan: Plan, seed: int = SEED) -> DemoDataResult:
    """Periods, reports, versions and transitions for the plan (see the module's docstring);
    nothing at all if the plan has reports already."""
    if existing := demo_data_exists(plan=plan):
        return DemoDataResult(created=False, reports=existing)
    periods = periods_ensure(plan=plan)
    n = len(periods)
    duties = [duties_for_period(period) for period in periods]
    units = list({d.unit.pk: d.unit for d in duties[0]}.values())
    reporters, approvers, office, placeholders = _actors(units)
    leads = {
        (d.assignment.task_id, d.assignment.demo_id): d.assignment.unit.name
        for d in duties[0]
        if d.assignment.role == "lead"
    }
    writer = _Writer(periods=periods)
    writer.result.placeholders = placeholders
    cutoff = demo_cutoff(plan)
    last_event: dict[int, datetime] = {}
    by_key = [{(d.assignment.pk, d.unit.pk): d for d in period_duties} for period_duties in duties]
    for duty in duties[0]:
        a, unit = duty.assignment, duty.unit
        subject = f"task{a.task.seq}" if a.task_id else f"demo{a.demo.seq}"  # type: ignore[union-attr]
        # Not for secrets: reproducible demo data, the same on every database and every run.
        rng = random.Random(f"{seed}|{subject}|{a.unit.name}|{unit.name}")  # noqa: S311
        unit_rng = random.Random(f"{seed}|unit|{unit.name}")  # noqa: S311
        lateness = 0.15 if unit_rng.random() < 0.15 else 0.03
        track = _track_for(rng, duty, plan, n)
        lead = leads.get((a.task_id, a.demo_id), "")
        approver = approvers.get(unit.pk)
        for q in range(n):
            duty_q = by_key[q][(a.pk, unit.pk)]
            if q == n - 1:
                outcome = rng.choices(list(OPEN_OUTCOMES), weights=list(OPEN_OUTCOMES.values()))[0]
                if outcome == "missing":
                    writer.result.missing += 1
                    continue
                late = False
                cycle = outcome != ReportState.RETURNED and rng.random() < 0.05
            else:
                outcome = ReportState.ACCEPTED
                if q == n - 2 and rng.random() < 0.04:  # the office's backlog
                    outcome = ReportState.APPROVED
                late = rng.random() < lateness + (0.05 if q < 2 else 0)
                cycle = rng.random() < 0.08
            if outcome == ReportState.APPROVED and approver is None:
                outcome = ReportState.SUBMITTED
            full = writer.content(rng, duty_q, lead, track.statuses[q], track.percents[q])
            moment = writer.report(
                rng,
                duty_q,
                full,
                outcome=outcome,
                cycle=cycle and outcome != ReportState.DRAFT,
                late=late,
                reporter=reporters[unit.pk],
                approver=approver,
                office=office,
                cutoff=cutoff if q == n - 1 else None,
            )
            pk = duty_q.period.pk
            last_event[pk] = max(last_event.get(pk, moment), moment)

    ProgressReport.objects.bulk_create(writer.reports, batch_size=1000)
    ReportVersion.objects.bulk_create(writer.versions, batch_size=1000)
    ReportTransition.objects.bulk_create(writer.transitions, batch_size=1000)
    writer.result.milestones = demo_milestones_seed(
        plan=plan,
        rng=random.Random(f"{seed}|milestones"),  # noqa: S311 (reproducible demo data)
        reporters=reporters,
        office=office,
        reports=writer.reports,
        as_of=cutoff.date(),
    )
    # created_at and updated_at are auto_now fields, which an insert sets to now: give them the
    # times of each report's history (its first version; its last transition, else last version),
    # in one statement.
    versions = ReportVersion.objects.filter(report=OuterRef("pk"))
    transitions = ReportTransition.objects.filter(report=OuterRef("pk"))
    ProgressReport.objects.filter(period__plan=plan).update(
        created_at=Subquery(versions.order_by("version").values("created_at")[:1]),
        updated_at=Coalesce(
            Subquery(transitions.order_by("-created_at").values("created_at")[:1]),
            Subquery(versions.order_by("-version").values("created_at")[:1]),
        ),
    )

    clock = writer.clock
    for q, period in enumerate(periods):
        opened = open_day(period, cutoff if q == n - 1 else None)
        period.opened_at = datetime.combine(opened, time(8), tzinfo=clock.tz)
        if q == n - 1:
            period.state, period.closed_at = PeriodState.OPEN, None
        else:
            closing = datetime.combine(period.due_date + timedelta(30), time(17, 30), clock.tz)
            period.state = PeriodState.CLOSED
            period.closed_at = max(closing, last_event[period.pk] + timedelta(days=1))
    ReportingPeriod.objects.bulk_update(periods, ["state", "opened_at", "closed_at"])

    result = writer.result
    result.reports = len(writer.reports)
    result.transitions = len(writer.transitions)
    result.versions = len(writer.versions)
    ledger_rng = random.Random(f"{seed}|ledger")  # noqa: S311
    result.ledger_entries = demo_ledger_seed(
        plan=plan, rng=ledger_rng, reporters=reporters, office=office, as_of=cutoff.date()
    )
    result.directives = demo_directives_seed(plan=plan, office=office, reporters=reporters)
    return result
