"""Issue #9: Redis down does not lose a notice. The test's own redis-server (not the suite's) is
the broker of a real worker and of the request side; it is stopped, a report is saved and
submitted (the request succeeds, the delivery waits in the database), Redis is started again on
the same port, and ``deliver_pending`` (the beat job) sent through the worker delivers the mail."""

from collections.abc import Iterator

import pytest
from django.utils import timezone

from hefei_ai_zone.celery import app as celery_app
from tasks.models import Plan, ReportingPeriod
from tasks.reporting import services as reporting
from tasks.reporting.services import periods_ensure
from tests.plan.factories import assignment_of
from tests.units.factories import make_user
from units.jobs import deliver_pending
from units.models import Role
from units.notifications.models import Delivery, DeliveryState, Notice

from .processes import RedisServer, kill, start_worker, wait_for
from .servers import free_port, smtp_server


def _reset_broker_connections() -> None:
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A redis-server on a free port, the broker of this process's jobs while the test runs."""
    redis = RedisServer(free_port())
    redis.start()
    before = celery_app.conf.broker_url
    celery_app.conf.broker_url = redis.url
    _reset_broker_connections()
    try:
        yield redis
    finally:
        redis.stop()
        celery_app.conf.broker_url = before
        _reset_broker_connections()


@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_a_submitted_report_is_told_once_redis_is_back(
    committed_plan: None, own_redis: RedisServer
) -> None:
    periods_ensure(plan=Plan.objects.get(code="hefei-ai-2020-2023"))
    ReportingPeriod.objects.filter(code="2021Q3").update(state="open")
    period = ReportingPeriod.objects.get(code="2021Q3")
    reporter = make_user("down_kjj_reporter", Role.REPORTER, "市科技局")
    approver = make_user("down_kjj_approver", Role.APPROVER, "市科技局")
    approver.email = "down_kjj_approver@demo.hefei.local"
    approver.save()
    with smtp_server() as mailbox:
        worker = start_worker(mailbox.port, REDIS_URL=own_redis.url)
        try:
            own_redis.stop()
            # Redis down: saving and submitting succeed; the notice and its delivery are written.
            report = reporting.report_start(
                actor=reporter,
                assignment=assignment_of(1, "市科技局"),
                period=period,
                status="on_track",
                percent=40,
                narrative="已完成模型框架设计。",
            )
            report = reporting.report_submit(actor=reporter, report=report)
            assert report.state == "submitted"
            notice = Notice.objects.get(rule="report_submitted")
            assert notice.recipient == approver
            delivery = Delivery.objects.get(notice=notice, channel="email")
            assert delivery.state == DeliveryState.PENDING

            own_redis.start()  # on the same port: the worker reconnects
            # The pick-up grace has passed (beat runs deliver_pending every few minutes).
            Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
            deliver_pending.apply_async()  # as beat sends it, through the broker to the worker
            assert wait_for(
                lambda: Delivery.objects.get(pk=delivery.pk).state == DeliveryState.SENT, 90
            ), kill(worker)
            wait_for(lambda: False, 1)  # a second mail, were there one, would have come by now
        finally:
            output = kill(worker)
    assert [str(m["To"]) for m in mailbox.messages] == [approver.email], output
    assert Notice.objects.filter(rule="report_submitted").count() == 1
