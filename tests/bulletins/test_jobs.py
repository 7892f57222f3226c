"""The daily job drafts a quarter's bulletin on the working day after its due date, once, and
starts its PDF and Word builds; the schedule is created by setup_schedules."""

import datetime
import io
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from reports.bulletins.models import Bulletin
from reports.documents.models import DocumentBuild
from reports.jobs import draft_bulletins_daily
from tasks.models import ReportingPeriod

pytestmark = pytest.mark.django_db


def at(day: str) -> Any:
    return time_machine.travel(f"{day} 09:30 +0800", tick=False)


def test_the_job_drafts_on_the_working_day_after_the_due_date_only_and_once(
    demo: None, django_capture_on_commit_callbacks: Any
) -> None:
    period = ReportingPeriod.objects.get(code="2021Q3")
    assert period.due_date == datetime.date(2021, 10, 13)  # Wednesday, after 国庆
    for day in ("2021-10-12", "2021-10-13"):
        with at(day), django_capture_on_commit_callbacks(execute=True):
            draft_bulletins_daily()
        assert not Bulletin.objects.filter(period=period).exists(), day
    with at("2021-10-14"), django_capture_on_commit_callbacks(execute=True):
        draft_bulletins_daily()
    bulletin = Bulletin.objects.get(period=period)
    assert bulletin.title == "2021年第三季度督查通报" and not bulletin.is_published
    builds = DocumentBuild.objects.filter(kind="bulletin", params={"period": "2021Q3"})
    assert sorted(builds.values_list("fmt", flat=True)) == ["docx", "pdf"]
    with at("2021-10-14"), django_capture_on_commit_callbacks(execute=True):
        draft_bulletins_daily()  # again: nothing new
    with at("2021-10-15"), django_capture_on_commit_callbacks(execute=True):
        draft_bulletins_daily()
    assert Bulletin.objects.count() == 1
    assert builds.count() == 2


def test_a_due_date_before_a_weekend_drafts_on_monday(
    demo: None, django_capture_on_commit_callbacks: Any
) -> None:
    period = ReportingPeriod.objects.get(code="2022Q1")
    due = period.due_date
    # the next working day after the due date, found by walking the calendar here
    from tasks.workdays.selectors import is_workday

    day = due + datetime.timedelta(days=1)
    while not is_workday(day):
        day += datetime.timedelta(days=1)
    before = day - datetime.timedelta(days=1)
    if before > due:
        with at(before.isoformat()), django_capture_on_commit_callbacks(execute=True):
            draft_bulletins_daily()
        assert not Bulletin.objects.filter(period=period).exists()
    with at(day.isoformat()), django_capture_on_commit_callbacks(execute=True):
        draft_bulletins_daily()
    assert Bulletin.objects.filter(period=period).exists()


def test_setup_schedules_creates_the_daily_drafting_at_0930() -> None:
    call_command("setup_schedules", stdout=io.StringIO())
    task = PeriodicTask.objects.get(task="reports.jobs.draft_bulletins_daily")
    assert task.crontab is not None
    assert (task.crontab.hour, task.crontab.minute) == ("9", "30")
    assert str(task.crontab.timezone) == "Asia/Shanghai"
