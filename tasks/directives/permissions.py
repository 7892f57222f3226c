"""Who may do what with 督办事项: the one place that says so (pages, API, imports, jobs).

- The office (and the system administrator, as everywhere) registers, edits drafts, issues,
  reviews feedback and extensions, closes (办结), returns (退回重办) and archives (销号).
- A leader sees every item, issues the item of their own 批示 sent straight to the units, decides
  an extension the office passed on (when ``settings.DIRECTIVE_EXTENSION_LEADER_APPROVAL``) and
  reopens a closed or archived item with a new 批示. Reopening is the leader's alone: it needs a
  new 批示, which only a leader writes.
- Each unit's staff (reporter, approver) of a ``DirectiveUnit`` see the item once issued and sign
  for their own unit; co units' staff give feedback that feeds the lead's; the lead unit's staff
  give the consolidated feedback, apply for an extension and apply to close.
- The auditor and every other unit see nothing here (404 on pages and the API).

The checks read only the item's own rows: ``directive.units`` and ``directive.extensions`` come
from the prefetch cache when the selector prefetched them (one query each otherwise).
"""

from django.conf import settings

from hefei_ai_zone import clock
from units.models import User
from units.permissions import is_leader, is_office, is_unit_staff

from .models import (
    Directive,
    DirectiveExtension,
    DirectiveFeedback,
    DirectiveState,
    DirectiveUnit,
    ExtensionState,
    FeedbackKind,
    FeedbackState,
)

ACTIONS = frozenset(
    {
        "edit",
        "issue",
        "sign",
        "feedback",
        "extend",
        "apply_close",
        "close",
        "return",
        "archive",
        "reopen",
    }
)
PENDING_EXTENSION_STATES = (ExtensionState.PENDING, ExtensionState.LEADER)


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


def can_see_list(user: User) -> bool:
    """The office, the leaders and units' staff have the list (the staff: their units' items)."""
    return is_office(user) or is_leader(user) or is_unit_staff(user)


def duty_of(user: User, directive: Directive) -> DirectiveUnit | None:
    """The user's unit's duty on the item (lead or co), None when the user is no unit's staff or
    their unit has none."""
    if not is_unit_staff(user):
        return None
    for duty in directive.units.all():
        if duty.unit_id == user.unit_id:
            return duty
    return None


def is_lead_staff(user: User, directive: Directive) -> bool:
    duty = duty_of(user, directive)
    return duty is not None and duty.role == "lead"


def can_see(user: User, directive: Directive) -> bool:
    """The office and the leaders see every item; a unit's staff an issued item given to their
    unit (a draft is the office's)."""
    if is_office(user) or is_leader(user):
        return True
    if directive.state == DirectiveState.DRAFT:
        return False
    return duty_of(user, directive) is not None


def can_sign(user: User, directive: Directive) -> bool:
    """A unit's staff sign (签收) for their own unit, once, while the item is open."""
    if directive.state not in (DirectiveState.ISSUED, DirectiveState.IN_PROGRESS):
        return False
    duty = duty_of(user, directive)
    return duty is not None and duty.signed_at is None


def can_feedback(user: User, directive: Directive) -> bool:
    """A unit that signed gives progress feedback while the item is in progress: a co unit's
    feeds the lead, the lead's is the consolidated feedback the office reviews."""
    if directive.state != DirectiveState.IN_PROGRESS:
        return False
    duty = duty_of(user, directive)
    return duty is not None and duty.signed_at is not None


def can_review_feedback(user: User, feedback: DirectiveFeedback) -> bool:
    """The office reviews (accepts or returns) the lead unit's submitted progress feedback; a
    co unit's is read by the lead, not reviewed; a closing report is reviewed by closing or
    returning the item."""
    if not is_office(user):
        return False
    if feedback.kind != FeedbackKind.PROGRESS or feedback.state != FeedbackState.SUBMITTED:
        return False
    directive = feedback.directive
    if directive.state not in (DirectiveState.IN_PROGRESS, DirectiveState.CLOSING):
        return False
    return any(d.role == "lead" and d.unit_id == feedback.unit_id for d in directive.units.all())


def has_pending_extension(directive: Directive) -> bool:
    return any(e.state in PENDING_EXTENSION_STATES for e in directive.extensions.all())


def can_extend(user: User, directive: Directive) -> bool:
    """The lead unit's staff apply for more time (延期申请) before the deadline passes (on the
    deadline's day too), one application at a time."""
    if directive.state not in (DirectiveState.ISSUED, DirectiveState.IN_PROGRESS):
        return False
    if directive.due_date is None or clock.today() > directive.due_date:
        return False
    return is_lead_staff(user, directive) and not has_pending_extension(directive)


def can_review_extension(user: User, extension: DirectiveExtension) -> bool:
    """The office reviews a pending application."""
    return is_office(user) and extension.state == ExtensionState.PENDING


def can_decide_extension(user: User, extension: DirectiveExtension) -> bool:
    """A leader approves or refuses an application the office passed on (only when the setting
    DIRECTIVE_EXTENSION_LEADER_APPROVAL asks for a leader's approval)."""
    return (
        is_leader(user)
        and settings.DIRECTIVE_EXTENSION_LEADER_APPROVAL
        and extension.state == ExtensionState.LEADER
    )


def can_apply_close(user: User, directive: Directive) -> bool:
    """The lead unit's staff apply to close (申请办结) with a closing report, once signed."""
    if directive.state != DirectiveState.IN_PROGRESS:
        return False
    duty = duty_of(user, directive)
    return duty is not None and duty.role == "lead" and duty.signed_at is not None


def can_close(user: User, directive: Directive) -> bool:
    """The office accepts the closing report (办结)."""
    return is_office(user) and directive.state == DirectiveState.CLOSING


def can_return(user: User, directive: Directive) -> bool:
    """The office returns the closing report to be redone (退回重办)."""
    return is_office(user) and directive.state == DirectiveState.CLOSING


def can_archive(user: User, directive: Directive) -> bool:
    """The office archives (销号) a closed item: it leaves the open list."""
    return is_office(user) and directive.state == DirectiveState.CLOSED


def can_reopen(user: User, directive: Directive) -> bool:
    """A leader reopens a closed or archived item with a new 批示."""
    return is_leader(user) and directive.state in (DirectiveState.CLOSED, DirectiveState.ARCHIVED)


def can_urge(user: User, directive: Directive) -> bool:
    """The office urges (催办) an item issued and not yet applied to close."""
    return is_office(user) and directive.state in (
        DirectiveState.ISSUED,
        DirectiveState.IN_PROGRESS,
    )


def allowed_actions(user: User, directive: Directive) -> set[str]:
    """The actions the user may take on the item now (names from ``ACTIONS``)."""
    checks = {
        "edit": can_edit_draft,
        "issue": can_issue,
        "sign": can_sign,
        "feedback": can_feedback,
        "extend": can_extend,
        "apply_close": can_apply_close,
        "close": can_close,
        "return": can_return,
        "archive": can_archive,
        "reopen": can_reopen,
        "urge": can_urge,
    }
    if not can_see(user, directive):
        return set()
    return {name for name, check in checks.items() if check(user, directive)}
