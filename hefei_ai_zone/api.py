"""API conventions shared by every app: pagination and one error shape.

Every error answers ``{"message": "<中文说明>", "extra": {...}}``; validation errors (DRF's, and
Django's own from a model's full_clean) name their fields in ``extra.fields`` so a caller sees
which parameter was wrong, with a 400, never a 500.
"""

import logging
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from hefei_ai_zone.errors import ConflictError
from units.models import User

from .errors import (
    DATABASE_RETRY_AFTER_SECONDS,
    DATABASE_UNAVAILABLE_MESSAGE,
    ApplicationError,
    database_unavailable,
)
from .numbers import parse_int

logger = logging.getLogger(__name__)

MAX_PAGE_SIZE = 1000


class AuthedApiRequest(Request):
    """The request of an endpoint behind IsAuthenticated (every endpoint's default permission):
    its user is a units.User, never AnonymousUser. An annotation only: viewsets say
    ``request: AuthedApiRequest`` (for ``self.request``) and take it in their actions."""

    user: User


class Pagination(PageNumberPagination):
    """`page` and `page_size` (1–1000); a bad page_size is a 400, not silently ignored."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request: Request) -> int | None:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = parse_int(raw, max_digits=len(str(MAX_PAGE_SIZE)))
        if size is None or not 1 <= size <= MAX_PAGE_SIZE:
            raise exceptions.ValidationError(
                {"page_size": [f"每页条数必须是 1 到 {MAX_PAGE_SIZE} 之间的整数。"]}
            )
        return size

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        """The schema states the range the code enforces (and that a page is at least 1)."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": MAX_PAGE_SIZE})
                parameter["description"] = f"每页条数，1 到 {MAX_PAGE_SIZE}，默认 50。"
            elif parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters


_MESSAGES = {
    status.HTTP_400_BAD_REQUEST: "请求参数有误。",
    status.HTTP_401_UNAUTHORIZED: "请先登录。",
    status.HTTP_403_FORBIDDEN: "没有权限执行此操作。",
    status.HTTP_404_NOT_FOUND: "未找到。",
    status.HTTP_405_METHOD_NOT_ALLOWED: "不支持该请求方法。",
    status.HTTP_413_REQUEST_ENTITY_TOO_LARGE: "上传的文件过大。",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "不支持的请求内容类型。",
    status.HTTP_429_TOO_MANY_REQUESTS: "请求过于频繁，请稍后再试。",
}


def _model_errors(exc: DjangoValidationError) -> Response:
    """Django's ValidationError (a model's full_clean in a service, a validator): a 400 naming
    the fields, in the one shape; errors of the whole object under ``non_field_errors``."""
    if hasattr(exc, "error_dict"):
        fields = {
            "non_field_errors" if name == NON_FIELD_ERRORS else name: messages
            for name, messages in exc.message_dict.items()
        }
    else:
        fields = {"non_field_errors": exc.messages}
    messages = [m for errors in fields.values() for m in errors]
    message = messages[0] if len(messages) == 1 else f"以下内容有误：{'、'.join(fields)}。"
    return Response(
        {"message": message, "extra": {"fields": fields}}, status=status.HTTP_400_BAD_REQUEST
    )


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response({"message": exc.message, "extra": exc.extra}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        return _model_errors(exc)
    if database_unavailable(exc):
        logger.error("数据库无法连接：%s", exc)
        return Response(
            {"message": DATABASE_UNAVAILABLE_MESSAGE, "extra": {}},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        fields = ", ".join(str(k) for k in detail)
        response.data = {"message": f"请求参数有误：{fields}。", "extra": {"fields": detail}}
    else:
        message = _MESSAGES.get(response.status_code, "请求失败。")
        exc_detail = getattr(exc, "detail", None)
        response.data = {"message": message, "extra": {"detail": exc_detail} if exc_detail else {}}
    return response


class ErrorSerializer(serializers.Serializer):
    """The one error shape (for the schema): what exception_handler answers."""

    message = serializers.CharField(help_text="给用户看的中文说明。")
    extra = serializers.DictField(
        help_text='补充信息；输入有误时 fields 按字段列出错误，如 {"fields": {"percent": [...]}}。'
    )


class PreconditionFailedError(ConflictError):
    """If-Match named a version that is no longer the latest (412)."""

    status_code = 412


class PayloadTooLargeError(ApplicationError):
    """The request body is announced larger than an evidence file may be (413)."""

    status_code = 413


# What every operation may answer besides its own success, all in the one error shape: a bad
# parameter or body (400), no or an expired token (401), not allowed or a password to change
# (403), no such object or not visible (404), a state that forbids it (409), a stale If-Match
# (412), a body over the limit (413), a content type the endpoint does not read (415), throttled
# or locked out (429). An operation's own description of a status (e.g. "文件超过 20 MB。") stays.
ERROR_STATUSES = {
    "400": "请求参数有误：extra.fields 按字段列出错误。",
    "401": "未登录、令牌无效或已过期。",
    "403": "没有权限执行此操作（或须先修改密码）。",
    "404": "不存在或无权查看。",
    "409": "当前状态不允许此操作。",
    "412": "If-Match 指定的版本已不是最新。",
    "413": "请求体过大。",
    "415": "不支持的请求内容类型。",
    "429": "请求过于频繁或账号已被锁定，请稍后再试。",
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}


def declare_errors(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every operation declares the error statuses above
    with the one shape (``ErrorSerializer``, component ``Error``), so the schema says what the
    API answers (schemathesis holds the API to it: tests/security/test_schemathesis.py)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault(
        "Error",
        {
            "type": "object",
            "properties": {
                "message": {"type": "string"},
                "extra": {"type": "object", "additionalProperties": {}},
            },
            "required": ["extra", "message"],
        },
    )
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_STATUSES.items():
                responses.setdefault(
                    code,
                    {
                        "content": {"application/json": {"schema": ERROR_REF}},
                        "description": description,
                    },
                )
    return result
