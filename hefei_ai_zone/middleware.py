"""Request middleware of the project.

``PasswordChangeRequiredMiddleware`` holds a person who logged in with a one-time password
(``User.must_change_password``, set by ``units.services.user_create`` when it generated the
password) at the password change page until they have chosen their own: pages redirect there, the
API answers 403 with the one error shape. The page itself, its confirmation, logout and static
files stay reachable. The flag is cleared by ``units.password.PasswordChangeView``. A password
older than PASSWORD_MAX_AGE_DAYS (``units.password_rules.password_expired``) is held the same way.

It looks at the session login only: an API token is a separate credential that an administrator
issues to a program, not the one-time password, so it is not held back.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from units.password_rules import password_expired

MESSAGE = "请先修改初始密码。"
EXPIRED_MESSAGE = "密码已超过规定期限未修改，请先修改密码。"


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self._allowed(request.path_info):
            if getattr(user, "must_change_password", False):
                return self._hold(request, MESSAGE)
            if password_expired(user):
                return self._hold(request, EXPIRED_MESSAGE)
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        allowed = (
            reverse("password_change"),
            reverse("password_change_done"),
            reverse("logout"),
        )
        static = "/" + settings.STATIC_URL.lstrip("/")
        return path in allowed or path.startswith(static) or path == "/favicon.ico"

    @staticmethod
    def _hold(request: HttpRequest, message: str) -> HttpResponse:
        return hold(request, reverse("password_change"), message, extra_key="password_change_url")


def hold(request: HttpRequest, url: str, message: str, *, extra_key: str = "url") -> HttpResponse:
    """Send a person who must do something first (change the password, give or enrol a second
    factor) to ``url``: the API answers 403 in the one shape naming it, a page redirects there and
    back (``next``), htmx loads the whole page instead of swapping it into a fragment."""
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {"message": message, "extra": {extra_key: url}},
            status=403,
            json_dumps_params={"ensure_ascii": False},
        )
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


# --- the idle timeout ---------------------------------------------------------------------------

TOUCHED = "_touched"  # when the session's expiry was last moved on (epoch seconds)


def session_touch_at_login(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """user_logged_in: a new session starts touched (login saves it anyway: no extra write)."""
    if hasattr(request, "session"):
        request.session[TOUCHED] = int(time.time())


class SessionIdleMiddleware:
    """A session ends SESSION_COOKIE_AGE (30 minutes) after the person's last request.

    Django's SESSION_SAVE_EVERY_REQUEST would write the session at every request (an UPDATE on
    every page and API call). Instead the session is marked modified, which saves it with a new
    expiry, when it was last touched more than SESSION_TOUCH_SECONDS (60) ago: at most one write
    a minute per person, and the session ends between 29 and 30 idle minutes after the last
    request. Sessions without a login are left alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.get("_auth_user_id"):
            now = int(time.time())
            if now - int(session.get(TOUCHED, 0)) >= settings.SESSION_TOUCH_SECONDS:
                session[TOUCHED] = now  # modified: saved with a fresh expiry
        return self.get_response(request)


# --- NULs ----------------------------------------------------------------------------------------


class NulInRequest(SuspiciousOperation):
    """A NUL in the address; its message is shown (hefei_ai_zone.views.bad_request)."""

    message = "请求地址中含有空字符（NUL），无法处理。"


class NulRefusedMiddleware:
    """A NUL in the path or the query string is a 400 (JSON under /api/, a Chinese page
    elsewhere: hefei_ai_zone.views.bad_request), never a 500 from PostgreSQL, which refuses NULs
    in text. Form fields and API fields refuse them themselves (Django's and DRF's CharField)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path_info or "%00" in query or "\x00" in query:
            raise NulInRequest(NulInRequest.message)
        return self.get_response(request)
