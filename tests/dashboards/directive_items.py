"""督办事项 for the dashboards' tests: registered and issued through the services (issued on
ISSUED_ON), the later states written on the rows directly (their services land in
tasks.directives later)."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from tasks.directives.services import directive_create, directive_issue
from tasks.models import Directive, DirectiveSource, DirectiveUnit
from units.models import Unit, User

TZ = ZoneInfo("Asia/Shanghai")
ISSUED_ON = "2023-11-01 10:00 +0800"


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, tzinfo=TZ)


def item(
    office: User,
    title: str,
    *,
    source: str = DirectiveSource.MEETING,
    lead: str = "市科技局",
    co: Sequence[str] = (),
    due: date = date(2024, 1, 31),
    issued_on: str = ISSUED_ON,
    signed: bool = True,
    **fields: Any,
) -> Directive:
    """An item issued on ``issued_on`` with the deadline ``due`` (signed by every unit unless
    told), then ``fields`` written on the row (state, status, due_date, closed_at, ...)."""
    particulars: dict[str, Any] = {
        DirectiveSource.INSTRUCTION: {"source_leader": "市长"},
        DirectiveSource.MEETING: {"source_meeting": "领导小组第三次会议"},
        DirectiveSource.HIGHER: {
            "source_authority": "省科技厅",
            "source_doc_number": "皖科〔2023〕8号",
        },
    }[DirectiveSource(source)]
    with time_machine.travel(issued_on, tick=False):
        directive = directive_create(
            actor=office,
            title=title,
            source=source,
            requirement="按期办结并反馈。",
            lead_unit=unit(lead),
            co_units=[unit(name) for name in co],
            due_date=due,
            **particulars,
        )
        directive = directive_issue(actor=office, directive=directive)
    if signed:
        DirectiveUnit.objects.filter(directive=directive).update(signed_at=at(2023, 11, 2))
    if fields:
        Directive.objects.filter(pk=directive.pk).update(**fields)
        directive.refresh_from_db()
    return directive


def directive_items(people, n: int, start: int = 0) -> None:
    """``n`` 督办事项 of every light and state (the block is counted outside the cache)."""
    states: list[dict[str, Any]] = [
        {"state": "in_progress", "status": "delayed"},
        {"state": "in_progress", "status": "at_risk", "due": date(2023, 11, 10)},
        {"state": "issued", "signed": False},
        {"state": "closed", "status": "completed", "closed_at": at(2023, 11, 5)},
    ]
    for k in range(start, start + n):
        fields = dict(states[k % len(states)])
        item(people["office"], f"督办事项{k}", co=["市发改委"], **fields)
