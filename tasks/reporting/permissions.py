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

from tasks.models import (
    EDITABLE_STATES,
    SUBMITTED_STATES,
    Assignment,
    ProgressReport,
    ReportingPeriod,
    ReportState,
)
from tasks.plan.selectors import unit_assignments
from units.models import Role, User
from units.permissions import is_leader, is_office, is_unit_staff


def reports_visible_to(user: User) -> Q:
    """A filter for ProgressReport querysets: what this user may see."""
    if is_office(user):
        return Q()
    if is_leader(user):
        return Q(state__in=SUBMITTED_STATES)
    if is_unit_staff(user) and user.unit is not None:
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
    return assignment.unit.is_group and assignment.unit.members.filter(pk=user.unit_id).exists()  # type: ignore[misc]


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


def wrote_report(user: User, report: ProgressReport) -> bool:
    """The person wrote the report: edited one of its versions or submitted it (one query)."""
    return ProgressReport.objects.filter(
        Q(versions__edited_by=user) | Q(transitions__actor=user, transitions__action="submit"),
        pk=report.pk,
    ).exists()


def reports_written_by(user: User, reports: list[ProgressReport]) -> set[int]:
    """Of these reports, the ids of those the person wrote and may not approve (their unit does
    not allow it): one query for a page of the approval queue."""
    ids = [r.pk for r in reports if not r.unit.self_approval_allowed]
    if not ids:
        return set()
    return set(
        ProgressReport.objects.filter(
            Q(versions__edited_by=user) | Q(transitions__actor=user, transitions__action="submit"),
            pk__in=ids,
        ).values_list("pk", flat=True)
    )


def self_approval_refused(user: User, report: ProgressReport) -> bool:
    """No approving one's own report (issue 11), unless the office allows it for the unit."""
    return not report.unit.self_approval_allowed and wrote_report(user, report)


def other_approvers(user: User, report: ProgressReport) -> bool:
    """Whether the unit has another active approver who did not write the report."""
    writers = Q(pk__in=report.versions.values("edited_by")) | Q(
        pk__in=report.transitions.filter(action="submit").values("actor")
    )
    return (
        User.objects.filter(unit_id=report.unit_id, role=Role.APPROVER, is_active=True)
        .exclude(pk=user.pk)
        .exclude(writers)
        .exists()
    )


def may_approve_in_workflow(user: User, report: ProgressReport) -> bool:
    """The unit's approver and a report waiting for the unit, whoever wrote it."""
    return (
        user.is_authenticated
        and user.role == Role.APPROVER
        and report.unit_id == user.unit_id
        and report.state == ReportState.SUBMITTED
    )


def can_approve_report(user: User, report: ProgressReport) -> bool:
    return may_approve_in_workflow(user, report) and not self_approval_refused(user, report)


def can_accept_report(user: User, report: ProgressReport) -> bool:
    return is_office(user) and awaits_office(report)


def can_return_report(user: User, report: ProgressReport) -> bool:
    """Sending back is no approval: the unit's approver may return even a report they wrote."""
    return may_approve_in_workflow(user, report) or can_accept_report(user, report)


def can_reopen_report(user: User, report: ProgressReport) -> bool:
    return is_office(user) and report.state == ReportState.ACCEPTED


def can_see_approval_queue(user: User) -> bool:
    """待我审核: a unit's approver reviews the unit's submitted reports."""
    return user.is_authenticated and user.role == Role.APPROVER and user.unit_id is not None


def can_see_review_queue(user: User) -> bool:
    """The office's review queue (审核)."""
    return is_office(user)


def can_manage_periods(user: User) -> bool:
    return is_office(user)


def can_write_in_period(period: ReportingPeriod) -> bool:
    return period.is_open


def can_see_period_overview(user: User) -> bool:
    """Every unit's reporting in a period: the office and the leader."""
    return is_office(user) or is_leader(user)


# What can be done to a report, in the order the API lists them. "update" is the content;
# "add_evidence" and "remove_evidence" its files.
REPORT_ACTIONS = (
    "update",
    "submit",
    "add_evidence",
    "remove_evidence",
    "approve",
    "return",
    "accept",
    "reopen",
)


def allowed_actions(user: User, report: ProgressReport) -> frozenset[str]:
    """What this user may do with this report now: the one answer behind the page's buttons and
    the API's ``allowed_actions``. tasks.reporting.services refuses exactly the rest (each with
    its reason): content, files and submission need the unit's staff, a draft or returned
    report, and an open period; the reviews follow the workflow whatever the period's state.
    (Whether the content is complete enough to submit is the service's check of the input.)"""
    actions: set[str] = set()
    if can_edit_report(user, report) and can_write_in_period(report.period):
        actions |= {"update", "submit", "add_evidence", "remove_evidence"}
    in_workflow = may_approve_in_workflow(user, report)
    if in_workflow and not self_approval_refused(user, report):
        actions.add("approve")
    accept = can_accept_report(user, report)
    if accept:
        actions.add("accept")
    if in_workflow or accept:  # can_return_report, without asking twice
        actions.add("return")
    if can_reopen_report(user, report):
        actions.add("reopen")
    return frozenset(actions)
