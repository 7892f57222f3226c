"""Who keeps and who reads a unit's contact people."""

from units.models import Unit, User
from units.permissions import can_see_unit_record, is_office


def can_manage_contacts(user: User) -> bool:
    """The office keeps every unit's 联络员."""
    return is_office(user)


def can_see_contacts(user: User, unit: Unit) -> bool:
    """Whoever sees the unit's record: the office, the leader, the unit's own staff."""
    return can_see_unit_record(user, unit)
