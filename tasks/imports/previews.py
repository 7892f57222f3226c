"""A previewed upload kept until it is confirmed: the file under MEDIA_ROOT/imports/ (random name,
never served), its name, period and 导入后提交 choice in the uploader's session. Confirming reads
it back and deletes it; a new preview replaces the previous one (its file deleted), so at most one
file per session waits."""

import uuid
from dataclasses import dataclass

from django.contrib.sessions.backends.base import SessionBase
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

SESSION_KEY = "import_preview"


@dataclass(frozen=True)
class Preview:
    token: str
    stored: str
    period: str
    submit: bool
    filename: str


def preview_keep(
    session: SessionBase, *, data: bytes, period: str, submit: bool, filename: str
) -> Preview:
    preview_drop(session)
    token = uuid.uuid4().hex
    stored = default_storage.save(f"imports/{token}.xlsx", ContentFile(data))
    session[SESSION_KEY] = {
        "token": token,
        "stored": stored,
        "period": period,
        "submit": submit,
        "filename": filename,
    }
    return Preview(token, stored, period, submit, filename)


def preview_of(session: SessionBase, token: str) -> Preview | None:
    held = session.get(SESSION_KEY)
    if not held or held.get("token") != token or not default_storage.exists(held["stored"]):
        return None
    return Preview(
        held["token"], held["stored"], held["period"], bool(held["submit"]), held["filename"]
    )


def preview_take(session: SessionBase, preview: Preview) -> bytes:
    """The previewed file's bytes; the file and the session's note are gone afterwards."""
    with default_storage.open(preview.stored, "rb") as f:
        data: bytes = f.read()
    preview_drop(session)
    return data


def preview_drop(session: SessionBase) -> None:
    held = session.pop(SESSION_KEY, None)
    if held and held.get("stored"):
        default_storage.delete(held["stored"])
