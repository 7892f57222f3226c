"""What an evidence file really is, judged by its content, not by its name.

Allowed: PDF; PNG, JPEG, GIF, WebP images; Word, Excel and PowerPoint (Office Open XML, and the
older binary formats, including WPS's). The extension must agree with the content, so an .exe
renamed to .pdf is refused.
"""

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from hefei_ai_zone.errors import ApplicationError

ALLOWED_LABEL = "PDF、图片（PNG/JPEG/GIF/WebP）或 Word、Excel、PowerPoint 文件"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_TYPES = {
    ".doc": "application/msword",
    ".wps": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".et": "application/vnd.ms-excel",
    ".ppt": "application/vnd.ms-powerpoint",
    ".dps": "application/vnd.ms-powerpoint",
}
OOXML_TYPES = {
    "word/": (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ppt/": (".pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
}


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    extensions: tuple[str, ...]


def sniff(stream: IO[bytes], name: str) -> Sniffed | None:
    """The file's real type, or None when it is none of the allowed ones."""
    stream.seek(0)
    head = stream.read(16)
    stream.seek(0)
    ext = PurePath(name).suffix.lower()
    if head.startswith(b"%PDF-"):
        return Sniffed("application/pdf", (".pdf",))
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image/png", (".png",))
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image/jpeg", (".jpg", ".jpeg"))
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Sniffed("image/gif", (".gif",))
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image/webp", (".webp",))
    if head.startswith(OLE_MAGIC):
        return Sniffed(OLE_TYPES.get(ext, "application/x-ole-storage"), tuple(OLE_TYPES))
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(stream) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return None
        finally:
            stream.seek(0)
        if "[Content_Types].xml" in names:
            for prefix, (extension, content_type) in OOXML_TYPES.items():
                if any(n.startswith(prefix) for n in names):
                    return Sniffed(content_type, (extension,))
    return None


@dataclass(frozen=True)
class CheckedUpload:
    name: str  # the uploaded name, cleaned for display; never used to store the file
    content_type: str
    size: int
    sha256: str


def display_name(name: str) -> str:
    name = PurePath(name.replace("\\", "/")).name.strip()
    return "".join(ch for ch in name if ch.isprintable())[:200] or "未命名文件"


def check_upload(upload: UploadedFile, field: str = "file") -> CheckedUpload:
    """Size (≤ EVIDENCE_MAX_BYTES), type by content and an agreeing extension; every refusal is
    an ApplicationError naming ``field``, in Chinese. Used for every file users upload."""

    def refuse(message: str) -> ApplicationError:
        return ApplicationError(message, {"fields": {field: [message]}})

    name = display_name(upload.name or "")
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size is None or upload.size > limit:
        size_mb = (upload.size or 0) / 1024 / 1024
        raise refuse(f"“{name}”大小为 {size_mb:.1f} MB，超过了 {limit // 1024 // 1024} MB 的上限。")
    if upload.size == 0:
        raise refuse(f"“{name}”是空文件。")
    sniffed = sniff(upload, name)
    if sniffed is None:
        raise refuse(f"只能上传{ALLOWED_LABEL}；“{name}”的内容不是其中任何一种。")
    if PurePath(name).suffix.lower() not in sniffed.extensions:
        raise refuse(
            f"“{name}”的扩展名与文件内容不符（内容是 "
            f"{'/'.join(sniffed.extensions)} 文件），请检查后重新上传。"
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(name, sniffed.content_type, upload.size, digest.hexdigest())
