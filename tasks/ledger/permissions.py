"""Who may see, record, correct and verify achievement ledger (成果台账) entries."""

from django.db.models import Q

from tasks.ledger.models import AchievementEntry, EntryState
from units.models import Unit, User
from units.permissions import is_leader, is_office, is_unit_staff


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
