"""Fixtures of the document tests: files under a temporary MEDIA_ROOT, a 督办单 with its
timeline, the people of tests/conftest.py, the transactional tests' committed plan."""

import shutil
from pathlib import Path
from typing import Any

import pytest
import time_machine

from tasks.models import SupervisionOrder, Task
from tasks.supervision.services import order_answer, order_issue, order_return
from units.models import Unit, User


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


FACTS = "\n".join(
    [
        "经查，该项任务本季度进展滞后，人工智能产业基金组建工作尚未完成。",
        "请认真分析原因，制定整改措施。",
    ]
)


def tool(name: str) -> str:
    """The full path of a command (poppler-utils, fontconfig)."""
    return shutil.which(name) or f"/usr/bin/{name}"


def make_order(people: dict[str, User]) -> SupervisionOrder:
    """督办〔2023〕1号 to 市科技局 on task 1: issued, answered, sent back."""
    with time_machine.travel("2023-09-27 10:00 +0800", tick=False):
        order = order_issue(
            actor=people["office"],
            task=Task.objects.get(plan__is_current=True, seq=1),
            unit=Unit.objects.get(name="市科技局"),
            facts=FACTS,
            reply_workdays=5,
        )
        order = order_answer(
            actor=people["kjj_reporter"], order=order, answer="已召开专题会议研究部署。"
        )
        return order_return(actor=people["office"], order=order, comment="请补充时间节点。")


@pytest.fixture
def order(people: dict[str, User]) -> SupervisionOrder:
    return make_order(people)
