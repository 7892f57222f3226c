"""Who may see and do what with reporting periods and progress reports: the one place.

Pages, the API, the Excel import and the Celery jobs all ask here. A user who may not *see* a
report gets a 404 from the views (``reports_visible_to`` scopes every queryset); a user who may see
it but not act on it gets a 403 with the reason.

- Everyone logged in reads the plan.
- A unit's reporter and approver read and write their own unit's reports; they read the
  submitted reports (never drafts) of the other units on the same task or demo project.
- The office (领导小组办公室) reads everything and reviews; the system administrator likewise.
- The leader reads everything that has been submitted, never drafts, and writes nothing.
"""

from django.db.models import Q

from units.models import Role, Unit, User

from .models import (
    EDITABLE_STATES,
    SUBMITTED_STATES,
    AchievementEntry,
    Assignment,
    AssignmentRole,
    EntryState,
    Milestone,
    MilestoneState,
    ProgressReport,
    ReportingPeriod,
    ReportState,
)


def is_office(user: User) -> bool:
    return user.is_authenticated and (user.role in (Role.OFFICE, Role.ADMIN) or user.is_superuser)


def is_leader(user: User) -> bool:
    return user.is_authenticated and user.role == Role.LEADER


def is_unit_staff(user: User) -> bool:
    return (
        user.is_authenticated
        and user.role in (Role.REPORTER, Role.APPROVER)
        and user.unit_id is not None
    )


def unit_assignments(unit: Unit) -> Q:
    """Assignments a unit answers for: to itself, or to a group it belongs to."""
    return Q(unit=unit) | Q(unit__members=unit)


def reports_visible_to(user: User) -> Q:
    """A filter for ProgressReport querysets: what this user may see."""
    if is_office(user):
        return Q()
    if is_leader(user):
        return Q(state__in=SUBMITTED_STATES)
    if is_unit_staff(user):
        mine = Assignment.objects.filter(unit_assignments(user.unit))
        tasks = mine.filter(task__isnull=False).values("task_id")
        demos = mine.filter(demo__isnull=False).values("demo_id")
        partners = Q(assignment__task__in=tasks) | Q(assignment__demo__in=demos)
        return Q(unit=user.unit) | (partners & Q(state__in=SUBMITTED_STATES))
    return Q(pk__in=[])


def can_see_report(user: User, report: ProgressReport) -> bool:
    return ProgressReport.objects.filter(reports_visible_to(user), pk=report.pk).exists()


def can_report_for(user: User, assignment: Assignment) -> bool:
    """The user's unit answers for the assignment (directly or as a member of its group)."""
    if not is_unit_staff(user):
        return False
    if assignment.unit_id == user.unit_id:
        return True
    return assignment.unit.is_group and assignment.unit.members.filter(pk=user.unit_id).exists()


def can_edit_report(user: User, report: ProgressReport) -> bool:
    return (
        is_unit_staff(user) and report.unit_id == user.unit_id and report.state in EDITABLE_STATES
    )


def can_submit_report(user: User, report: ProgressReport) -> bool:
    return can_edit_report(user, report)


def unit_has_approver(unit_id: int) -> bool:
    return User.objects.filter(unit_id=unit_id, role=Role.APPROVER, is_active=True).exists()


def awaits_office(report: ProgressReport) -> bool:
    """Approved by the unit, or submitted by a unit that has no approver."""
    return report.state == ReportState.APPROVED or (
        report.state == ReportState.SUBMITTED and not unit_has_approver(report.unit_id)
    )


def can_approve_report(user: User, report: ProgressReport) -> bool:
    return (
        user.is_authenticated
        and user.role == Role.APPROVER
        and report.unit_id == user.unit_id
        and report.state == ReportState.SUBMITTED
    )


def can_accept_report(user: User, report: ProgressReport) -> bool:
    return is_office(user) and awaits_office(report)


def can_return_report(user: User, report: ProgressReport) -> bool:
    return can_approve_report(user, report) or can_accept_report(user, report)


def can_reopen_report(user: User, report: ProgressReport) -> bool:
    return is_office(user) and report.state == ReportState.ACCEPTED


def can_manage_periods(user: User) -> bool:
    return is_office(user)


def can_write_in_period(period: ReportingPeriod) -> bool:
    return period.is_open


def can_see_unit_record(user: User, unit: Unit) -> bool:
    """The office, the leader and the unit's own staff see a unit's reporting record."""
    return is_office(user) or is_leader(user) or (is_unit_staff(user) and user.unit_id == unit.pk)


def can_see_period_overview(user: User) -> bool:
    """Every unit's reporting in a period: the office and the leader."""
    return is_office(user) or is_leader(user)


# --- milestones (年度工作安排) -------------------------------------------------------------------


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


# --- the achievement ledger (成果台账) ---------------------------------------------------------


def entries_visible_to(user: User) -> Q:
    """A filter for AchievementEntry querysets: the office and the leader see every entry;
    a unit's staff see their own unit's entries and every verified one."""
    if is_office(user) or is_leader(user):
        return Q()
    if is_unit_staff(user):
        return Q(unit=user.unit_id) | Q(state=EntryState.VERIFIED)
    return Q(pk__in=[])


def can_record_entry(user: User, unit: Unit) -> bool:
    """A unit's staff record their own unit's achievements; the office records any unit's."""
    return is_office(user) or (is_unit_staff(user) and user.unit_id == unit.pk)


def can_edit_entry(user: User, entry: AchievementEntry) -> bool:
    """Until verified, the recording unit (or the office) may correct an entry."""
    return entry.state != EntryState.VERIFIED and can_record_entry(user, entry.unit)


def can_verify_entry(user: User) -> bool:
    return is_office(user)
