"""The transmitting marker, in one process: what a stale ``sending`` row means depends on it."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from tests.units.factories import make_user
from units.jobs import deliver_pending
from units.models import Role, Unit
from units.notifications.models import Delivery, DeliveryState, Webhook
from units.notifications.services import delivery_attempt, delivery_claim, notify

pytestmark = pytest.mark.django_db


def notify_reporter(capture, channels: list[str]) -> None:
    user = make_user("m_kjj", Role.REPORTER, "市科技局")
    user.email = "m_kjj@demo.hefei.local"
    user.save()
    with capture(execute=False):
        notify(
            rule="returned",
            key="report:8:returned:1",
            recipients=[user],
            title="报告被退回",
            link="/reports/8/",
            channels=channels,
        )


def test_a_stale_claim_without_the_marker_is_sent_again_once(
    mailbox, eager, django_capture_on_commit_callbacks
) -> None:
    notify_reporter(django_capture_on_commit_callbacks, ["email"])
    claimed = delivery_claim(delivery_id=Delivery.objects.get().pk)
    assert claimed is not None  # ... and the worker dies before DATA
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert deliver_pending.apply().get() == 1  # pending again, run at once (eager)
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.SENT
    assert delivery.attempts == 2
    assert len(mailbox.messages) == 1


def test_the_marker_is_written_before_the_mail_and_the_robots_post(
    mailbox, robot, django_capture_on_commit_callbacks
) -> None:
    Webhook.objects.create(
        unit=Unit.objects.get(name="市科技局"),
        kind="wecom",
        name="科技局群",
        url=robot.url("/cgi-bin/webhook/send?key=k"),
    )
    notify_reporter(django_capture_on_commit_callbacks, ["email", "wecom"])
    for delivery in Delivery.objects.all():
        delivery_attempt(delivery_id=delivery.pk)
    for delivery in Delivery.objects.all():
        assert delivery.state == DeliveryState.SENT, delivery.last_error
        assert delivery.transmitting_at is not None
        assert delivery.claimed_at is not None
        assert delivery.claimed_at <= delivery.transmitting_at
    assert len(mailbox.messages) == 1
    assert len(robot.received) == 1


def test_a_refused_recipient_sends_nothing_and_sets_no_marker(
    mailbox, django_capture_on_commit_callbacks
) -> None:
    """A failure before DATA (here the server's refusal, 550 at RCPT) is retried, not unknown."""

    async def refuse(server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        return "550 无此用户"

    mailbox.handle_RCPT = refuse  # aiosmtpd looks its hooks up on the handler
    notify_reporter(django_capture_on_commit_callbacks, ["email"])
    attempt = delivery_attempt(delivery_id=Delivery.objects.get().pk)
    assert attempt.outcome == "retry"
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.PENDING
    assert delivery.transmitting_at is None
    assert "拒绝收件人" in delivery.last_error
    assert mailbox.messages == []
