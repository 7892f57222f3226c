"""Uploaded files (report evidence, a milestone's or a ledger entry's file) over HTTP and on
disk, for the pages, the API and the services alike.

Files live under MEDIA_ROOT and have no public URL: a view first finds the report, milestone or
entry through its selector (one the user may not see is a 404) and then answers with
``attachment_response``. Uploads larger than the limit are refused from the Content-Length
header, before the body is read.
"""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpRequest
from django.utils import timezone

from tasks.evidence import check_upload
from units.audit import services as audit
from units.audit.models import AuditKind

UPLOAD_OVERHEAD = 1024 * 1024  # multipart boundaries and the other form fields


def attachment_response(file: FieldFile, filename: str, content_type: str) -> FileResponse:
    """The file as a download that the browser never runs or shows inline; recorded in the audit
    log (who, which file of which object)."""
    instance = getattr(file, "instance", None)
    audit.record(
        AuditKind.DOWNLOAD,
        obj=instance if isinstance(instance, models.Model) else None,
        detail=f"下载 {filename or file.name}",
    )
    response = FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=filename or "佐证材料",
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def file_response(instance: Any) -> FileResponse:
    """A report's evidence, a milestone's or a ledger entry's file (``file``, ``file_name``,
    ``file_type``)."""
    return attachment_response(instance.file, instance.file_name, instance.file_type)


@contextmanager
def upload_stored(instance: Any, upload: UploadedFile | None) -> Iterator[None]:
    """Check the upload (tasks.evidence.check_upload) and store it as the instance's ``file``,
    with ``file_name`` and ``file_type``, unsaved, for the block that saves the instance. If the
    block fails, the new file is deleted; once it has succeeded, the file it replaced is deleted
    after the commit. Without an upload, nothing changes."""
    if upload is None:
        yield
        return
    old = instance.file.name
    checked = check_upload(upload, field="file")
    instance.file.save(checked.name, upload, save=False)
    stored = instance.file.name
    instance.file_name, instance.file_type = checked.name, checked.content_type
    try:
        yield
    except BaseException:
        instance.file.storage.delete(stored)
        raise
    if old and old != stored:
        storage = instance.file.storage
        transaction.on_commit(_deleter(storage, old))


def _deleter(storage: Any, name: str) -> Callable[[], None]:
    return lambda: storage.delete(name)


def upload_too_large(request: HttpRequest) -> bool:
    """True when the request body is announced larger than one evidence file may be."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.EVIDENCE_MAX_BYTES + UPLOAD_OVERHEAD


def too_large_message() -> str:
    return f"上传的文件超过了 {settings.EVIDENCE_MAX_BYTES // 1024 // 1024} MB 的上限。"


def attachment_path(instance: models.Model, filename: str) -> str:
    return f"{instance._meta.model_name}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"
