"""What the pages' and the 交办单's tests share: an item of 市科技局 (lead) with 市发改委 (co),
registered and issued by the office on a fixed day."""

from typing import Any

import time_machine

from tasks.directives.services import directive_create, directive_issue
from tasks.models import Directive, DirectiveSource
from units.models import Unit, User

ISSUED_ON = "2023-09-27 10:00 +0800"


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def make_item(people: dict[str, User], *, issue: bool = True, **kwargs: Any) -> Directive:
    args: dict[str, Any] = {
        "title": "研究算力券兑付办法",
        "source": DirectiveSource.INSTRUCTION,
        "source_leader": "张市长",
        "source_document": "市政府专报第 12 期",
        "source_text": "请市科技局牵头抓紧研究。",
        "requirement": "一个月内拿出算力券兑付办法。",
        "lead_unit": unit("市科技局"),
        "co_units": [unit("市发改委")],
        "due_workdays": 5,
    }
    with time_machine.travel(ISSUED_ON, tick=False):
        item = directive_create(actor=people["office"], **{**args, **kwargs})
        if issue:
            item = directive_issue(actor=people["office"], directive=item)
    return item
