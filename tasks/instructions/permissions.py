"""Who may do what with 领导批示: the one place that says so (pages, the directive form's prefill).

- A leader writes 批示 and sees their own (我的批示), and edits their own setting.
- The office (and the administrator) reads every 批示 (the inbox), turns one into a 督办事项 or
  files it (归档).
- A unit's staff never see a 批示 as such: once it became an item given to their unit, they see
  its text as the item's source (the item's pages, tasks/directives/permissions.py).
- The auditor and everyone else: nothing.
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from units.models import User
from units.permissions import is_leader, is_office, is_unit_staff

from .models import InstructionState, LeaderInstruction


def can_write(user: User | AnonymousUser) -> bool:
    return is_leader(user)


def can_handle(user: User | AnonymousUser) -> bool:
    """The office's inbox: read all, convert, file."""
    return is_office(user)


def can_handle_instruction(user: User, instruction: LeaderInstruction) -> bool:
    return can_handle(user) and instruction.state == InstructionState.NEW


def instructions_visible_to(user: User | AnonymousUser) -> Q:
    """The 批示 a user may read: the office all, a leader their own, a unit's staff those turned
    into an item given to their unit; nobody else any."""
    if is_office(user):
        return Q()
    if is_leader(user):
        return Q(author_id=user.pk)
    if is_unit_staff(user) and isinstance(user, User):
        return Q(state=InstructionState.CONVERTED, directive__units__unit_id=user.unit_id)
    return Q(pk__in=[])
