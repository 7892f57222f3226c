"""Single sign-on through the government's unified identity platform (OpenID Connect, code flow,
mozilla-django-oidc), when OIDC_ENABLED.

``UnitOIDCBackend`` finds the local account by the platform's subject (``User.sso_subject``) or
makes it, with the unit (by its name or full name as the platform sends it in OIDC_UNIT_CLAIM)
and the role (OIDC_ROLE_CLAIM through OIDC_ROLE_MAP) of ``units.services.sso_account_sync``: an
unknown unit or role refuses the login with a Chinese message on the login page and creates
nothing; administrators are never made by SSO. The platform being down leaves the local
accounts as they are: the login page's form does not depend on it, and a failed exchange with it
is a message, not an error page. Mounted at ``/oidc/`` (``authenticate/``, ``callback/``),
404 while OIDC_ENABLED is off.
"""

from typing import Any

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import path
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from hefei_ai_zone.errors import ApplicationError

from .models import User
from .services import SsoPerson, sso_account_sync

UNREACHABLE = "统一身份认证平台暂时无法访问，请稍后再试，或使用本平台的用户名和密码登录。"
FAILED = "统一身份认证登录未成功，请重试，或使用本平台的用户名和密码登录。"


def _values(claim: Any) -> tuple[str, ...]:
    if isinstance(claim, list | tuple):
        return tuple(str(v) for v in claim)
    return (str(claim),) if claim not in (None, "") else ()


def sso_person(claims: dict[str, Any]) -> SsoPerson:
    """The claims of the platform's userinfo as what the account needs."""
    unit = claims.get(settings.OIDC_UNIT_CLAIM) or ""
    if isinstance(unit, list | tuple):
        unit = unit[0] if unit else ""
    return SsoPerson(
        subject=str(claims.get("sub") or "")[:255],
        username=str(claims.get(settings.OIDC_USERNAME_CLAIM) or "")[:150],
        name=str(claims.get(settings.OIDC_NAME_CLAIM) or "")[:150],
        unit=str(unit)[:128],
        roles=_values(claims.get(settings.OIDC_ROLE_CLAIM)),
    )


class UnitOIDCBackend(OIDCAuthenticationBackend):
    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if not settings.OIDC_ENABLED:
            return None
        return super().authenticate(request, **kwargs)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        return User.objects.filter(sso_subject=str(claims.get("sub") or "")[:255])

    def _sync(self, claims: dict[str, Any]) -> User:
        try:
            return sso_account_sync(person=sso_person(claims))
        except ApplicationError as error:
            messages.error(self.request, error.message)
            raise SuspiciousOperation(error.message) from None  # the login fails

    def create_user(self, claims: dict[str, Any]) -> User:
        return self._sync(claims)

    def update_user(self, user: User, claims: dict[str, Any]) -> User:
        return self._sync(claims)

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("unit").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if user.is_active else None


class LoginView(auth_views.LoginView):
    """Django's login page, with 使用统一身份认证登录 when single sign-on is on."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "sso_enabled": settings.OIDC_ENABLED}


class _Enabled:
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.OIDC_ENABLED:
            raise Http404("未启用统一身份认证。")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class AuthenticateView(_Enabled, OIDCAuthenticationRequestView):
    """Sends the browser to the platform's authorization endpoint."""


class CallbackView(_Enabled, OIDCAuthenticationCallbackView):
    """The platform sends the browser back here with a code; a refusal is a message on the
    login page, the platform unreachable too."""

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            return super().get(request)
        except requests.RequestException:
            messages.error(request, UNREACHABLE)
            return HttpResponseRedirect(self.failure_url)
        except SuspiciousOperation:
            messages.error(request, FAILED)
            return HttpResponseRedirect(self.failure_url)

    def login_failure(self) -> HttpResponse:
        if not len(messages.get_messages(self.request)):  # the backend's reason, else this
            messages.error(self.request, FAILED)
        return HttpResponseRedirect(self.failure_url)


urlpatterns = [
    path("authenticate/", AuthenticateView.as_view(), name="oidc_authentication_init"),
    path("callback/", CallbackView.as_view(), name="oidc_authentication_callback"),
]
