from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.authentication import BaseAuthentication
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from hefei_ai_zone.api import ErrorSerializer
from hefei_ai_zone.errors import ApplicationError, NotPermittedError

from .lockout import locked_until, lockout_message
from .password_rules import password_expired
from .selectors import unit_list
from .serializers import TokenRequestSerializer, TokenSerializer, UnitSerializer
from .services import token_issue, token_revoke
from .two_factor.permissions import two_factor_required
from .two_factor.selectors import has_second_factor
from .two_factor.services import second_factor_verify


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """责任单位与单位集合（kind 为 group，如“各县（市）区政府”，members 为其成员单位）。"""

    serializer_class = UnitSerializer
    filterset_fields = ["kind"]

    def get_queryset(self) -> QuerySet:
        return unit_list()


class LockedOutError(ApplicationError):
    """Too many failed logins: the username is locked for a while (429)."""

    status_code = 429


class SecondFactorError(ApplicationError):
    """The password was right but the second factor's code is wrong or stale (401)."""

    status_code = 401


class TokenThrottle(SimpleRateThrottle):
    """At most DEFAULT_THROTTLE_RATES["auth_token"] token requests per client address, whatever
    the username (the lockout counts per username)."""

    scope = "auth_token"

    def get_rate(self) -> str | None:  # read at each request, so that settings can change
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope or "")
        return None if rate is None else str(rate)

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def _locked(username: str) -> LockedOutError:
    until = locked_until(username)
    return LockedOutError(lockout_message(), {"locked_until": until.isoformat() if until else None})


@extend_schema_view(
    post=extend_schema(
        tags=["认证"],
        summary="获取令牌",
        description=(
            "以用户名和密码换取令牌，此后以请求头 Authorization: Token <token> 调用其他接口。"
            f"令牌自签发起 {settings.API_TOKEN_TTL_DAYS} 天内有效（过期后以 401 拒绝，"
            "重新获取即得新令牌）；修改或重置密码即撤销。"
            "15 分钟内 5 次密码错误则锁定 30 分钟（429）。"
            "启用了两步验证的用户须同时提供 otp（验证器当前的 6 位验证码或一个恢复码）。"
        ),
        request=TokenRequestSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(
                ErrorSerializer,
                description="用户名或密码错误，账号已停用，或缺少两步验证码 otp。",
            ),
            401: OpenApiResponse(ErrorSerializer, description="两步验证码错误或已过期。"),
            403: OpenApiResponse(
                ErrorSerializer, description="须先在网页上修改初始密码，或先启用两步验证。"
            ),
            429: OpenApiResponse(
                ErrorSerializer, description="登录失败次数过多已锁定，或请求过于频繁。"
            ),
        },
        auth=[],
    ),
    delete=extend_schema(
        tags=["认证"],
        summary="撤销令牌",
        description="撤销当前用户的令牌（以令牌或会话登录均可）；此后该令牌以 401 拒绝。",
        request=None,
        responses={
            204: OpenApiResponse(description="已撤销。"),
            401: OpenApiResponse(ErrorSerializer, description="未登录。"),
        },
    ),
)
class TokenObtainView(ObtainAuthToken):
    """POST username and password, get the user's token; DELETE revokes the caller's own. A
    POST uses no session, so a stale session cookie does not make it fail its CSRF check."""

    throttle_classes = [TokenThrottle]
    serializer_class = TokenRequestSerializer

    def get_authenticators(self) -> list[BaseAuthentication]:
        if self.request is not None and self.request.method == "POST":
            return []
        return super().get_authenticators()

    def get_permissions(self) -> list[BasePermission]:
        if self.request is not None and self.request.method == "POST":
            return []
        return [IsAuthenticated()]

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = request.data if isinstance(request.data, dict) else {}
        username = str(data.get("username", ""))[:150]
        if locked_until(username):
            raise _locked(username)
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if getattr(request, "axes_locked_out", False):  # this failure locked the username
                raise _locked(username)
            serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        # A one-time password opens the password change page only, never a lasting token.
        if user.must_change_password:
            raise NotPermittedError("请先登录网页修改初始密码，再获取令牌。")
        if password_expired(user):
            raise NotPermittedError("密码已过期，请先登录网页修改密码，再获取令牌。")
        self._second_factor(user, str(serializer.validated_data.get("otp") or ""))
        return Response({"token": token_issue(user=user).key})

    @staticmethod
    def _second_factor(user: Any, otp: str) -> None:
        """A person with an authenticator sends its code as ``otp``; a person whose role
        requires one and has none enrols on the web first."""
        if has_second_factor(user):
            if not otp.strip():
                message = "您已启用两步验证：请同时提供 otp（验证器中当前的 6 位验证码）。"
                raise ApplicationError(message, {"fields": {"otp": [message]}})
            try:
                second_factor_verify(user=user, code=otp)
            except ApplicationError as error:
                raise SecondFactorError(error.message, error.extra) from None
        elif two_factor_required(user):
            raise NotPermittedError("您的角色须启用两步验证：请先登录网页绑定验证器，再获取令牌。")

    def delete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        token_revoke(user=request.user)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)
