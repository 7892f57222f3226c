"""The holds of two-factor authentication, in the manner of
``hefei_ai_zone.middleware.PasswordChangeRequiredMiddleware``: pages redirect, the API answers 403
in the one error shape (``extra.url`` says where to go).

- ``SecondFactorMiddleware`` (before the password change): a person whose login found a confirmed
  authenticator reaches nothing but the second step (``/accounts/2fa/verify/``) and logout until
  a code is given. Whether the person has one is decided once at login (``second_factor_at_login``
  puts it in the session), so that no request pays a query for it.
- ``EnrolmentRequiredMiddleware`` (after the password change): a person of a role in
  OTP_REQUIRED_ROLES without a verified second factor is sent to enrolment.

Only session logins are held: an API token was issued after the second step (``units/api.py``).
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from hefei_ai_zone.middleware import hold

from .permissions import two_factor_required
from .selectors import has_second_factor

PENDING = "_second_factor_pending"  # the session's flag: a code is still to be given
VERIFY_MESSAGE = "请先完成两步验证（输入验证器中的 6 位验证码）。"
ENROL_MESSAGE = "您的角色须启用两步验证：请先绑定验证器。"


def second_factor_at_login(
    sender: object, request: HttpRequest, user: object, **kwargs: object
) -> None:
    """user_logged_in: remember whether this login must give a code (a confirmed authenticator)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    if has_second_factor(user):  # type: ignore[arg-type]
        session[PENDING] = True
    else:
        session.pop(PENDING, None)


def _open(path: str, names: tuple[str, ...]) -> bool:
    static = "/" + settings.STATIC_URL.lstrip("/")
    return (
        path in {reverse(name) for name in names}
        or path.startswith(static)
        or path == "/favicon.ico"
    )


def _verified(request: HttpRequest) -> bool:
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.session.get(PENDING)
            and not _open(request.path_info, ("two_factor_verify", "logout"))
            and not _verified(request)
        ):
            return hold(request, reverse("two_factor_verify"), VERIFY_MESSAGE)
        return self.get_response(request)


class EnrolmentRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and two_factor_required(user)
            and not _verified(request)
            and not _open(
                request.path_info,
                (
                    "two_factor_enrol",
                    "two_factor_verify",
                    "password_change",
                    "password_change_done",
                    "logout",
                ),
            )
        ):
            return hold(request, reverse("two_factor_enrol"), ENROL_MESSAGE)
        return self.get_response(request)
