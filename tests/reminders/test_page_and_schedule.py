"""The period page marks the escalated units; the daily job is on beat's schedule at 09:00."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask

from tasks.jobs import send_reminders_daily
from tasks.reminders.models import Escalation
from tasks.reminders.services import reminders_sweep
from units.models import Unit
from units.notifications.models import Notice

pytestmark = pytest.mark.django_db


def page(client: Client, code: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"/periods/{code}/")
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_the_period_page_marks_the_escalated_units(people, period) -> None:
    client = Client()
    client.force_login(people["office"])
    html, before = page(client, period.code)
    assert "已催办" not in html
    reminders_sweep(as_of=date(2021, 10, 18))  # 3 working days after the due date
    html, after = page(client, period.code)
    kjj = Unit.objects.get(name="市科技局")
    assert Escalation.objects.filter(period=period, unit=kjj).exists()
    start = html.index(f'id="unit-{kjj.pk}"')
    assert "已催办" in html[start : html.index("</summary>", start)]
    assert after == before  # one query for the marks, whether there are any or not


def test_setup_schedules_adds_the_daily_sweep_at_9_and_keeps_the_offices_edits() -> None:
    out = io.StringIO()
    call_command("setup_schedules", stdout=out)
    task = PeriodicTask.objects.get(task="tasks.jobs.send_reminders_daily")
    assert (task.crontab.minute, task.crontab.hour) == ("0", "9")
    assert str(task.crontab.timezone) == "Asia/Shanghai" and task.enabled
    task.enabled = False  # the office switches it off in the admin
    task.save()
    call_command("setup_schedules", stdout=out)
    assert not PeriodicTask.objects.get(pk=task.pk).enabled
    assert PeriodicTask.objects.filter(task="tasks.jobs.send_reminders_daily").count() == 1


def test_the_daily_job_sweeps_as_of_the_clocks_today(people, period, settings) -> None:
    settings.SUPERVISION_TODAY = "2021-10-12"
    assert "新发送提醒" in send_reminders_daily()
    assert Notice.objects.filter(rule="due_soon", recipient=people["kjj_reporter"]).exists()
    settings.SUPERVISION_TODAY = "2021-10-16"  # a Saturday
    assert send_reminders_daily() == "2021-10-16 不是工作日，未发送提醒。"
