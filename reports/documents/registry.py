"""What can be built: each kind of document registers a Builder at import time (the modules
that define them are imported by ``reports.apps.ReportsConfig.ready``). The build services and
pages ask ``builder_for(kind)`` and know nothing of any one document."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hefei_ai_zone.errors import ApplicationError

if TYPE_CHECKING:
    from units.models import User

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMAT_LABELS = {"pdf": "PDF", "docx": "Word", "xlsx": "Excel"}


@dataclass(frozen=True)
class BuiltFile:
    filename: str
    content: bytes
    content_type: str


Progress = Callable[[int, str], None]  # (percent 0–100, stage in Chinese)


@dataclass(frozen=True)
class Builder:
    kind: str  # "supervision_order", "report", "bulletin", "annual"
    label: str  # Chinese, e.g. "督办单"
    formats: tuple[str, ...]  # ("pdf", "docx") or ("xlsx", "pdf", "docx")
    parse_params: Callable[[Mapping[str, str]], dict[str, Any]]  # raises ApplicationError
    may_request: Callable[["User", dict[str, Any]], bool]
    may_read: Callable[["User", dict[str, Any]], bool]
    build: Callable[[dict[str, Any], str, Progress], BuiltFile]  # params, format, progress
    describe: Callable[[dict[str, Any]], str]  # e.g. "2021年第三季度督查通报"


_BUILDERS: dict[str, Builder] = {}


def register(builder: Builder) -> None:
    """Make a kind of document buildable; registering the same kind again replaces it."""
    _BUILDERS[builder.kind] = builder


def builder_for(kind: str) -> Builder:
    try:
        return _BUILDERS[kind]
    except KeyError:
        raise ApplicationError("没有这种文件。", {"fields": {"kind": ["没有这种文件。"]}}) from None


def param_id(params: Mapping[str, Any], name: str) -> int:
    """A parsed params' id (0, which names no row, when it is missing or not a number)."""
    value = params.get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def builders() -> list[Builder]:
    """Every registered kind, in registration order."""
    return list(_BUILDERS.values())
