"""Evidence files over HTTP, for the pages and the API alike.

Files live under MEDIA_ROOT and have no public URL: a view first finds the report through
``selectors.report_detail`` (a report the user may not see is a 404) and then answers with
``evidence_response``. Uploads larger than the limit are refused from the Content-Length header,
before the body is read.
"""

from django.conf import settings
from django.http import FileResponse, HttpRequest

from .models import Evidence

UPLOAD_OVERHEAD = 1024 * 1024  # multipart boundaries and the other form fields


def evidence_response(evidence: Evidence) -> FileResponse:
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def upload_too_large(request: HttpRequest) -> bool:
    """True when the request body is announced larger than one evidence file may be."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.EVIDENCE_MAX_BYTES + UPLOAD_OVERHEAD


def too_large_message() -> str:
    return f"上传的文件超过了 {settings.EVIDENCE_MAX_BYTES // 1024 // 1024} MB 的上限。"
