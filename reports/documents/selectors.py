"""Reads of document builds: the list a user may read (newest first) and one build."""

from dataclasses import dataclass

from hefei_ai_zone.errors import ApplicationError
from units.models import User

from .models import DocumentBuild
from .permissions import can_download, can_read_build
from .registry import FORMAT_LABELS, builder_for

LIST_LIMIT = 200  # the newest builds looked at for the list


@dataclass(frozen=True)
class BuildRow:
    build: DocumentBuild
    label: str  # 督办单, 督查通报...
    description: str  # 督办〔2023〕3号 ...
    format_label: str  # PDF, Word, Excel
    may_download: bool


def _label(build: DocumentBuild) -> str:
    try:
        return builder_for(build.kind).label
    except ApplicationError:  # a kind no longer registered
        return build.kind


def build_row(user: User, build: DocumentBuild) -> BuildRow:
    """A build with what the pages show (its title was described when it was requested)."""
    return BuildRow(
        build=build,
        label=_label(build),
        description=build.title,
        format_label=FORMAT_LABELS.get(build.fmt, build.fmt),
        may_download=can_download(user, build),
    )


def build_list(user: User, *, kind: str = "") -> list[BuildRow]:
    """The builds the user may read, newest first (of the newest LIST_LIMIT)."""
    builds = DocumentBuild.objects.select_related("requested_by", "requested_by__unit").order_by(
        "-created_at", "-id"
    )
    if kind:
        builds = builds.filter(kind=kind)
    return [build_row(user, b) for b in builds[:LIST_LIMIT] if can_read_build(user, b)]


def build_detail(user: User, pk: int) -> DocumentBuild | None:
    """The build, or None when it does not exist or the user may not read it (a 404)."""
    build = DocumentBuild.objects.select_related("requested_by").filter(pk=pk).first()
    if build is None or not can_read_build(user, build):
        return None
    return build
