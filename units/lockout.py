"""Login lockout (等保 2.0: 登录失败处理) with django-axes and its database handler: after
AXES_FAILURE_LIMIT (5) failed logins of one username within LOCKOUT_WINDOW (15 minutes), that
username is locked for LOCKOUT_DURATION (30 minutes), on the login page and on
``/api/auth/token/`` alike; an administrator lifts it earlier (the user admin's action
解除登录锁定, ``units.services.user_unlock``).

axes counts failures in one row per client whose time moves with each failure, so its own window
is "each failure within the cool-off of the one before". The handler here counts axes' failure log
(``AccessFailureLog``, one row per failure with its time) instead: the lock starts at the failure
that makes five within fifteen minutes and lasts thirty minutes from it. Failures during a lock
are not recorded (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False), so an attacker cannot
keep a person locked for ever by trying once every half hour... at most once per lock.

Times are the real clock (axes' ``attempt_time``), not the demo date of settings.local.
"""

from datetime import datetime, timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

LOCKOUT_WINDOW = timedelta(minutes=15)
LOCKOUT_DURATION = timedelta(minutes=30)


def lockout_message() -> str:
    minutes = int(LOCKOUT_DURATION.total_seconds() // 60)
    window = int(LOCKOUT_WINDOW.total_seconds() // 60)
    return (
        f"登录失败次数过多（{window} 分钟内 {settings.AXES_FAILURE_LIMIT} 次），账号已锁定 "
        f"{minutes} 分钟。请稍后再试，或请系统管理员解锁。"
    )


def locked_until(username: str, *, now: datetime | None = None) -> datetime | None:
    """When the lock of this username ends, or None if it is not locked (a name with a NUL is no
    account's, and PostgreSQL cannot even compare it: never locked, the form refuses it)."""
    if not username or "\x00" in username:
        return None
    now = now or timezone.now()
    limit = settings.AXES_FAILURE_LIMIT
    times = list(
        AccessFailureLog.objects.filter(
            username=username, attempt_time__gte=now - LOCKOUT_DURATION - LOCKOUT_WINDOW
        )
        .order_by("attempt_time")
        .values_list("attempt_time", flat=True)
    )
    until = None
    for i in range(len(times) - limit + 1):
        start, fifth = times[i], times[i + limit - 1]
        if fifth - start <= LOCKOUT_WINDOW and fifth + LOCKOUT_DURATION > now:
            until = fifth + LOCKOUT_DURATION
    return until


def lockout_clear(username: str) -> int:
    """Forget the recent failures of a username (an administrator's unlock); how many."""
    since = timezone.now() - LOCKOUT_DURATION - LOCKOUT_WINDOW
    deleted, _ = AccessFailureLog.objects.filter(
        username=username, attempt_time__gte=since
    ).delete()
    AccessAttempt.objects.filter(username=username).delete()
    return deleted


class WindowedLockoutHandler(AxesDatabaseHandler):
    """axes' database handler with the window and duration above."""

    def get_failures(self, request: Any, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        if locked_until(username or ""):
            return get_failure_limit(request, credentials)
        return 0

    def user_login_failed(
        self, sender: Any, credentials: dict, request: Any = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        # axes writes the failure log after its own check: look again, so that the fifth
        # failure already answers "locked".
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if self.get_failures(request, credentials) >= get_failure_limit(request, credentials):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=getattr(request, "axes_ip_address", None),
            )


class LockoutBackend(AxesStandaloneBackend):
    """axes' backend, which refuses a locked username before its password is checked. A call
    without a request (a management command, the test client's login()) has no client to count
    and is let through to the next backend, which checks the password as usual."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the API's one error shape under /api/, else the login page with
    the message (429 both)."""
    message = lockout_message()
    until = locked_until(get_client_username(request, credentials) or "")
    if request.path_info.startswith("/api/"):
        extra = {"locked_until": until.isoformat() if until else None}
        return JsonResponse(
            {"message": message, "extra": extra},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    form = AuthenticationForm(request)
    form.errors["__all__"] = form.error_class([message])
    return render(request, "registration/login.html", {"form": form, "locked": True}, status=429)
