"""Who someone is: the roles every app asks about (the office, a leader, a unit's staff), and who
may see a unit's record and dashboard. The slices' own permission modules build on these."""

from django.contrib.auth.models import AnonymousUser

from units.models import Role, Unit, User


def is_office(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and (user.role in (Role.OFFICE, Role.ADMIN) or user.is_superuser)


def is_leader(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.role == Role.LEADER


def is_auditor(user: User | AnonymousUser) -> bool:
    """The security auditor (安全审计员, 三员分立): reads the audit log and writes nothing; never
    staff nor superuser (a database constraint on User)."""
    return (
        user.is_authenticated
        and user.role == Role.AUDITOR
        and not user.is_superuser
        and not user.is_staff
    )


def is_unit_staff(user: User | AnonymousUser) -> bool:
    return (
        user.is_authenticated
        and user.role in (Role.REPORTER, Role.APPROVER)
        and user.unit_id is not None
    )


def can_set_self_approval(user: User | AnonymousUser) -> bool:
    """Whether a unit's approver may approve a report they wrote: the office decides."""
    return is_office(user)


def can_see_unit_record(user: User, unit: Unit) -> bool:
    """The office, the leader and the unit's own staff see a unit's reporting record."""
    return is_office(user) or is_leader(user) or (is_unit_staff(user) and user.unit_id == unit.pk)
