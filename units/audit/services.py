"""Writing the audit log: ``record`` is the one way a row comes into being.

Each row is chained to the one before it (``prev_hash``, ``hash``). The chain is linear because
inserts are serialised: on PostgreSQL the writing transaction takes a transaction-level advisory
lock before it reads the last hash (held until it commits or rolls back, so the next writer reads
this row's hash); SQLite's single writer does the same by itself. The row is written in the
caller's transaction: a business write that rolls back leaves no audit row.

Who, from where: the current request (``units.audit.context``, set by ``AuditContextMiddleware``)
unless one is given; a job without a request records the actor None, shown as 系统.
"""

import ipaddress
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, models, transaction
from django.http import HttpRequest

from hefei_ai_zone import clock

from . import context
from .models import REPR_MAX, USER_AGENT_MAX, AuditEntry, AuditKind

GENESIS = "0" * 64
# Any constant: the one advisory lock that serialises the chain's writers on PostgreSQL.
CHAIN_LOCK = 0x61756469  # "audi"


def json_value(value: Any) -> Any:
    """A field's value as JSON that reads back equal (the hash covers it): texts whole."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | float):
        return str(value)
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    return str(value)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as Django received it (behind nginx: REMOTE_ADDR set by the proxy
    protocol of the deployment; X-Forwarded-For is not trusted here)."""
    address = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


class _QueryRefusedError(Exception):
    """A name that would need the database."""


def _refuse_query(*args: Any) -> Any:
    raise _QueryRefusedError


def object_label(obj: models.Model) -> str:
    """The object's name as it reads, if it can be told without the database (its related rows
    already loaded); else "进展报告 #12". Never a query per audited write, and safe in a cascade
    delete whose related rows are gone."""
    try:
        with connection.execute_wrapper(_refuse_query):
            return str(obj)[:REPR_MAX]
    except (_QueryRefusedError, ObjectDoesNotExist):
        return f"{obj._meta.verbose_name} #{obj.pk}"[:REPR_MAX]


def _last_hash() -> str:
    last = f"SELECT hash FROM {AuditEntry._meta.db_table} ORDER BY id DESC LIMIT 1"  # noqa: S608
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One round trip, two statements: the second takes its snapshot after the lock is
            # held (READ COMMITTED: a snapshot per statement), so it sees the last writer's row.
            cursor.execute(f"SELECT pg_advisory_xact_lock(%s); {last}", [CHAIN_LOCK])
        else:
            cursor.execute(last)
        row = cursor.fetchone()
    return row[0] if row else GENESIS


def record(
    kind: str,
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
    obj: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
    detail: str = "",
    username: str = "",
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEntry:
    """Append one entry (in the caller's transaction, or its own)."""
    AuditKind(kind)  # an unknown kind is a programming error
    request = request if request is not None else context.current_request()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    entry = AuditEntry(kind=kind, detail=detail, at=clock.real_now())
    if actor is not None and getattr(actor, "pk", None) is not None:
        entry.actor = actor
        entry.username = actor.get_username()
        entry.role = str(actor.get_role_display()) if getattr(actor, "role", "") else ""
        if actor.is_superuser and not entry.role:
            entry.role = "超级用户"
        unit = actor.unit if actor.unit_id else None
        entry.unit_pk = unit.pk if unit is not None else None
        entry.unit_name = unit.name if unit is not None else ""
    else:
        entry.username = username[:150]
    if request is not None:
        entry.ip = client_ip(request)
        entry.user_agent = request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX]
    if obj is not None:
        entry.object_type = obj._meta.label_lower
        entry.object_id = str(obj.pk)
        entry.object_repr = object_label(obj)
    if object_type:
        entry.object_type = object_type
    if object_id:
        entry.object_id = object_id
    if object_repr:
        entry.object_repr = object_repr[:REPR_MAX]
    entry.changes = json_value(dict(changes or {}))
    with transaction.atomic(savepoint=False):
        entry.prev_hash = _last_hash()
        entry.hash = entry.compute_hash()
        entry.save(force_insert=True)
    return entry
