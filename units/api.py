from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response

from hefei_ai_zone.api import ErrorSerializer
from hefei_ai_zone.errors import NotPermittedError

from .selectors import unit_list
from .serializers import TokenSerializer, UnitSerializer


class UnitViewSet(viewsets.ReadOnlyModelViewSet):
    """责任单位与单位集合（kind 为 group，如“各县（市）区政府”，members 为其成员单位）。"""

    serializer_class = UnitSerializer
    filterset_fields = ["kind"]

    def get_queryset(self) -> QuerySet:
        return unit_list()


@extend_schema(
    tags=["认证"],
    summary="获取令牌",
    description=(
        "以用户名和密码换取令牌（同一用户始终是同一个令牌），"
        "此后以请求头 Authorization: Token <token> 调用其他接口。"
    ),
    request=ObtainAuthToken.serializer_class,
    responses={
        200: TokenSerializer,
        400: OpenApiResponse(ErrorSerializer, description="用户名或密码错误，或账号已停用。"),
        403: OpenApiResponse(ErrorSerializer, description="须先在网页上修改初始密码。"),
    },
    auth=[],
)
class TokenObtainView(ObtainAuthToken):
    """POST username and password, get the user's token. No session is used, so a stale
    session cookie does not make the call fail its CSRF check."""

    authentication_classes = ()

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        # A one-time password opens the password change page only, never a lasting token.
        if user.must_change_password:
            raise NotPermittedError("请先登录网页修改初始密码，再获取令牌。")
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
