"""At most once per channel, with real processes: a Celery worker (solo pool) on the test's Redis
and database, an aiosmtpd server that can hold the session, the worker killed by SIGKILL.

(a) killed after its claim, before DATA: nothing reached the server; after the lease a new worker
    sends it, and the mail arrives exactly once.
(b) killed while the server holds DATA before answering 250 — the one window no mail protocol
    closes: the delivery is failed as 结果未知 and never sent again; the mail arrives once.
"""

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.utils import timezone

from hefei_ai_zone.celery import app as celery_app
from tests.units.factories import make_user
from units.jobs import deliver_pending
from units.models import Role
from units.notifications.models import Delivery, DeliveryState
from units.notifications.services import notify

from .processes import kill, start_worker, stop, wait_for
from .servers import free_port


@dataclass
class HoldingServer:
    """An SMTP handler that holds the first session at RCPT or at DATA (before answering 250)
    until ``release`` is set; later sessions pass."""

    port: int
    hold_at: str  # "rcpt" | "data"
    reached: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    messages: list[EmailMessage] = field(default_factory=list)
    held: bool = False

    async def _hold(self, step: str) -> None:
        if self.hold_at == step and not self.held:
            self.held = True
            self.reached.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        await self._hold("rcpt")
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        await self._hold("data")
        return "250 OK"


@contextmanager
def holding_server(hold_at: str) -> Iterator[HoldingServer]:
    box = HoldingServer(port=free_port(), hold_at=hold_at)
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        box.release.set()
        controller.stop()


def notify_one_mail() -> Delivery:
    user = make_user("win_kjj", Role.REPORTER, "市科技局")
    user.email = "win_kjj@demo.hefei.local"
    user.save()
    celery_app.control.purge()  # jobs enqueued by earlier tests whose rows are gone
    notify(
        rule="returned",
        key="report:9:returned:1",
        recipients=[user],
        title="报告被退回",
        link="/reports/9/",
        channels=["email"],
    )  # autocommit: the job is enqueued at once
    return Delivery.objects.get()


def after_the_lease() -> Any:
    return time_machine.travel(timezone.now() + timedelta(minutes=6), tick=True)


@pytest.mark.django_db(transaction=True)
def test_killed_after_its_claim_before_data_the_mail_arrives_exactly_once(
    committed_plan,
) -> None:
    with holding_server("rcpt") as server:
        first = start_worker(server.port)
        try:
            notify_one_mail()
            assert server.reached.wait(60), stop(first)
            # The worker holds the claim and waits on RCPT: nothing was handed over.
            delivery = Delivery.objects.get()
            assert delivery.state == DeliveryState.SENDING
            assert delivery.transmitting_at is None
        finally:
            output = kill(first)
        server.release.set()
        second = start_worker(server.port)
        try:
            with after_the_lease():
                assert deliver_pending.apply().get() == 1, output  # pending again, enqueued
            assert wait_for(lambda: Delivery.objects.get().state == DeliveryState.SENT)
            time.sleep(1)  # a second mail, were there one, would have come by now
        finally:
            output = stop(second)
    assert len(server.messages) == 1, output
    assert server.messages[0]["To"] == "win_kjj@demo.hefei.local"
    delivery = Delivery.objects.get()
    assert delivery.attempts == 2
    assert delivery.transmitting_at is not None


@pytest.mark.django_db(transaction=True)
def test_killed_while_the_server_holds_data_is_the_one_window_unknown_never_twice(
    committed_plan,
) -> None:
    with holding_server("data") as server:
        first = start_worker(server.port)
        try:
            notify_one_mail()
            assert server.reached.wait(60), stop(first)
            # The server has the mail and has not answered 250: the marker was committed first.
            delivery = Delivery.objects.get()
            assert delivery.state == DeliveryState.SENDING
            assert delivery.transmitting_at is not None
        finally:
            output = kill(first)
        server.release.set()  # the server answers 250 to a dead worker: the mail is accepted
        second = start_worker(server.port)
        try:
            with after_the_lease():
                assert deliver_pending.apply().get() == 0, output  # nothing enqueued again
            time.sleep(3)  # the new worker, were there a job, would have sent it by now
        finally:
            output = stop(second)
    assert len(server.messages) == 1, output
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.last_error.startswith("结果未知，未自动重发")
    assert delivery.attempts == 1
