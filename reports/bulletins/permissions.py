"""Who may do what with the 督查通报: the office drafts, edits, builds and publishes; everyone
logged in reads the published ones (the units and the leaders: the history); drafts are the
office's."""

from django.contrib.auth.models import AnonymousUser

from units.models import User
from units.permissions import is_leader, is_office

from .models import Bulletin


def can_manage(user: User | AnonymousUser) -> bool:
    """Draft, edit the commentary, build the files, publish."""
    return is_office(user)


def can_see(user: User | AnonymousUser, bulletin: Bulletin) -> bool:
    if not user.is_authenticated:
        return False
    return bulletin.is_published or can_manage(user)


def can_read_builds(user: User | AnonymousUser) -> bool:
    """The built files of the document system (/documents/): the office and the leaders."""
    return is_office(user) or is_leader(user)


def allowed_actions(user: User, bulletin: Bulletin) -> frozenset[str]:
    if not can_manage(user) or bulletin.is_published:
        return frozenset()
    return frozenset({"edit", "publish", "build"})
