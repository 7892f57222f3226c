"""The transition matrix: every action × every state × every role, allowed or refused, through
the services (and ``allowed_actions``, which the pages' and the API's buttons read, agrees).

Roles: the office and the system administrator (the office's rights), a leader, the lead unit's
reporter and approver (市科技局), a co unit's reporter (市发改委), another unit's reporter
(市统计局), the auditor. In ``in_progress`` both units have signed."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction

from hefei_ai_zone.errors import ApplicationError
from tasks.directives import services
from tasks.directives.permissions import allowed_actions
from tasks.directives.selectors import directive_detail

from .conftest import STATES

pytestmark = pytest.mark.django_db

ROLES = {
    "office": "office",
    "admin": "admin",
    "leader": "leader",
    "lead_reporter": "kjj_reporter",
    "lead_approver": "kjj_approver",
    "co_reporter": "fgw_reporter",
    "other_reporter": "other_reporter",
    "auditor": "auditor",
}
OFFICE = {"office", "admin"}
LEAD = {"lead_reporter", "lead_approver"}
UNITS = LEAD | {"co_reporter"}

# (action, state) → the roles allowed; every other pair: nobody.
ALLOWED: dict[tuple[str, str], set[str]] = {
    ("edit", "draft"): OFFICE,
    ("issue", "draft"): OFFICE,
    ("sign", "issued"): UNITS,
    ("feedback", "in_progress"): UNITS,
    ("extend", "issued"): LEAD,
    ("extend", "in_progress"): LEAD,
    ("apply_close", "in_progress"): LEAD,
    ("close", "closing"): OFFICE,
    ("return", "closing"): OFFICE,
    ("archive", "closed"): OFFICE,
    ("reopen", "closed"): {"leader"},
    ("reopen", "archived"): {"leader"},
    ("urge", "issued"): OFFICE,
    ("urge", "in_progress"): OFFICE,
}
ACTIONS: tuple[str, ...] = ("edit", "issue", "sign", "feedback", "extend", "apply_close")
ACTIONS += ("close", "return", "archive", "reopen", "urge")


def act(action: str, actor, directive) -> None:
    if action == "edit":
        services.directive_update(actor=actor, directive=directive, title="新的事项名称")
    elif action == "issue":
        services.directive_issue(actor=actor, directive=directive)
    elif action == "sign":
        services.directive_sign(actor=actor, directive=directive)
    elif action == "feedback":
        services.feedback_submit(
            actor=actor, directive=directive, content="进展。", status="on_track"
        )
    elif action == "extend":
        to_date = (directive.due_date or directive.created_at.date()) + timedelta(days=30)
        services.extension_apply(actor=actor, directive=directive, to_date=to_date, reason="忙")
    elif action == "apply_close":
        services.close_apply(actor=actor, directive=directive, content="已办结。")
    elif action == "close":
        services.directive_close(actor=actor, directive=directive)
    elif action == "return":
        services.directive_return(actor=actor, directive=directive, comment="证据不足。")
    elif action == "archive":
        services.directive_archive(actor=actor, directive=directive)
    elif action == "urge":
        services.directive_urge(actor=actor, directive=directive, message="请抓紧办理。")
    elif action == "reopen":
        services.directive_reopen(actor=actor, directive=directive, instruction="再抓落实。")


class RollbackError(Exception):
    pass


@time_machine.travel("2023-09-25 10:00 +0800", tick=False)
@pytest.mark.parametrize("state", STATES)
def test_each_action_in_each_state_is_allowed_to_exactly_these_roles(
    state, people, item_in
) -> None:
    directive = item_in(state)
    wrong = []
    for action in ACTIONS:
        expected = ALLOWED.get((action, state), set())
        for role, username in ROLES.items():
            user = people[username]
            try:
                seen = directive_detail(user, directive.pk)
                offered = action in allowed_actions(user, seen)
            except Exception:
                offered = False
            try:
                with transaction.atomic():
                    act(action, user, directive)
                    raise RollbackError
            except RollbackError:
                done = True
            except ApplicationError:
                done = False
            if done != (role in expected) or offered != done:
                wrong.append(f"{action} by {role} in {state}: done={done}, offered={offered}")
    assert not wrong, wrong
