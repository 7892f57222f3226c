"""Who may do what with 督办事项: the one place that says so (pages, API, imports, jobs).

This module starts with registering and issuing; the lifecycle's other steps are added beside them.
"""

from units.models import User
from units.permissions import is_office

from .models import Directive, DirectiveState


def can_register(user: User) -> bool:
    """The office registers items (立项), one at a time or a meeting's decisions together."""
    return is_office(user)


def can_issue(user: User, directive: Directive) -> bool:
    """The office issues (交办) an item it registered and has not issued yet."""
    return is_office(user) and directive.state == DirectiveState.DRAFT


def can_edit_draft(user: User, directive: Directive) -> bool:
    return is_office(user) and directive.state == DirectiveState.DRAFT
