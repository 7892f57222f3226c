"""Fixtures of the fault tests (docs/architecture.md, "Faults"): a Redis of the test's own as the
cache and the broker, the committed plan of the transactional tests."""

from collections.abc import Iterator

import pytest
from django.test import override_settings

from hefei_ai_zone.celery import app as celery_app
from tests.notifications.conftest import committed_plan, plan_restored  # noqa: F401
from tests.notifications.processes import RedisServer
from tests.notifications.servers import free_port


def _reset_broker_connections() -> None:
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A redis-server on a free port: this process's cache and broker while the test runs."""
    redis = RedisServer(free_port())
    redis.start()
    before = celery_app.conf.broker_url
    celery_app.conf.broker_url = redis.url
    _reset_broker_connections()
    cache = {"default": {"BACKEND": "hefei_ai_zone.cache.RedisCache", "LOCATION": redis.url}}
    try:
        with override_settings(CACHES=cache):
            yield redis
    finally:
        redis.stop()
        celery_app.conf.broker_url = before
        _reset_broker_connections()
