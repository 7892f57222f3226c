"""Items ready in each state of the lifecycle, and the people of every role around them."""

from collections.abc import Callable
from datetime import date

import pytest

from tasks.directives.models import Directive, DirectiveSource
from tasks.directives.services import (
    close_apply,
    directive_archive,
    directive_close,
    directive_create,
    directive_issue,
    directive_sign,
)
from tests.units.factories import make_user
from units.models import Role, Unit, User


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


@pytest.fixture
def people(people: dict[str, User]) -> dict[str, User]:
    """Beside the conftest's: the auditor. 市科技局 leads, 市发改委 co-operates, 市统计局 is
    another unit."""
    return {**people, "auditor": make_user("auditor", Role.AUDITOR, None)}


def register(people: dict[str, User], **kwargs) -> Directive:
    args = {
        "title": "研究算力券兑付办法",
        "source": DirectiveSource.MEETING,
        "source_meeting": "领导小组第三次会议",
        "requirement": "一个月内拿出办法。",
        "lead_unit": unit("市科技局"),
        "co_units": [unit("市发改委")],
        "due_workdays": 10,
    }
    return directive_create(actor=people["office"], **{**args, **kwargs})


STATES = ("draft", "issued", "in_progress", "closing", "closed", "archived")


@pytest.fixture
def item_in(people: dict[str, User]) -> Callable[..., Directive]:
    """An item brought to the state asked for, through the services."""

    def make(state: str, **kwargs) -> Directive:
        directive = register(people, **kwargs)
        if state == "draft":
            return directive
        directive = directive_issue(actor=people["office"], directive=directive)
        if state == "issued":
            return directive
        directive = directive_sign(actor=people["kjj_reporter"], directive=directive)
        directive = directive_sign(actor=people["fgw_reporter"], directive=directive)
        if state == "in_progress":
            return directive
        close_apply(actor=people["kjj_reporter"], directive=directive, content="已出台办法。")
        directive.refresh_from_db()
        if state == "closing":
            return directive
        directive = directive_close(actor=people["office"], directive=directive)
        if state == "closed":
            return directive
        return directive_archive(actor=people["office"], directive=directive)

    return make


__all__ = ["STATES", "date", "register", "unit"]
