"""Who may see, record, correct and verify achievement ledger (成果台账) entries."""

from django.db.models import Q

from tasks.ledger.models import IDENTIFIER_REQUIRED, AchievementEntry, EntryState
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


# What can be done to an entry, in the order the API lists them.
ENTRY_ACTIONS = ("update", "verify", "reject")


def allowed_actions(user: User, entry: AchievementEntry) -> frozenset[str]:
    """What this user may do with this entry now: the one answer behind the page's buttons and
    the API's ``allowed_actions``; tasks.ledger.services refuses exactly the rest. The office
    verifies an entry not yet verified that has the identifier its kind needs, and rejects one
    not yet rejected. (Whether another entry has counted the same identifier since is the
    service's check, with a message naming that entry.)"""
    actions: set[str] = set()
    if can_edit_entry(user, entry):
        actions.add("update")
    if can_verify_entry(user):
        if entry.state != EntryState.VERIFIED and not lacks_identifier(entry):
            actions.add("verify")
        if entry.state != EntryState.REJECTED:
            actions.add("reject")
    return frozenset(actions)


def lacks_identifier(entry: AchievementEntry) -> bool:
    """A patent or a standard without its number cannot be counted (nor verified)."""
    return entry.kind in IDENTIFIER_REQUIRED and not entry.identifier
