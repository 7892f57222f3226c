"""Issue #9, end to end with real processes: the suite's Redis as the broker, a Celery worker
process, the mail on a local SMTP server (aiosmtpd), the group robot on a local HTTP server.

The daily sweep (``tasks.jobs.send_reminders_daily``) is sent through the broker as beat sends
it; the worker is killed (SIGKILL) in the middle of the sweep and again in the middle of the
deliveries; new workers finish the work, and each expected notice exists once, each mail and each
robot message arrives once.
"""

import os
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from hefei_ai_zone.celery import app as celery_app
from tasks.jobs import send_reminders_daily
from tasks.models import Plan, ReportingPeriod
from tasks.reminders.models import ReminderRule
from tasks.reporting.selectors import duties_for_period
from tasks.reporting.services import periods_ensure
from units.jobs import deliver_pending
from units.models import Role, Unit, User
from units.notifications.models import Delivery, DeliveryState, Notice, Webhook

from .processes import kill, start_worker, stop, wait_for
from .servers import smtp_server

SWEEP_DAY = date(2021, 10, 14)  # the first working day after 2021Q3's due date (13 Oct)
FINAL = (DeliveryState.SENT, DeliveryState.FAILED)


def given_a_period_overdue_and_a_reporter_per_unit(robot_url: str) -> tuple[ReportingPeriod, set]:
    """2021Q3 open on its first day overdue; the overdue rule (the flush of the transactional
    tests removed the seeded rules); a reporter with an address in every unit; a group robot of
    two units. Returns the period and the units whose duties are open."""
    periods_ensure(plan=Plan.objects.get(code="hefei-ai-2020-2023"))
    ReportingPeriod.objects.update(state="planned")
    ReportingPeriod.objects.filter(code="2021Q3").update(state="open")
    period = ReportingPeriod.objects.get(code="2021Q3")
    ReminderRule.objects.all().delete()
    ReminderRule.objects.create(
        code="overdue", name="逾期提醒", kind="overdue", offsets="1", recipients="reporter"
    )
    late = sorted({d.unit.pk for d in duties_for_period(period) if not d.is_submitted})
    assert len(late) >= 10
    for unit in Unit.objects.filter(pk__in=late):
        User.objects.create_user(
            username=f"r{unit.pk}",
            password="pw-for-tests-1",
            role=Role.REPORTER,
            unit=unit,
            email=f"r{unit.pk}@demo.hefei.local",
        )
    for unit_id in late[:2]:
        Webhook.objects.create(
            unit_id=unit_id, kind="wecom", name=f"群{unit_id}", url=f"{robot_url}?key=k{unit_id}"
        )
    return period, set(late)


def worker(smtp_port: int) -> Any:
    return start_worker(
        smtp_port,
        SUPERVISION_TODAY=SWEEP_DAY.isoformat(),
        REMINDERS_SWEEP_PAUSE="0.2",
        NOTICE_MAX_ATTEMPTS="5",
    )


def after_the_lease() -> Any:
    return time_machine.travel(timezone.now() + timedelta(minutes=6), tick=True)


@pytest.mark.django_db(transaction=True)
def test_the_sweep_through_the_broker_survives_killed_workers_each_notice_once(
    committed_plan: None, robot: Any
) -> None:
    period, late = given_a_period_overdue_and_a_reporter_per_unit(robot.url("/cgi-bin/webhook"))
    expected_keys = {f"overdue:period:{period.pk}:unit:{u}:step:1" for u in late}
    outputs: list[str] = []
    celery_app.control.purge()  # jobs enqueued by earlier tests whose rows are gone
    with smtp_server() as mailbox:
        # 1. The sweep through the broker; the worker killed when three units were told.
        first = worker(mailbox.port)
        try:
            send_reminders_daily.apply_async()
            assert wait_for(lambda: Notice.objects.count() >= 3, 90), stop(first)
        finally:
            outputs.append(kill(first))
        told = Notice.objects.count()
        assert 3 <= told < len(late), "the sweep was not killed in its middle"
        assert not mailbox.messages or len(mailbox.messages) <= told

        # 2. A new worker: the sweep sent again (beat's next run, or acks_late's redelivery),
        # killed in the middle of the deliveries (at the SMTP server, before it answers).
        second = worker(mailbox.port)
        half = len(late) // 2

        def kill_at_half(message: Any) -> None:
            if len(mailbox.messages) == half and second.poll() is None:
                second.kill()

        mailbox.on_data = kill_at_half
        try:
            send_reminders_daily.apply_async()
            assert wait_for(lambda: second.poll() is not None, 120), stop(second)
        finally:
            outputs.append(kill(second))
        mailbox.on_data = None
        assert half <= len(mailbox.messages) < len(late), outputs[-1]

        # 3. A third worker; the sweep once more, and deliver_pending (beat) after the lease.
        third = worker(mailbox.port)
        try:
            send_reminders_daily.apply_async()
            assert wait_for(lambda: Notice.objects.count() == len(late), 120), stop(third)
            with after_the_lease():
                deliver_pending.apply()
            assert wait_for(lambda: not Delivery.objects.exclude(state__in=FINAL).exists(), 120), (
                stop(third)
            )
            wait_for(lambda: False, 2)  # a second mail, were there one, would have come by now
        finally:
            outputs.append(stop(third))

    log = "\n".join(outputs)
    # Each expected notice once.
    assert set(Notice.objects.values_list("key", flat=True)) == expected_keys, log
    assert Notice.objects.count() == len(late)
    # Each mail once, to each reporter.
    received = Counter(str(m["To"]) for m in mailbox.messages)
    assert received == Counter({f"r{u}@demo.hefei.local": 1 for u in late}), log
    # Each group message once, to each robot.
    assert Counter(r["query"]["key"] for r in robot.received) == Counter(
        {f"k{u}": 1 for u in sorted(late)[:2]}
    ), log
    # The one killed inside the SMTP exchange is 结果未知 (its mail arrived): never sent twice.
    unknown = Delivery.objects.filter(state=DeliveryState.FAILED)
    assert unknown.count() <= 1, log
    assert all(d.last_error.startswith("结果未知") for d in unknown)
    assert os.environ.get("REMINDERS_SWEEP_PAUSE") is None  # the hook is off in this process
