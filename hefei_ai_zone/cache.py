"""Django's Redis cache backend, with one redis-py client per connection pool, that degrades to
"no cache" while Redis is unreachable.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache operation,
and redis-py's constructor copies its table of some 170 response callbacks each time: about
0.5 ms of Python per get or set, more than the round trip to Redis. A dashboard computed afresh
makes some twenty cache calls (docs/performance.md). ``redis.Redis`` is safe to share between
threads (each command takes a connection from the pool), so one per pool is kept; the pools are
Django's own.

Redis down (docs/architecture.md, "Faults"): every operation that cannot reach Redis answers as a
miss (``get`` its default, ``get_many`` nothing, ``add``/``touch``/``has_key``/``delete`` false,
``set`` nothing), so the dashboard computes from the database, reports save and submit, and the
API's throttles let calls through (fail open; the login lockout is in the database). After a
failure Redis is not asked again for ``RETRY_SECONDS`` (each call would wait for the refused
connection otherwise). It is logged at WARNING at most once a minute per process, not per call.

A key this process failed to write or delete (a cache version that should have been replaced,
reports.dashboards.cache) could be stale if Redis kept its data through the outage (a network
cut rather than a restart): such keys are remembered (at most ``FORGOTTEN_KEYS_MAX``) and deleted
when Redis answers again, before anything else is read.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import redis
from django.core.cache.backends import redis as django_redis

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
LOG_EVERY_SECONDS = 60.0
FORGOTTEN_KEYS_MAX = 10_000
UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

T = TypeVar("T")


class PooledRedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}
        self._lock = threading.Lock()
        self._down_until = 0.0  # time.monotonic() before which Redis is not asked
        self._logged_at = -LOG_EVERY_SECONDS
        self._unwritten: set[Any] = set()  # keys whose write or delete failed
        self._unwritten_overflow = False

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django's private helpers, which the stubs leave out.
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
            client = self._clients[index] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client

    # --- degrading -----------------------------------------------------------------------------

    def _call(self, operation: Callable[[], T], miss: T, keys: Iterable[Any] = ()) -> T:
        """``operation()``, or ``miss`` while Redis is unreachable; ``keys`` are remembered as
        unwritten when a write or delete fails."""
        if time.monotonic() < self._down_until:
            self._remember(keys)
            return miss
        try:
            if self._unwritten or self._unwritten_overflow:
                self._forget_unwritten()
            return operation()
        except UNREACHABLE as error:
            self._went_down(error)
            self._remember(keys)
            return miss

    def _went_down(self, error: Exception) -> None:
        now = time.monotonic()
        self._down_until = now + RETRY_SECONDS
        if now - self._logged_at >= LOG_EVERY_SECONDS:
            self._logged_at = now
            logger.warning(
                "Redis 缓存无法连接（%s）：缓存暂停，页面直接从数据库计算，接口限流暂不生效。",
                error,
            )

    def _remember(self, keys: Iterable[Any]) -> None:
        with self._lock:
            for key in keys:
                if len(self._unwritten) >= FORGOTTEN_KEYS_MAX:
                    self._unwritten_overflow = True
                    break
                self._unwritten.add(key)

    def _forget_unwritten(self) -> None:
        """Redis answers again: delete what this process failed to write or delete (kept if the
        deletion fails too)."""
        with self._lock:
            keys, overflow = list(self._unwritten), self._unwritten_overflow
        if keys:
            self.get_client(write=True).delete(*keys)
        with self._lock:
            self._unwritten.difference_update(keys)
            self._unwritten_overflow = False
        if overflow:
            logger.warning(
                "Redis 恢复：中断期间未能写入的缓存键过多，部分旧缓存可能在过期前仍被读取。"
            )
        logger.warning("Redis 缓存已恢复连接，已删除中断期间未能更新的 %d 个缓存键。", len(keys))

    def add(self, key: Any, value: Any, timeout: Any) -> bool:
        return self._call(
            lambda: bool(super(PooledRedisCacheClient, self).add(key, value, timeout)), False, [key]
        )

    def get(self, key: Any, default: Any) -> Any:
        return self._call(lambda: super(PooledRedisCacheClient, self).get(key, default), default)

    def set(self, key: Any, value: Any, timeout: Any) -> None:
        self._call(
            lambda: super(PooledRedisCacheClient, self).set(key, value, timeout), None, [key]
        )

    def touch(self, key: Any, timeout: Any) -> bool:
        return self._call(
            lambda: bool(super(PooledRedisCacheClient, self).touch(key, timeout)), False
        )

    def delete(self, key: Any) -> bool:
        return self._call(
            lambda: bool(super(PooledRedisCacheClient, self).delete(key)), False, [key]
        )

    def get_many(self, keys: Any) -> dict[Any, Any]:
        keys = list(keys)
        return self._call(lambda: dict(super(PooledRedisCacheClient, self).get_many(keys)), {})

    def has_key(self, key: Any) -> bool:
        return self._call(lambda: bool(super(PooledRedisCacheClient, self).has_key(key)), False)

    def incr(self, key: Any, delta: int) -> Any:
        # Django raises ValueError for a missing key; a miss it is while Redis is down.
        def operation() -> Any:
            return super(PooledRedisCacheClient, self).incr(key, delta)

        if time.monotonic() < self._down_until:
            self._remember([key])
            raise ValueError(f"Key '{key}' not found.")
        try:
            return operation()
        except UNREACHABLE as error:
            self._went_down(error)
            self._remember([key])
            raise ValueError(f"Key '{key}' not found.") from error

    def set_many(self, data: Mapping[Any, Any], timeout: Any) -> None:
        self._call(
            lambda: super(PooledRedisCacheClient, self).set_many(data, timeout), None, list(data)
        )

    def delete_many(self, keys: Any) -> None:
        keys = list(keys)
        self._call(lambda: super(PooledRedisCacheClient, self).delete_many(keys), None, keys)

    def clear(self) -> bool:
        return self._call(lambda: bool(super(PooledRedisCacheClient, self).clear()), False)


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        # A short wait for an unreachable Redis (a dead host, not only a refused connection).
        params = {
            **params,
            "OPTIONS": {
                "socket_connect_timeout": 1,
                "socket_timeout": 2,
                **params.get("OPTIONS", {}),
            },
        }
        super().__init__(server, params)
        self._class = PooledRedisCacheClient
