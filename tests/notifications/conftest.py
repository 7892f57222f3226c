"""Fixtures of the notification tests: real SMTP and robot servers, mail through SMTP, the
broker made unreachable."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings

from hefei_ai_zone.celery import app as celery_app

from .servers import Mailbox, Robot, free_port, robot_server, smtp_server


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """A real SMTP server, and Django's SMTP backend pointed at it."""
    with (
        smtp_server() as box,
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=box.port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
        ),
    ):
        yield box


@pytest.fixture
def robot() -> Iterator[Robot]:
    with robot_server() as r:
        yield r


def _reset_broker_connections() -> None:
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def broker_down() -> Iterator[None]:
    """Redis unreachable for enqueueing (a port nothing listens on)."""
    before = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    _reset_broker_connections()
    try:
        yield
    finally:
        celery_app.conf.broker_url = before
        _reset_broker_connections()


@pytest.fixture
def eager() -> Iterator[None]:
    """Jobs run in this process when enqueued (as a worker would run them)."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = before


@pytest.fixture(scope="module")
def plan_restored(django_db_blocker: Any) -> Iterator[None]:
    """A transactional test's database is flushed after it; once the module's are done, the
    plan is loaded again, so that later tests find the database as the session left it."""
    yield
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_plan", verbosity=0)
        call_command("load_workdays", verbosity=0)  # the flush took the calendar too


@pytest.fixture
def committed_plan(plan_restored: None, transactional_db: None) -> None:
    """For transactional tests: the units, committed (an earlier one may have flushed them)."""
    from django.core.management import call_command

    call_command("load_plan", verbosity=0)
