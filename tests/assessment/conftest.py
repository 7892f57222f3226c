"""A small plan of three units for 2025, every fact written out, so that the scores can be
checked by hand (tests/assessment/test_scoring.py holds the arithmetic)."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tasks.directives.models import Directive, DirectiveExtension, DirectiveUnit
from tasks.models import (
    Assignment,
    Milestone,
    Plan,
    ProgressReport,
    ReportingPeriod,
    ReportTransition,
    Section,
    Task,
)
from tasks.supervision.models import SupervisionOrder, Urge
from tests.units.factories import UnitFactory, make_user
from units.models import Role, Unit, User

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = "2026-03-01 09:30 +0800"


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    """Today is 1 March 2026: the year 2025 is over, 2026 has begun."""
    with time_machine.travel(TODAY, tick=False):
        yield


@dataclass
class Small:
    plan: Plan
    a: Unit  # 甲局
    b: Unit  # 乙局
    c: Unit  # 丙局
    q1: ReportingPeriod
    q2: ReportingPeriod


def report(period, assignment, unit, *, status, on_time=True, state="accepted"):
    submitted = (
        period.due_date if on_time else date(period.due_date.year, period.due_date.month, 28)
    )
    return ProgressReport.objects.create(
        period=period,
        assignment=assignment,
        unit=unit,
        state=state,
        status=status,
        submitted_at=at(submitted.year, submitted.month, submitted.day),
    )


def make_small_plan() -> Small:
    Plan.objects.update(is_current=False)
    plan = Plan.objects.create(code="test-2025", name="测试方案", start_year=2025, end_year=2026)
    section = Section.objects.create(
        plan=plan, code="1.1", part="一、重点任务", number="（一）", title="测试板块", seq=1
    )
    t1 = Task.objects.create(plan=plan, section=section, seq=1, code="1", content="任务一")
    t2 = Task.objects.create(plan=plan, section=section, seq=2, code="2", content="任务二")
    a = UnitFactory.create(name="甲局", sort_order=1)
    b = UnitFactory.create(name="乙局", sort_order=2)
    c = UnitFactory.create(name="丙局", sort_order=3)
    a1 = Assignment.objects.create(task=t1, unit=a, role="lead", order=1)
    b1 = Assignment.objects.create(task=t1, unit=b, role="co", order=2)
    c2 = Assignment.objects.create(task=t2, unit=c, role="lead", order=1)
    b2 = Assignment.objects.create(task=t2, unit=b, role="co", order=2)
    q1 = ReportingPeriod.objects.create(
        plan=plan, code="2025Q1", year=2025, quarter=1, start_date=date(2025, 1, 1),
        end_date=date(2025, 3, 31), due_date=date(2025, 4, 8), state="closed",
    )  # fmt: skip
    q2 = ReportingPeriod.objects.create(
        plan=plan, code="2025Q2", year=2025, quarter=2, start_date=date(2025, 4, 1),
        end_date=date(2025, 6, 30), due_date=date(2025, 7, 8), state="closed",
    )  # fmt: skip
    # 甲局 (1 duty × 2 periods): Q1 on time 按计划推进; Q2 late (28 Jul), 滞后
    report(q1, a1, a, status="on_track")
    late = report(q2, a1, a, status="delayed", on_time=False)
    # 乙局 (2 duties × 2 periods): three on time, on track or completed; Q2 task 2 missing
    report(q1, b1, b, status="on_track")
    report(q1, b2, b, status="on_track")
    report(q2, b1, b, status="completed")
    # 丙局 (1 duty × 2 periods): both on time, on track
    report(q1, c2, c, status="on_track")
    report(q2, c2, c, status="on_track")
    # 甲局's Q2 report was returned once in 2025 (and one return in 2024: not counted)
    for when in (at(2025, 7, 20), at(2024, 12, 1)):
        ReportTransition.objects.create(
            report=late, action="return", from_state="approved", to_state="returned",
            created_at=when,
        )  # fmt: skip
    # milestones: 甲局 one met, one never done (overdue); 丙局 one done late (5 Jun > 31 May)
    ms = {"arrangement_confirmed": True, "year": 2025}
    Milestone.objects.create(
        assignment=a1, unit=a, title="甲一", due_date=date(2025, 6, 30), done_at=at(2025, 6, 20),
        **ms,
    )  # fmt: skip
    Milestone.objects.create(assignment=a1, unit=a, title="甲二", due_date=date(2025, 9, 30), **ms)
    Milestone.objects.create(
        assignment=c2, unit=c, title="丙一", due_date=date(2025, 5, 31), done_at=at(2025, 6, 5),
        **ms,
    )  # fmt: skip
    # 催办: 乙局 twice in 2025 (once in 2026: not counted); 督办单: 丙局 one in 2025
    for when in (at(2025, 4, 10), at(2025, 7, 10), at(2026, 1, 10)):
        Urge.objects.create(period=q1, unit=b, message="请尽快报送", sent_at=when)
    SupervisionOrder.objects.create(
        year=2025, seq=1, task=t2, unit=c, facts="节点滞后", reply_workdays=5,
        due_date=date(2025, 6, 20),
    )  # fmt: skip
    # 督办事项: 甲局 leads one closed on 20 Oct, before its (extended) deadline of 31 Oct, one
    # extension approved on 1 Oct; 丙局 leads one due 30 Nov and still open
    d1 = Directive.objects.create(
        title="事项一", source="meeting", requirement="办理", state="closed",
        due_date=date(2025, 10, 31), original_due_date=date(2025, 9, 30),
        closed_at=at(2025, 10, 20), year=2025, seq=1,
    )  # fmt: skip
    DirectiveUnit.objects.create(directive=d1, unit=a, role="lead")
    DirectiveUnit.objects.create(directive=d1, unit=b, role="co")
    DirectiveExtension.objects.create(
        directive=d1, unit=a, from_date=date(2025, 9, 30), to_date=date(2025, 10, 31),
        reason="需协调", state="approved", decided_at=at(2025, 10, 1),
    )  # fmt: skip
    d2 = Directive.objects.create(
        title="事项二", source="higher", requirement="办理", state="in_progress",
        due_date=date(2025, 11, 30), original_due_date=date(2025, 11, 30), year=2025, seq=2,
    )  # fmt: skip
    DirectiveUnit.objects.create(directive=d2, unit=c, role="lead")
    return Small(plan, a, b, c, q1, q2)


@pytest.fixture
def small(db: None) -> Small:
    return make_small_plan()


@pytest.fixture
def people(db: None) -> dict[str, User]:
    return {
        "office": make_user("a-office", Role.OFFICE, unit=None),
        "leader": make_user("a-leader", Role.LEADER, unit=None),
        "auditor": make_user("a-auditor", Role.AUDITOR, unit=None),
    }


# The rules of 2025 (version 1) the hand calculation uses.
RULES_2025 = {
    "w_on_time": 30, "w_on_track": 20, "w_milestones": 20, "w_directives": 30,
    "d_extensions": 1, "d_urges": 1, "d_orders": 2, "d_returns": "0.5",
    "d_overdue_milestones": 2, "cap_urges": "1.5", "note": "2025年细则",
}  # fmt: skip
