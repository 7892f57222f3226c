"""Lights from facts (tasks.lights) at the rule's boundary days, with time frozen.

The rule: red when a milestone is overdue by more than LIGHT_RED_OVERDUE_DAYS (30) days or the
report says 滞后; yellow when one is overdue or the report says 存在风险; green otherwise once
something was reported; grey when nothing was.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tasks.lights import Light, assignment_lights
from tasks.models import (
    Assignment,
    Milestone,
    ProgressReport,
    ReportingPeriod,
    ReportState,
)
from tests.plan.factories import assignment_of
from units.models import Unit

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
TODAY = date(2021, 9, 15)  # inside 2021Q3: its lights are as of today
FROZEN = "2021-09-15 10:00 +0800"


def milestone(assignment: Assignment, due: date, **fields) -> Milestone:
    unit = fields.pop("unit", assignment.unit)
    return Milestone.objects.create(
        assignment=assignment,
        unit=unit,
        year=due.year,
        title="完成实施方案编制",
        due_date=due,
        **fields,
    )


def report(
    period: ReportingPeriod, assignment: Assignment, status: str, **fields
) -> ProgressReport:
    unit = fields.pop("unit", assignment.unit)
    state = fields.pop("state", ReportState.SUBMITTED)
    return ProgressReport.objects.create(
        period=period, assignment=assignment, unit=unit, state=state, status=status, **fields
    )


def light(period: ReportingPeriod, assignment: Assignment) -> tuple[str, int, str]:
    facts = assignment_lights(period, [assignment.pk]).get(assignment.pk)
    return (facts.light, facts.overdue_days, facts.status) if facts else (Light.GREY, 0, "")


@pytest.fixture
def kjj() -> Assignment:
    return assignment_of(1, "市科技局")


@time_machine.travel(FROZEN, tick=False)
def test_a_milestone_due_yesterday_and_not_done_makes_the_light_yellow(period, kjj) -> None:
    milestone(kjj, TODAY - timedelta(days=1))
    assert light(period, kjj) == (Light.YELLOW, 1, "")


@time_machine.travel(FROZEN, tick=False)
def test_a_milestone_due_today_is_not_overdue_yet(period, kjj) -> None:
    milestone(kjj, TODAY)
    report(period, kjj, "on_track")
    assert light(period, kjj) == (Light.GREEN, 0, "on_track")


@time_machine.travel(FROZEN, tick=False)
@pytest.mark.parametrize(("days", "expected"), [(30, Light.YELLOW), (31, Light.RED)])
def test_overdue_by_exactly_thirty_days_is_yellow_and_by_thirty_one_red(
    period, kjj, days, expected
) -> None:
    milestone(kjj, TODAY - timedelta(days=days))
    report(period, kjj, "on_track")
    assert light(period, kjj) == (expected, days, "on_track")


@time_machine.travel(FROZEN, tick=False)
def test_a_milestone_done_before_the_as_of_day_is_not_overdue(period, kjj) -> None:
    done = datetime(2021, 9, 10, 16, 0, tzinfo=TZ)
    milestone(kjj, TODAY - timedelta(days=60), state="done", done_at=done)
    report(period, kjj, "on_track")
    assert light(period, kjj) == (Light.GREEN, 0, "on_track")


@time_machine.travel(FROZEN, tick=False)
def test_a_milestone_done_after_a_period_ended_was_overdue_in_that_period(period, kjj) -> None:
    q2 = ReportingPeriod.objects.get(code="2021Q2")  # ended 2021-06-30
    done = datetime(2021, 7, 20, 9, 0, tzinfo=TZ)
    milestone(kjj, date(2021, 5, 20), state="done", done_at=done)
    assert light(q2, kjj) == (Light.RED, 41, "")  # 2021-05-20 → 2021-06-30
    assert light(period, kjj) == (Light.GREY, 0, "")  # done by 2021Q3


@time_machine.travel(FROZEN, tick=False)
@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("delayed", Light.RED),
        ("at_risk", Light.YELLOW),
        ("on_track", Light.GREEN),
        ("completed", Light.GREEN),
        ("not_started", Light.GREEN),  # something was reported (the old per-report rule: grey)
    ],
)
def test_the_reported_status_sets_the_light_when_nothing_is_overdue(
    period, kjj, status, expected
) -> None:
    report(period, kjj, status)
    assert light(period, kjj) == (expected, 0, status)


@time_machine.travel(FROZEN, tick=False)
def test_nothing_reported_is_grey_and_a_draft_does_not_count(period, kjj) -> None:
    assert light(period, kjj) == (Light.GREY, 0, "")
    report(period, kjj, "delayed", state=ReportState.DRAFT)
    assert light(period, kjj) == (Light.GREY, 0, "")


@time_machine.travel(FROZEN, tick=False)
@pytest.mark.parametrize(
    ("state", "counts"),
    [
        (ReportState.DRAFT, False),
        (ReportState.RETURNED, False),  # counts for nobody, the office included
        (ReportState.SUBMITTED, True),
        (ReportState.APPROVED, True),
        (ReportState.ACCEPTED, True),
    ],
)
def test_a_report_counts_once_submitted_and_until_returned(period, kjj, state, counts) -> None:
    report(period, kjj, "delayed", state=state)
    assert light(period, kjj) == ((Light.RED, 0, "delayed") if counts else (Light.GREY, 0, ""))


@time_machine.travel(FROZEN, tick=False)
def test_a_groups_worst_member_status_counts(period) -> None:
    group = Unit.objects.filter(kind="group", members__isnull=False).distinct().first()
    assert group is not None
    assignment = Assignment.objects.filter(unit=group, task__isnull=False)[0]
    first, second, third = list(group.members.order_by("sort_order"))[:3]
    report(period, assignment, "on_track", unit=first)
    report(period, assignment, "at_risk", unit=second)
    assert light(period, assignment) == (Light.YELLOW, 0, "at_risk")
    report(period, assignment, "delayed", unit=third)
    assert light(period, assignment) == (Light.RED, 0, "delayed")


@time_machine.travel(FROZEN, tick=False)
def test_a_proposal_the_office_has_not_confirmed_does_not_count(period, kjj) -> None:
    proposed = milestone(kjj, TODAY - timedelta(days=45), arrangement_confirmed=False)
    report(period, kjj, "on_track")
    assert light(period, kjj) == (Light.GREEN, 0, "on_track")
    Milestone.objects.filter(pk=proposed.pk).update(arrangement_confirmed=True)
    assert light(period, kjj) == (Light.RED, 45, "on_track")


@time_machine.travel(FROZEN, tick=False)
def test_the_thresholds_are_settings(period, kjj, settings) -> None:
    milestone(kjj, TODAY - timedelta(days=15))
    report(period, kjj, "on_track")
    assert light(period, kjj)[0] == Light.YELLOW
    settings.LIGHT_RED_OVERDUE_DAYS = 10
    assert light(period, kjj)[0] == Light.RED
    settings.LIGHT_RED_OVERDUE_DAYS = 30
    settings.LIGHT_YELLOW_OVERDUE_DAYS = 20  # a grace period before yellow
    assert light(period, kjj)[0] == Light.GREEN


@time_machine.travel(FROZEN, tick=False)
def test_the_most_overdue_milestone_decides(period, kjj) -> None:
    milestone(kjj, TODAY - timedelta(days=3))
    milestone(kjj, TODAY - timedelta(days=40))
    milestone(
        kjj, TODAY - timedelta(days=90), state="confirmed", done_at=datetime(2021, 6, 1, tzinfo=TZ)
    )
    assert light(period, kjj) == (Light.RED, 40, "")
