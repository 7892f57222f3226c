"""Who may do what with documents. What one may request or read is the document's own rule (its
Builder's ``may_request`` / ``may_read``, over the slices' permissions); this module adds the
list and the menu."""

from django.contrib.auth.models import AnonymousUser

from hefei_ai_zone.errors import ApplicationError
from units.models import User
from units.permissions import is_leader, is_office

from .models import BuildState, DocumentBuild
from .registry import builder_for


def can_see_document_menu(user: User | AnonymousUser) -> bool:
    """The 文件 entry of the menu: the office and the leaders (others reach a build from the page
    that requested it)."""
    return is_office(user) or is_leader(user)


def can_read_build(user: User, build: DocumentBuild) -> bool:
    """Whoever may read the document may follow its build (the office sees every build)."""
    try:
        builder = builder_for(build.kind)
    except ApplicationError:
        return is_office(user)  # a kind no longer registered: only the office sees the row
    return is_office(user) or builder.may_read(user, build.params)


def can_download(user: User, build: DocumentBuild) -> bool:
    return build.state == BuildState.DONE and bool(build.file) and can_read_build(user, build)
