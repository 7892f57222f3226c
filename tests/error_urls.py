"""A test-only URLconf: the project's URLs, its error handlers, and views that fail on purpose.

Used with ``override_settings(ROOT_URLCONF="tests.error_urls")`` by tests/test_error_pages.py and
tests/e2e/test_error_pages.py, so the real handlers answer real exceptions.
"""

from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hefei_ai_zone import urls as project_urls
from units.models import Unit

handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500


class BrokenError(Exception):
    """What the failing views raise: a bug, not an error the application expects."""


def crash(request: HttpRequest) -> HttpResponse:
    raise BrokenError("测试用：页面故意出错")


def forbid(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def bad(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("测试用：可疑请求")


class CrashingApiView(APIView):
    """A DRF view with a bug: DRF leaves the exception to Django, that is to handler500."""

    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        raise BrokenError("测试用：接口故意出错")


class InvalidModelApiView(APIView):
    """A DRF view whose model check fails, as a service's full_clean() would: Django's own
    ValidationError (by field, or of the whole object), which the API answers as a 400."""

    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        if request.query_params.get("whole"):
            raise ValidationError("测试用：整个对象有误。")
        Unit(name="", kind="nonsense").full_clean(validate_unique=False)
        return Response({})


urlpatterns = [
    path("test-errors/crash/", crash),
    path("test-errors/forbid/", forbid),
    path("test-errors/bad/", bad),
    path("api/test-errors/crash/", crash),
    path("api/test-errors/forbid/", forbid),
    path("api/test-errors/drf-crash/", CrashingApiView.as_view()),
    path("api/test-errors/invalid/", InvalidModelApiView.as_view()),
    *project_urls.urlpatterns,
]
