"""A previewed plan workbook kept until it is published: the file under
MEDIA_ROOT/plan_imports/ (random name, never served), its name in the office user's session.
Publishing reads it back and deletes it; a new upload replaces the previous one (its file
deleted), so at most one file per session waits (as tasks.imports.previews does)."""

import uuid
from dataclasses import dataclass

from django.contrib.sessions.backends.base import SessionBase
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

SESSION_KEY = "plan_import_preview"


@dataclass(frozen=True)
class PlanPreview:
    token: str
    stored: str
    filename: str


def plan_preview_keep(session: SessionBase, *, data: bytes, filename: str) -> PlanPreview:
    plan_preview_drop(session)
    token = uuid.uuid4().hex
    stored = default_storage.save(f"plan_imports/{token}.xlsx", ContentFile(data))
    session[SESSION_KEY] = {"token": token, "stored": stored, "filename": filename}
    return PlanPreview(token, stored, filename)


def plan_preview_of(session: SessionBase, token: str) -> PlanPreview | None:
    held = session.get(SESSION_KEY)
    if not held or held.get("token") != token or not default_storage.exists(held["stored"]):
        return None
    return PlanPreview(held["token"], held["stored"], held["filename"])


def plan_preview_read(preview: PlanPreview) -> bytes:
    with default_storage.open(preview.stored, "rb") as f:
        data: bytes = f.read()
    return data


def plan_preview_drop(session: SessionBase) -> None:
    held = session.pop(SESSION_KEY, None)
    if held and held.get("stored"):
        default_storage.delete(held["stored"])
