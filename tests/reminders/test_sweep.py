"""The daily sweep: each rule on its working days across the holidays, nothing on rest days,
the rest days caught up, nothing twice, and a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tasks.milestones.models import Milestone
from tasks.models import Assignment, AssignmentRole, ReportingPeriod
from tasks.reminders.models import Escalation, ReminderRule
from tasks.reminders.services import reminders_sweep
from tasks.reporting.selectors import duties_for_unit
from tasks.workdays.selectors import add_workdays, is_workday, workdays_between
from tests.plan.factories import TaskFactory, assignment_of
from units.models import Unit, User
from units.notifications.models import Notice

pytestmark = pytest.mark.django_db


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def sweep_each_day(first: date, last: date) -> dict[date, int]:
    """Sweep every day in order; the notices each day wrote."""
    return {d: reminders_sweep(as_of=d).notices for d in days(first, last)}


def notice_days(user: User, rule: str) -> list[tuple[date, str]]:
    """(the day the sweep wrote it, the step in its key) of a person's notices of a rule."""
    return [
        (n.created_at.date(), n.key.split(":step:")[1].split(":")[0])
        for n in Notice.objects.filter(recipient=user, rule=rule).order_by("created_at", "id")
    ]


@pytest.fixture
def sweeping(time_machine):
    """Sweep day by day with the clock on that day (the notices' created_at says when)."""

    def run(first: date, last: date) -> dict[date, int]:
        written = {}
        for d in days(first, last):
            time_machine.move_to(f"{d.isoformat()} 09:00 +08:00", tick=False)
            written[d] = reminders_sweep(as_of=d).notices
        return written

    return run


def test_the_due_soon_steps_fall_on_working_days_across_national_day(
    people, period, sweeping
) -> None:
    # 2021Q3 is due 2021-10-13, the 5th working day after 30 Sept (1-7 Oct off, Sat 9 Oct works)
    assert period.due_date == date(2021, 10, 13)
    assert is_workday(date(2021, 10, 9)) and not is_workday(date(2021, 10, 7))
    # 5 working days before: 30 Sept (30 Sept, 8, 9, 11, 12 Oct lie between) — not 29 Sept
    assert workdays_between(date(2021, 9, 30), period.due_date) == 5
    assert workdays_between(date(2021, 9, 29), period.due_date) == 6
    written = sweeping(date(2021, 9, 25), date(2021, 10, 19))
    assert notice_days(people["kjj_reporter"], "due_soon") == [
        (date(2021, 9, 30), "5"),
        (date(2021, 10, 9), "3"),  # the 调休 Saturday
        (date(2021, 10, 12), "1"),
    ]
    # overdue: the first working day after the due date, to reporters and the approver
    assert notice_days(people["kjj_reporter"], "overdue") == [(date(2021, 10, 14), "1")]
    assert notice_days(people["kjj_approver"], "overdue") == [(date(2021, 10, 14), "1")]
    # escalation: 3 working days overdue, to the approver (联络员 for now) and the office
    assert add_workdays(period.due_date, 3) == date(2021, 10, 18)
    assert notice_days(people["kjj_approver"], "escalation") == [(date(2021, 10, 18), "3")]
    assert notice_days(people["office"], "escalation")[0] == (date(2021, 10, 18), "3")
    assert not Notice.objects.filter(recipient=people["kjj_reporter"], rule="escalation").exists()
    office_notice = Notice.objects.filter(recipient=people["office"], rule="escalation").first()
    assert office_notice and office_notice.link.startswith("/periods/2021Q3/#unit-")
    # the duties escalated are marked, once each
    kjj = Unit.objects.get(name="市科技局")
    marked = Escalation.objects.filter(period=period, unit=kjj)
    assert marked.exists() and {e.escalated_on for e in marked} == {date(2021, 10, 18)}
    # nothing on a rest day (1-7 Oct, the weekends)
    for d, count in written.items():
        if not is_workday(d):
            assert count == 0, d


def test_a_submitted_report_is_not_reminded(people, period) -> None:
    from tasks.reporting import services as svc

    kjj = Unit.objects.get(name="市科技局")
    for duty in duties_for_unit(kjj, period):
        report = svc.report_start(
            actor=people["kjj_reporter"],
            assignment=duty.assignment,
            period=period,
            status="on_track",
            percent=40,
            narrative="已完成。",
        )
        svc.report_submit(actor=people["kjj_reporter"], report=report)
    Notice.objects.all().delete()
    reminders_sweep(as_of=date(2021, 10, 12))
    assert not Notice.objects.filter(recipient=people["kjj_reporter"]).exists()
    assert Notice.objects.filter(recipient=people["fgw_reporter"], rule="due_soon").exists()


def test_send_reminders_for_every_day_of_october_twice_sends_nothing_the_second_time(
    people, period
) -> None:
    first = dict(sweep_each_day(date(2021, 10, 1), date(2021, 10, 31)))
    total = Notice.objects.count()
    assert sum(first.values()) == total > 0
    assert all(count == 0 for d, count in first.items() if not is_workday(d))
    for d in days(date(2021, 10, 1), date(2021, 10, 31)):
        call_command("send_reminders", "--date", d.isoformat(), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Notice.objects.count() == total


def test_a_rest_day_sweep_sends_nothing_and_the_next_working_day_catches_up(people, period) -> None:
    # the office has a milestone told on its very day (offset 0); it is due on a Saturday
    ReminderRule.objects.filter(code="milestone_soon").update(offsets="0")
    saturday = date(2021, 10, 16)
    Milestone.objects.create(
        assignment=assignment_of(1, "市科技局"),
        unit=Unit.objects.get(name="市科技局"),
        year=2021,
        title="完成算力平台一期建设",
        due_date=saturday,
    )
    reporter = people["kjj_reporter"]
    friday = reminders_sweep(as_of=date(2021, 10, 15))
    assert not Notice.objects.filter(recipient=reporter, rule="milestone_soon").exists()
    rest = reminders_sweep(as_of=saturday)
    assert not rest.workday and rest.notices == 0
    assert reminders_sweep(as_of=date(2021, 10, 17)).notices == 0
    monday = reminders_sweep(as_of=date(2021, 10, 18))
    assert Notice.objects.filter(recipient=reporter, rule="milestone_soon").count() == 1
    assert friday.workday and monday.workday
    # never later than that rest span: Tuesday does not send it again or late
    reminders_sweep(as_of=date(2021, 10, 19))
    assert Notice.objects.filter(recipient=reporter, rule="milestone_soon").count() == 1


def test_a_milestone_5_working_days_ahead_across_spring_festival(people, period) -> None:
    # Spring Festival 2022: 31 Jan – 6 Feb off, Sat 29 and Sun 30 Jan work
    due = date(2022, 2, 8)
    Milestone.objects.create(
        assignment=assignment_of(1, "市科技局"),
        unit=Unit.objects.get(name="市科技局"),
        year=2022,
        title="发布场景清单",
        due_date=due,
    )
    ReportingPeriod.objects.update(state="planned")
    assert workdays_between(date(2022, 1, 27), due) == 5
    sent = {d: n for d, n in sweep_each_day(date(2022, 1, 20), date(2022, 2, 8)).items() if n}
    assert list(sent) == [date(2022, 1, 27)]
    assert (
        Notice.objects.filter(recipient=people["kjj_reporter"], rule="milestone_soon").count() == 1
    )


def test_new_year_due_soon_steps(people, period) -> None:
    # 2021Q4 is due 2022-01-10 (1 and 3 Jan off); its steps: 31 Dec, 5 Jan, 7 Jan
    ReportingPeriod.objects.update(state="planned")
    q4 = ReportingPeriod.objects.get(code="2021Q4")
    q4.state = "open"
    q4.save()
    assert q4.due_date == date(2022, 1, 10)
    written = sweep_each_day(date(2021, 12, 27), date(2022, 1, 10))
    assert [d for d, n in written.items() if n] == [
        date(2021, 12, 31),
        date(2022, 1, 5),
        date(2022, 1, 7),
    ]


def test_returned_and_not_resubmitted_is_told_again_after_3_working_days(people, period) -> None:
    from tasks.reporting import services as svc

    report = svc.report_start(
        actor=people["kjj_reporter"],
        assignment=assignment_of(1, "市科技局"),
        period=period,
        status="on_track",
        percent=40,
        narrative="已完成。",
    )
    svc.report_submit(actor=people["kjj_reporter"], report=report)
    svc.report_return(actor=people["kjj_approver"], report=report, comment="请补充数据。")
    returned_on = timezone.localdate(report.transitions.get(action="return").created_at)
    third = add_workdays(returned_on, 3)
    reminders_sweep(as_of=add_workdays(returned_on, 2))
    assert not Notice.objects.filter(rule="returned_again").exists()
    reminders_sweep(as_of=third)
    reminders_sweep(as_of=third)
    [notice] = Notice.objects.filter(rule="returned_again", recipient=people["kjj_reporter"])
    assert notice.link == f"/reports/{report.pk}/"


def test_an_inactive_rule_sends_nothing(people, period) -> None:
    ReminderRule.objects.filter(code="due_soon").update(active=False)
    reminders_sweep(as_of=date(2021, 10, 12))
    assert not Notice.objects.filter(rule="due_soon").exists()


def test_bad_dates_and_missing_years_have_chinese_errors(db) -> None:
    with pytest.raises(CommandError, match="日期“2021-13-01”无效"):
        call_command("send_reminders", "--date", "2021-13-01")
    with pytest.raises(CommandError, match="2031年的工作日安排尚未录入"):
        call_command("send_reminders", "--date", "2031-03-03")


def test_the_sweep_takes_the_same_queries_whatever_the_number_of_assignments(
    people, period
) -> None:
    kjj = Unit.objects.get(name="市科技局")

    def more_duties(n: int) -> None:
        for task in TaskFactory.create_batch(n):
            Assignment.objects.create(task=task, unit=kjj, order=1, role=AssignmentRole.LEAD)

    def queries() -> int:
        Notice.objects.all().delete()
        Escalation.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            reminders_sweep(as_of=date(2021, 10, 18))  # overdue? no: escalation day
        return len(ctx.captured_queries)

    more_duties(2)
    small = queries()
    more_duties(40)
    assert queries() == small
