"""seed_demo: demo accounts and four years of quarterly reporting that tell a plausible story.

The data is generated once for the module (committed, removed again at the end), since the tests
only read it; the tests that write run in their own transaction as usual.
"""

import contextlib
import io
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from datetime import time as day_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from tasks.lights import light_of_directive, overdue_milestones
from tasks.models import (
    AchievementEntry,
    Directive,
    DirectiveNumber,
    DirectiveState,
    Milestone,
    Plan,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    ReportState,
    ReportTransition,
    ReportVersion,
)
from tasks.reporting.selectors import duties_for_period, period_current, review_queue
from tasks.seed.day import demo_day
from tasks.seed.demo import demo_data_seed
from tests.conftest import demo_data_removed
from units.models import Role, Unit, User

pytestmark = pytest.mark.django_db

PLAN = "hefei-ai-2020-2023"
ACCOUNTS = yaml.safe_load(
    (Path(settings.BASE_DIR) / "fixtures" / "demo_accounts.yaml").read_text(encoding="utf-8")
)["accounts"]


def seed() -> str:
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(
    django_db_setup: None, django_db_blocker: Any, request: pytest.FixtureRequest
) -> Iterator[str]:
    """Run seed_demo once, report how long it took, and remove what it made afterwards."""
    with django_db_blocker.unblock():
        users_before = set(User.objects.values_list("pk", flat=True))
        started = time.perf_counter()
        output = seed()
        elapsed = time.perf_counter() - started
        # Shown in the test output whatever the capture mode (as capsys.disabled() does).
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
            print(
                f"\nseed_demo on PostgreSQL: {elapsed:.2f} s for "
                f"{ProgressReport.objects.count()} reports, {ReportTransition.objects.count()} "
                f"transitions, {ReportVersion.objects.count()} versions (not asserted; timing "
                "goals are for make bench)"
            )
        try:
            yield output
        finally:  # everything seed_demo made: later tests count milestones and the ledger
            demo_data_removed(users_before)


def counts() -> dict[str, int]:
    models = (User, Unit, ReportingPeriod, ProgressReport, ReportTransition, ReportVersion)
    return {m.__name__: m.objects.count() for m in models}


def periods() -> list[ReportingPeriod]:
    return list(ReportingPeriod.objects.filter(plan__code=PLAN).order_by("start_date"))


def is_late(report: ProgressReport) -> bool:
    submitted = report.submitted_at
    return bool(submitted and timezone.localdate(submitted) > report.period.due_date)


# --- accounts -----------------------------------------------------------------------------------


def test_seed_demo_says_it_is_demo_data_and_prints_the_demo_accounts(seeded: str) -> None:
    assert "演示数据" in seeded and "演示数据已生成" in seeded
    for account in ACCOUNTS:
        assert f"{account['username']}" in seeded and account["password"] in seeded
        user = User.objects.get(username=account["username"])
        assert user.check_password(account["password"]) and user.is_active
        assert not user.must_change_password
        assert user.role == account["role"]
        assert (user.unit.name if user.unit else None) == account.get("unit")


def test_the_demo_accounts_cover_units_with_and_without_an_approver(seeded: str) -> None:
    approvers = set(
        User.objects.filter(role=Role.APPROVER, is_active=True).values_list("unit__name", flat=True)
    )
    assert {"市科技局", "市经信局", "高新区管委会", "市教育局", "包河区政府"} <= approvers
    assert User.objects.filter(username="sfj_reporter", unit__name="市司法局").exists()
    assert "市司法局" not in approvers


def test_units_without_a_demo_account_report_through_an_inactive_placeholder(
    seeded: str,
) -> None:
    placeholders = User.objects.filter(username__startswith="demo_")
    assert placeholders.count() >= 30
    assert "另为没有演示账号的" in seeded
    for user in placeholders:
        assert not user.is_active and not user.has_usable_password()
        assert user.role == Role.REPORTER and user.unit is not None
    fgw = User.objects.get(username="demo_fgw")
    assert fgw.unit is not None
    assert fgw.unit.name == "市发改委" and fgw.display_name == "市发改委填报员（演示）"
    # The demo accounts are the reporters where a unit has one.
    kjj = ProgressReport.objects.filter(unit__name="市科技局")
    assert set(kjj.values_list("created_by__username", flat=True)) == {"kjj_reporter"}
    assert not ProgressReport.objects.filter(created_by=None).exists()


# --- periods and coverage -----------------------------------------------------------------------


def test_the_16_quarters_are_closed_except_the_last_which_is_open(seeded: str) -> None:
    ps = periods()
    assert [p.code for p in ps] == [f"{y}Q{q}" for y in range(2020, 2024) for q in range(1, 5)]
    assert [p.state for p in ps] == ["closed"] * 15 + ["open"]
    for p in ps[:-1]:
        assert p.opened_at is not None and p.closed_at is not None
        assert p.opened_at < p.closed_at and p.closed_at.date() > p.due_date
    assert ps[-1].opened_at and ps[-1].closed_at is None


def test_every_duty_of_every_closed_period_has_a_report_and_the_open_one_has_gaps(
    seeded: str,
) -> None:
    ps = periods()
    for period in ps[:-1]:
        duties = duties_for_period(period)
        assert len(duties) > 250
        missing = [d for d in duties if d.report is None]
        assert not missing, f"{period.code}: {len(missing)} duties without a report"
    open_duties = duties_for_period(ps[-1])
    states = Counter(d.state for d in open_duties)
    assert states["missing"] >= 10
    assert states[ReportState.DRAFT] >= 10
    assert states[ReportState.ACCEPTED] > len(open_duties) / 3
    assert states[ReportState.SUBMITTED] and states[ReportState.APPROVED]
    assert states[ReportState.RETURNED]
    all_duties = sum(len(duties_for_period(p)) for p in ps)
    assert ProgressReport.objects.count() == all_duties - states["missing"]


def test_the_reports_tell_a_varied_story(seeded: str) -> None:
    closed = ProgressReport.objects.filter(period__state="closed").select_related("period")
    states = Counter(closed.values_list("state", flat=True))
    assert states[ReportState.ACCEPTED] > 0.9 * closed.count()
    assert not states[ReportState.DRAFT] and not states[ReportState.RETURNED]

    late = [r for r in closed if is_late(r)]
    assert 0.03 * closed.count() < len(late) < 0.2 * closed.count()

    fixed = closed.filter(state=ReportState.ACCEPTED, transitions__action="return").distinct()
    assert fixed.count() > 100
    returns = ReportTransition.objects.filter(action="return")
    assert returns.filter(actor__role=Role.OFFICE).exists()
    assert returns.filter(actor__role=Role.APPROVER).exists()
    assert not returns.filter(comment="").exists()

    statuses = Counter(ProgressReport.objects.values_list("status", flat=True))
    assert statuses[ProgressStatus.AT_RISK] > 50 and statuses[ProgressStatus.DELAYED] > 50
    assert statuses[ProgressStatus.NOT_STARTED] and statuses[ProgressStatus.COMPLETED]

    office = User.objects.get(username="office")
    assert review_queue(office).exists()  # the office has work waiting in the demo


# --- the demo day -------------------------------------------------------------------------------


def test_the_demo_reads_as_a_live_quarter_on_the_demo_day(seeded: str) -> None:
    """`make run` runs on 2023-12-20 (SUPERVISION_TODAY): nothing is recorded on or after it,
    2023Q4 is open and due after it, and milestones fall due around it."""
    day = demo_day(Plan.objects.get(code=PLAN))
    assert day == date(2023, 12, 20)
    cutoff = datetime.combine(day, day_time(0), tzinfo=ZoneInfo("Asia/Shanghai"))
    stamps: dict[Any, list[str]] = {
        ProgressReport: ["created_at", "updated_at", "submitted_at", "accepted_at"],
        ReportTransition: ["created_at"],
        ReportVersion: ["created_at"],
        ReportingPeriod: ["opened_at", "closed_at"],
        Milestone: ["created_at", "done_at", "confirmed_at"],
        AchievementEntry: ["created_at", "verified_at"],
    }
    for model, names in stamps.items():
        for name in names:
            later = model.objects.filter(**{f"{name}__gte": cutoff})
            assert not later.exists(), (model.__name__, name, later.first())
    assert not AchievementEntry.objects.filter(date__gte=day).exists()

    with override_settings(SUPERVISION_TODAY=day.isoformat()):
        period = period_current()
        assert period is not None and period.code == "2023Q4" and period.is_open
        assert (
            period.opened_at is not None
            and period.opened_at < cutoff
            and period.due_date == date(2024, 1, 8)  # the 5th working day after 12-31 (元旦)
        )
        assert duties_for_period(period)[0].days_left == 19
        overdue = [m.overdue_days(day) for m in overdue_milestones(day).filter(year=2023)]
        red = settings.LIGHT_RED_OVERDUE_DAYS
        assert any(d > red for d in overdue) and any(0 < d <= red for d in overdue)
        assert max(overdue) < 120  # overdue by weeks, not years
        later = Milestone.objects.filter(year=2023, state="pending", due_date__gt=day)
        assert later.count() > 20  # still to do this quarter


# --- consistency --------------------------------------------------------------------------------


def test_transitions_and_versions_are_consistent_with_each_report(seeded: str) -> None:
    reports = list(ProgressReport.objects.select_related("period", "created_by"))
    transitions = defaultdict(list)
    for t in ReportTransition.objects.select_related("actor").order_by("created_at", "id"):
        transitions[t.report_id].append(t)
    versions = defaultdict(list)
    for v in ReportVersion.objects.order_by("version"):
        versions[v.report_id].append(v)
    with_approver = set(
        User.objects.filter(role=Role.APPROVER, is_active=True).values_list("unit_id", flat=True)
    )

    for report in reports:
        steps, saved = transitions[report.pk], versions[report.pk]
        label = f"{report.period.code} {report.pk}"
        # The chain of states: from a draft to the report's state.
        state: str = ReportState.DRAFT
        for t in steps:
            assert t.from_state == state, label
            state = t.to_state
        assert state == report.state, label
        expected_last = {
            ReportState.DRAFT: None,
            ReportState.SUBMITTED: "submit",
            ReportState.APPROVED: "approve",
            ReportState.RETURNED: "return",
            ReportState.ACCEPTED: "accept",
        }[ReportState(report.state)]
        assert (steps[-1].action if steps else None) == expected_last, label
        # Who did what: the unit's reporter submits, its approver approves, the office accepts.
        for t in steps:
            if t.action == "submit":
                assert t.actor == report.created_by and t.actor.unit_id == report.unit_id
            elif t.action == "approve":
                assert t.actor.role == Role.APPROVER and t.actor.unit_id == report.unit_id
            elif t.action == "accept":
                assert t.actor.role == Role.OFFICE
                via = ReportState.APPROVED if report.unit_id in with_approver else "submitted"
                assert t.from_state == via, label
            else:
                assert t.action == "return" and t.comment, label
                assert t.actor.role in (Role.APPROVER, Role.OFFICE)
        # When: in order, inside the period's life, matching the report's own times.
        times = [v.created_at for v in saved] + [t.created_at for t in steps]
        assert [t.created_at for t in steps] == sorted(t.created_at for t in steps), label
        assert [v.created_at for v in saved] == sorted(v.created_at for v in saved), label
        assert not steps or saved[0].created_at < steps[0].created_at, label
        assert report.created_at == saved[0].created_at, label
        assert report.updated_at == (steps[-1].created_at if steps else saved[-1].created_at)
        submits = [t.created_at for t in steps if t.action == "submit"]
        assert report.submitted_at == (submits[-1] if submits else None), label
        accepts = [t.created_at for t in steps if t.action == "accept"]
        assert report.accepted_at == (accepts[-1] if accepts else None), label
        if report.period.closed_at:
            assert max(times) < report.period.closed_at, label
        assert report.period.opened_at is not None, label
        assert min(times) >= report.period.opened_at, label
        # The versions: 1 … version, the last one is the report's content.
        assert [v.version for v in saved] == list(range(1, report.version + 1)), label
        last = saved[-1]
        for name in ("status", "percent", "narrative", "problems", "next_steps"):
            assert getattr(last, name) == getattr(report, name), (label, name)
        # A report that was sent back was changed before it was sent again.
        for i, t in enumerate(steps):
            if t.action == "return" and i + 1 < len(steps):
                assert any(t.created_at < v.created_at < steps[i + 1].created_at for v in saved)
        if report.state in (ReportState.SUBMITTED, ReportState.APPROVED, ReportState.ACCEPTED):
            assert report.status and report.narrative.strip(), label


def test_percent_never_decreases_for_a_duty_and_most_duties_finish(seeded: str) -> None:
    series: dict[tuple[int, int], list[int]] = defaultdict(list)
    for assignment, unit, percent in ProgressReport.objects.order_by(
        "period__start_date"
    ).values_list("assignment_id", "unit_id", "percent"):
        series[(assignment, unit)].append(percent)
    assert len(series) > 250
    for key, percents in series.items():
        assert percents == sorted(percents), (key, percents)
    finished = sum(1 for percents in series.values() if percents[-1] == 100)
    assert finished > 0.7 * len(series)
    assert any(percents[-1] < 100 for percents in series.values())  # a few fall short
    # A report's status agrees with its percent.
    reports = ProgressReport.objects.all()
    assert not reports.filter(status=ProgressStatus.NOT_STARTED).exclude(percent=0).exists()
    assert not reports.filter(status=ProgressStatus.COMPLETED).exclude(percent=100).exists()


def test_narratives_are_varied_chinese_built_from_the_task_and_the_unit(seeded: str) -> None:
    reports = list(
        ProgressReport.objects.select_related("unit", "assignment__task__item", "assignment__demo")
    )
    narratives = [r.narrative for r in reports]
    assert len(set(narratives)) > 0.95 * len(narratives)
    assert all(r.unit.name in r.narrative for r in reports)
    quoting = [
        r
        for r in reports
        if r.assignment.task
        and "“" in r.narrative
        and any(
            part in r.assignment.task.content
            for part in r.narrative.replace("”", "“").split("“")[1::2]
        )
    ]
    assert len(quoting) > 0.3 * len(reports)
    at_risk = ProgressReport.objects.filter(status=ProgressStatus.AT_RISK)
    assert all(r.problems for r in at_risk)


# --- running it again, refusing, reproducing ----------------------------------------------------


def test_the_demo_items_show_every_step_of_the_lifecycle_and_every_light(seeded: str) -> None:
    """督办事项 of the plan's last year as of the demo day: every state, numbered in the order
    issued, deadlines in working days, one extension that kept its original date."""
    items = list(Directive.objects.order_by("seq", "pk").prefetch_related("units", "steps"))
    assert {d.state for d in items} == set(DirectiveState.values)
    day = demo_day(Plan.objects.get(code=PLAN))
    assert {light_of_directive(d, day) for d in items} == {None, "red", "yellow", "green", "grey"}
    issued = [d for d in items if d.seq]
    moments = [d.issued_at for d in issued if d.issued_at is not None]
    assert len(moments) == len(issued) and moments == sorted(moments)
    assert DirectiveNumber.objects.get(year=day.year).last == len(issued)
    assert all(m.date() < day for m in moments)
    assert all(d.units.all()[0].role == "lead" for d in issued)
    (extended,) = [d for d in items if d.extended]
    assert extended.due_date and extended.original_due_date
    assert extended.due_date > extended.original_due_date
    assert all(d.steps.all()[0].action == "create" for d in items)


def test_running_seed_demo_again_changes_nothing(seeded: str) -> None:
    before = counts()
    latest = ProgressReport.objects.order_by("-updated_at").values_list("updated_at")[0]
    output = seed()
    assert "演示数据已存在" in output and "未作改动" in output
    assert counts() == before
    assert ProgressReport.objects.order_by("-updated_at").values_list("updated_at")[0] == latest


def test_seed_demo_refuses_without_debug_since_the_passwords_are_public(seeded: str) -> None:
    before = counts()
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", stdout=io.StringIO())
    assert counts() == before


def test_the_demo_data_is_the_same_every_time(seeded: str) -> None:
    def fingerprint() -> list[tuple]:
        return list(
            ProgressReport.objects.order_by("period__start_date", "assignment_id", "unit_id")
            .values_list(
                "period__code", "assignment_id", "unit_id", "state", "status", "percent",
                "narrative", "submitted_at", "accepted_at", "version",
            )
        )  # fmt: skip

    first = fingerprint()
    ProgressReport.objects.all().delete()
    demo_data_seed(plan=Plan.objects.get(code=PLAN))
    assert fingerprint() == first
