"""Project-wide views: liveness, the API's documentation page, the error pages (handler400/403/
404/500 in urls.py).

An error under /api/ answers the API's one JSON shape, ``{"message": ..., "extra": {}}``, the same
words as the DRF exception handler (hefei_ai_zone.api); DRF answers its own views' errors, these
handlers the rest (a path no view matches, an exception DRF leaves to Django). Every other path
gets a Chinese page in the site's layout.

The 404 and 403 pages render with the request, so the navigation bar shows the user's menu. The
400 and 500 pages render with an empty context, as Django's own handlers do: no context processor
runs, so no database query (the database may be what failed) and the navigation bar shows the
platform's name only. Should even that fail, a plain Chinese page answers.
"""

import logging
import sys

from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from tasks.reporting.worklists import approval_count
from units.permissions import is_auditor, is_leader, is_office, is_unit_staff

from .api import _MESSAGES as API_MESSAGES
from .errors import DATABASE_RETRY_AFTER_SECONDS, DATABASE_UNAVAILABLE_MESSAGE, database_unavailable
from .middleware import NulInRequest

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
SERVER_ERROR_MESSAGE = "系统出错了，请稍后再试；错误已记录。"
FALLBACK_PAGE = (
    '<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">'
    "<title>{title} · 合肥人工智能试验区督查平台</title></head>"
    '<body><h1>{title}</h1><p>错误已记录。</p><p><a href="/">返回首页</a></p></body></html>'
)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "error"
    try:
        cache.set("healthz", "1", 5)
        checks["cache"] = "ok" if cache.get("healthz") == "1" else "error"
    except Exception:
        checks["cache"] = "error"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def home(request: HttpRequest) -> HttpResponseRedirect:
    """'/': unit users land on their work list (an approver with reports waiting on 待我审核),
    the office and the leader on the dashboard (总览); a visitor not yet logged in logs in
    first and then comes back here."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if is_unit_staff(user):
        if approval_count(user):  # an approver with reports waiting
            return redirect("reporting:approvals")
        return redirect("reporting:my-tasks")
    if is_office(user) or is_leader(user):
        return redirect("dashboard:dashboard")
    if is_auditor(user):
        return redirect("audit:entry-list")
    return redirect("plan:task-list")


class ApiDocsView(SpectacularSwaggerSplitView):
    """The Swagger UI page (/api/docs/), its start-up script a separate request (?script) so that
    the Content Security Policy needs no inline script. A browser not logged in is sent to the
    login page and comes back after it; a program (no text/html in Accept) gets the API's 401
    like every other /api/ path."""

    # A redirect is no DRF Response, but DRF takes any HttpResponse here (the stubs say Response).
    def handle_exception(self, exc: Exception) -> HttpResponse:  # type: ignore[override]
        response: HttpResponse
        browser = "text/html" in self.request.headers.get("Accept", "")
        if isinstance(exc, exceptions.NotAuthenticated) and browser:
            response = redirect_to_login(self.request.get_full_path())
        else:
            response = super().handle_exception(exc)
            # The error in the API's JSON shape, not through the Swagger UI page's template.
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        patch_vary_headers(response, ["Accept"])
        return response


class ApiSchemaView(SpectacularAPIView):
    """/api/schema/: its errors (a 401 without login) in the API's JSON shape, not rendered by the
    schema's own renderer (YAML by default, found by the URL matrix)."""

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


# --- error pages --------------------------------------------------------------------------------


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _api_error(status_code: int, message: str | None = None) -> JsonResponse:
    return JsonResponse(
        {"message": message or API_MESSAGES[status_code], "extra": {}},
        status=status_code,
        json_dumps_params={"ensure_ascii": False},
    )


def _bare_page(template_name: str, status_code: int, title: str) -> HttpResponse:
    """A page rendered without the request: no context processor, no database query."""
    try:
        html = loader.get_template(template_name).render()
    except Exception:
        logger.exception("错误页 %s 无法渲染，改用纯文本页面。", template_name)
        html = FALLBACK_PAGE.format(title=title)
    return HttpResponse(html, status=status_code)


TOO_LARGE_MESSAGE = "提交的内容过大，未被读取。"


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A 400; a body over DATA_UPLOAD_MAX_MEMORY_SIZE or with too many fields or files (Django
    raises these as suspicious operations) is a 413, which is what it is."""
    if isinstance(exception, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        if _is_api(request):
            return _api_error(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, TOO_LARGE_MESSAGE)
        return _bare_page("413.html", status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "提交的内容过大")
    if _is_api(request):
        message = NulInRequest.message if isinstance(exception, NulInRequest) else None
        return _api_error(status.HTTP_400_BAD_REQUEST, message)
    return _bare_page("400.html", status.HTTP_400_BAD_REQUEST, "请求有误")


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(status.HTTP_403_FORBIDDEN)
    return render(request, "403.html", status=status.HTTP_403_FORBIDDEN)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(status.HTTP_404_NOT_FOUND)
    return render(request, "404.html", status=status.HTTP_404_NOT_FOUND)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """A 500; the database unreachable (raised by a view, or by a middleware reading the session
    or the user) a 503 that says so: Django calls this inside its ``except``, so the exception
    is at hand."""
    if database_unavailable(sys.exc_info()[1]):
        response: HttpResponse
        if _is_api(request):
            response = _api_error(status.HTTP_503_SERVICE_UNAVAILABLE, DATABASE_UNAVAILABLE_MESSAGE)
        else:
            response = _bare_page(
                "503.html", status.HTTP_503_SERVICE_UNAVAILABLE, "数据库暂时无法连接"
            )
        response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
        return response
    if _is_api(request):
        return _api_error(status.HTTP_500_INTERNAL_SERVER_ERROR, SERVER_ERROR_MESSAGE)
    return _bare_page("500.html", status.HTTP_500_INTERNAL_SERVER_ERROR, "系统出错了")
