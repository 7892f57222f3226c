"""Who may arrange, mark done and confirm milestones (年度工作安排), and read their files."""

from django.db.models import Q

from tasks.milestones.models import Milestone, MilestoneState
from tasks.plan.models import Assignment, AssignmentRole
from units.models import User
from units.permissions import is_leader, is_office, is_unit_staff


def is_lead_staff(user: User, assignment: Assignment) -> bool:
    """The user works for the lead unit of the assignment's task (or demo project)."""
    if not is_unit_staff(user):
        return False
    owner = Q(task=assignment.task_id) if assignment.task_id else Q(demo=assignment.demo_id)
    return Assignment.objects.filter(owner, role="lead", unit=user.unit_id).exists()


def can_arrange_milestones(user: User, assignment: Assignment) -> bool:
    """The office sets milestones; the lead unit proposes them for the office to confirm."""
    return is_office(user) or is_lead_staff(user, assignment)


def led_by(user: User) -> set[tuple[int | None, int | None]]:
    """(task id, demo id) of everything the user's unit leads (one query; empty for others)."""
    if not is_unit_staff(user):
        return set()
    return set(
        Assignment.objects.filter(unit=user.unit_id, role=AssignmentRole.LEAD).values_list(
            "task_id", "demo_id"
        )
    )


def can_read_milestone_file(
    user: User, milestone: Milestone, led: set[tuple[int | None, int | None]] | None = None
) -> bool:
    """The owing unit, the lead unit, the office and the leader; ``led`` from ``led_by`` saves
    a query per row in lists."""
    if is_office(user) or is_leader(user):
        return True
    if not is_unit_staff(user):
        return False
    if milestone.unit_id == user.unit_id:
        return True
    led = led_by(user) if led is None else led
    return (milestone.assignment.task_id, milestone.assignment.demo_id) in led


def can_edit_arrangement(user: User, milestone: Milestone, *, is_lead: bool | None = None) -> bool:
    """The office may change any milestone; the lead unit may change or withdraw what it
    proposed while the office has not confirmed it and nothing has been done on it. ``is_lead``
    (is_lead_staff, known already) saves a query per row in lists.
    """
    if is_office(user):
        return True
    if milestone.arrangement_confirmed or milestone.state != MilestoneState.PENDING:
        return False
    return is_lead_staff(user, milestone.assignment) if is_lead is None else is_lead


def can_confirm_arrangement(user: User) -> bool:
    return is_office(user)


def can_mark_milestone_done(user: User, milestone: Milestone) -> bool:
    return (
        is_unit_staff(user)
        and milestone.unit_id == user.unit_id
        and milestone.state == MilestoneState.PENDING
        and milestone.arrangement_confirmed
    )


def can_confirm_milestone(user: User, milestone: Milestone) -> bool:
    """The office confirms a milestone marked done (or sends it back as not done)."""
    return is_office(user) and milestone.state == MilestoneState.DONE


# What can be done to a milestone, in the order the API lists them.
MILESTONE_ACTIONS = ("update", "delete", "confirm_arrangement", "mark_done", "confirm", "reject")


def allowed_actions(
    user: User, milestone: Milestone, *, led: set[tuple[int | None, int | None]] | None = None
) -> frozenset[str]:
    """What this user may do with this milestone now: the one answer behind the pages' buttons
    and the API's ``allowed_actions``; tasks.milestones.services refuses exactly the rest. ``led``
    (from ``led_by``) saves a query per row in lists."""
    actions: set[str] = set()
    is_lead = (
        None if led is None else (milestone.assignment.task_id, milestone.assignment.demo_id) in led
    )
    if can_edit_arrangement(user, milestone, is_lead=is_lead):
        actions |= {"update", "delete"}
    if can_confirm_arrangement(user) and not milestone.arrangement_confirmed:
        actions.add("confirm_arrangement")
    if can_mark_milestone_done(user, milestone):
        actions.add("mark_done")
    if can_confirm_milestone(user, milestone):
        actions |= {"confirm", "reject"}
    return frozenset(actions)
