"""Reads of the reminders: the active rules, the people a notice goes to (in one query), the
working-day calendar of the sweep's span (in one query), what is returned and what milestones
are near, and which units have been escalated in a period (for the period page)."""

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import OuterRef, Q, Subquery

from tasks.milestones.models import Milestone, MilestoneState
from tasks.reminders.models import Escalation, Recipient, ReminderRule
from tasks.reporting.models import (
    PeriodState,
    ProgressReport,
    ReportingPeriod,
    ReportState,
    ReportTransition,
)
from tasks.workdays.selectors import span_read
from units.contacts.models import Contact
from units.models import Role, Unit, User


def rules_active() -> list[ReminderRule]:
    return list(ReminderRule.objects.filter(active=True).order_by("id"))


def periods_open() -> list[ReportingPeriod]:
    return list(ReportingPeriod.objects.filter(state=PeriodState.OPEN).order_by("due_date", "id"))


def escalated_unit_ids(period: ReportingPeriod) -> set[int]:
    """The units the sweep has escalated (催办) in a period: one query."""
    return set(
        Escalation.objects.filter(period=period).values_list("unit_id", flat=True).distinct()
    )


# --- people -----------------------------------------------------------------------------------


@dataclass
class Staff:
    """The active reporters and approvers of every unit and the office (one query), and the
    email addresses of every unit's 联络员 (one query)."""

    by_unit: dict[int, dict[str, list[User]]] = field(default_factory=dict)
    office: list[User] = field(default_factory=list)
    contact_emails: dict[int, list[str]] = field(default_factory=dict)

    def of(self, unit_id: int, role: str) -> list[User]:
        return self.by_unit.get(unit_id, {}).get(role, [])


def staff_read() -> Staff:
    people = User.objects.filter(is_active=True).filter(
        Q(role__in=[Role.REPORTER, Role.APPROVER], unit__isnull=False) | Q(role=Role.OFFICE)
    )
    staff = Staff(by_unit=defaultdict(lambda: defaultdict(list)))
    for user in people.order_by("id"):
        if user.role == Role.OFFICE:
            staff.office.append(user)
        else:
            assert user.unit_id is not None
            staff.by_unit[user.unit_id][user.role].append(user)
    contacts = Contact.objects.exclude(email="").order_by("unit_id", "order", "id")
    for unit_id, email in contacts.values_list("unit_id", "email"):
        staff.contact_emails.setdefault(unit_id, []).append(email)
    return staff


def escalation_recipients(unit_id: int, staff: Staff) -> list[User]:
    """The accounts told of a 催办 for the unit's 联络员: its approvers (the 联络员 themselves
    have no account; they are emailed, see ``contact_addresses``)."""
    return staff.of(unit_id, Role.APPROVER)


def contact_addresses(unit_id: int, roles: list[str], staff: Staff) -> list[str]:
    """The email addresses of the unit's 联络员 when a rule names them."""
    return list(staff.contact_emails.get(unit_id, [])) if Recipient.CONTACT in roles else []


def unit_people(unit_id: int, roles: list[str], staff: Staff) -> tuple[list[User], list[User]]:
    """The unit's staff a rule names, and the office if it names the office (each notified with
    a link of their own)."""
    people: list[User] = []
    for role in roles:
        if role == Recipient.REPORTER:
            people += staff.of(unit_id, Role.REPORTER)
        elif role == Recipient.APPROVER:
            people += staff.of(unit_id, Role.APPROVER)
        elif role == Recipient.CONTACT:
            people += escalation_recipients(unit_id, staff)
    office = staff.office if Recipient.OFFICE in roles else []
    return people, office


# --- the calendar of the sweep ----------------------------------------------------------------


@dataclass(frozen=True)
class Workdays:
    """The working days of first..last, read once; steps are counted on them."""

    first: date
    last: date
    days: list[date]  # the working days, in order

    def before(self, day: date, n: int) -> date | None:
        """The working day with exactly n working days after it up to ``day`` (``day`` for
        n = 0): "n working days before the due date"; None when before the span."""
        if n == 0:
            return day
        i = bisect.bisect_right(self.days, day) - n - 1
        return self.days[i] if i >= 0 else None

    def after(self, day: date, n: int) -> date | None:
        """The n-th working day after ``day`` (``day`` for n = 0); None when after the span."""
        if n == 0:
            return day
        i = bisect.bisect_right(self.days, day) + n - 1
        return self.days[i] if i < len(self.days) else None

    def previous(self, day: date) -> date:
        """The last working day before ``day`` (the span reaches back far enough)."""
        i = bisect.bisect_left(self.days, day) - 1
        return self.days[i] if i >= 0 else self.first - timedelta(days=1)


def workdays_read(first: date, last: date) -> Workdays:
    """One query; WorkdayYearMissing when a year of the span is not entered."""
    span = span_read(first, last)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return Workdays(first, last, [d for d in days if span.is_workday(d)])


# --- what the rules watch ---------------------------------------------------------------------


def returned_reports(periods: list[ReportingPeriod]) -> list[ProgressReport]:
    """Reports of open periods still returned, each with ``returned_at`` (its last return) and
    ``return_id``: one query."""
    last_return = ReportTransition.objects.filter(
        report=OuterRef("pk"), to_state=ReportState.RETURNED
    ).order_by("-created_at", "-id")
    return list(
        ProgressReport.objects.filter(period__in=periods, state=ReportState.RETURNED)
        .annotate(
            returned_at=Subquery(last_return.values("created_at")[:1]),
            return_id=Subquery(last_return.values("id")[:1]),
        )
        .select_related("unit", "period", "assignment__task", "assignment__demo")
        .order_by("unit_id", "id")
    )


def milestones_near(first: date, last: date) -> list[Milestone]:
    """Milestones not done whose due date is in first..last: one query."""
    return list(
        Milestone.objects.filter(
            state=MilestoneState.PENDING,
            done_at__isnull=True,
            due_date__gte=first,
            due_date__lte=last,
        )
        .select_related("unit", "assignment__task", "assignment__demo")
        .order_by("unit_id", "due_date", "id")
    )


def units_by_id(ids: set[int]) -> dict[int, Unit]:
    return {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
