"""Who may do what with 督办事项: the one place that says so (pages, API, imports, jobs).

This module starts with registering and issuing; the lifecycle's other steps are added beside them.
"""

from units.models import User
from units.permissions import is_leader, is_office

from .models import Directive, DirectiveState


def can_register(user: User) -> bool:
    """The office registers items (立项), one at a time or a meeting's decisions together; a
    leader's 批示 sent straight to the units (the leader's setting) registers one too."""
    return is_office(user) or is_leader(user)


def can_issue(user: User, directive: Directive) -> bool:
    """The office issues (交办) an item not issued yet; a leader only the item of their own 批示
    sent straight to the units (registered by them)."""
    if directive.state != DirectiveState.DRAFT:
        return False
    return is_office(user) or (is_leader(user) and directive.created_by_id == user.pk)


def can_edit_draft(user: User, directive: Directive) -> bool:
    return is_office(user) and directive.state == DirectiveState.DRAFT
