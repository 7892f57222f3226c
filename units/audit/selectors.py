"""Reading the audit log: the auditor's filtered list and the chain's verification."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from .models import AuditEntry
from .services import GENESIS


def entry_list(
    *,
    username: str = "",
    unit_id: int | None = None,
    kind: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """The entries newest first, filtered by the person (username, exact), the person's unit at
    the time, the kind and the days (Asia/Shanghai, both included)."""
    entries = AuditEntry.objects.order_by("-id")
    if username:
        entries = entries.filter(username=username)
    if unit_id is not None:
        entries = entries.filter(unit_pk=unit_id)
    if kind:
        entries = entries.filter(kind=kind)
    if since is not None:
        entries = entries.filter(at__gte=timezone.make_aware(datetime.combine(since, time.min)))
    if until is not None:
        end = timezone.make_aware(datetime.combine(until + timedelta(days=1), time.min))
        entries = entries.filter(at__lt=end)
    return entries


@dataclass(frozen=True)
class ChainBreak:
    """The first entry whose link does not hold, and what differs."""

    entry_id: int
    problem: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken: ChainBreak | None


def chain_walk(batch: int = 2000) -> Iterator[AuditEntry]:
    """Every entry in the order written, read in batches by id (bounded memory)."""
    last_id = 0
    while True:
        rows = list(AuditEntry.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id


def chain_verify(batch: int = 2000) -> ChainReport:
    """Recompute the chain: each entry's prev_hash must be the hash of the entry before it (the
    first: all zeros) and its hash the SHA-256 of that and its content."""
    previous = GENESIS
    checked = 0
    for entry in chain_walk(batch):
        if entry.prev_hash != previous:
            return ChainReport(
                checked,
                ChainBreak(
                    entry.id,
                    f"上一条摘要不符（记录为 {entry.prev_hash[:12]}…，应为 {previous[:12]}…）："
                    "其前的记录被删除、插入或修改过。",
                ),
            )
        if entry.compute_hash() != entry.hash:
            return ChainReport(
                checked,
                ChainBreak(entry.id, "本条摘要与内容不符：这条记录的内容被修改过。"),
            )
        previous = entry.hash
        checked += 1
    return ChainReport(checked, None)
