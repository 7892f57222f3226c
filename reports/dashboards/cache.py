"""What the dashboard keeps, and when it is stale: the cache versions (replaced by reports.signals
on every write, at once and after the commit) and the periods' lights versions (which the kept
trend points, reports.models.TrendPoint, are checked against).

Every write through the ORM replaces the versions and the commands writing in bulk call
everything_changed(), so a cached value is never stale; the expiry only frees the memory of old
versions. Values that depend on the day (the running period's as-of day) have it in their key,
and every key carries the light rule's version (tasks.lights.rule_key): a dashboard counted under
another rule or other thresholds is never read.
"""

import uuid
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db import connection

from tasks import lights
from tasks.models import ReportingPeriod

from ..models import LightsVersion

CACHE_TTL = 24 * 60 * 60
# Cache versions: what is cached under a version is stale once the version is replaced, which
# reports.signals does on every write to the rows named here.
VERSION_KEY = "dashboard:version"  # any row the dashboard counts: the whole dashboard, periods
# plans, sections, tasks, assignments, demo projects, units and their members
PLAN_VERSION_KEY = "dashboard:plan-version"
MILESTONE_VERSION_KEY = "dashboard:milestone-version"  # milestones
LEDGER_VERSION_KEY = "dashboard:ledger-version"  # ledger entries, indicators, targets
VERSION_KEYS = (VERSION_KEY, PLAN_VERSION_KEY, MILESTONE_VERSION_KEY, LEDGER_VERSION_KEY)


def _versions(keys: tuple[str, ...]) -> list[str]:
    """The current cache versions of the keys (one round trip; new ones where missing)."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, None)
            # Redis down (hefei_ai_zone.cache answers misses): a version of this call only, so
            # nothing is read from the cache and the dashboard is computed from the database.
            found[key] = cache.get(key) or uuid.uuid4().hex
    return [found[key] for key in keys]


def versions_replace(*keys: str) -> None:
    """New cache versions for the keys: what was cached under the old ones is stale now."""
    cache.set_many({key: uuid.uuid4().hex for key in keys}, None)


def cached(key: str, compute: Any, versions: tuple[str, ...] = (VERSION_KEY,)) -> Any:
    """The value cached under ``key``, the light rule and the current versions, computed if
    missing."""
    full = f"dashboard:{lights.rule_key()}:{':'.join(_versions(versions))}:{key}"
    value = cache.get(full)
    if value is None:
        value = compute()
        cache.set(full, value, CACHE_TTL)
    return value


def lights_changed(
    *, period_ids: list[int] | None = None, ending_from: date | None = None, every: bool = False
) -> None:
    """Move the lights version of the periods a write may have changed (the given ones, or those
    ending on or after ``ending_from``, or every period): their kept trend points are stale
    from now on. One statement; called after the writer's commit (reports.signals) and by the
    commands that write in bulk."""
    period_t, version_t = ReportingPeriod._meta.db_table, LightsVersion._meta.db_table
    if every:
        where, params = "1 = 1", list[Any]()
    elif ending_from is not None:
        where, params = (
            "end_date >= %s",
            list[Any]([connection.ops.adapt_datefield_value(ending_from)]),
        )
    elif period_ids:
        where, params = f"id IN ({', '.join(['%s'] * len(period_ids))})", list[Any](period_ids)
    else:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {version_t} (period_id, version)"  # noqa: S608 (table names)
            f" SELECT id, 1 FROM {period_t} WHERE {where} ORDER BY id"
            f" ON CONFLICT (period_id) DO UPDATE SET version = {version_t}.version + 1",
            params,
        )


def everything_changed() -> None:
    """For the commands that write in bulk (COPY, bulk_create and update send no signals):
    every kept trend point and every cached dashboard and indicator value is stale."""
    lights_changed(every=True)
    versions_replace(*VERSION_KEYS)
