"""The notifications API: /api/notifications/ — the logged-in person's own notices (unread=true
for the unread ones), mark one read, mark all read. Errors in the one shape."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from hefei_ai_zone.api import AuthedApiRequest, ErrorSerializer
from hefei_ai_zone.numbers import parse_id

from . import services
from .models import Notice
from .selectors import notice_list, unread_count
from .serializers import NoticeSerializer, ReadAllSerializer

NOT_FOUND = OpenApiResponse(ErrorSerializer, description="通知不存在（或不是本人的）。")


@extend_schema(tags=["通知"])
class NoticeViewSet(viewsets.GenericViewSet):
    """我的通知：登录用户本人的通知，最新的在前。"""

    serializer_class = NoticeSerializer
    queryset = Notice.objects.none()  # for the schema; see get_queryset
    filter_backends: list[Any] = []
    request: AuthedApiRequest

    def get_queryset(self) -> QuerySet[Notice]:
        return notice_list(user=self.request.user)

    @extend_schema(
        summary="我的通知",
        parameters=[
            OpenApiParameter(
                "unread", OpenApiTypes.BOOL, description="true：只列未读的；false：只列已读的。"
            )
        ],
        responses={200: NoticeSerializer(many=True), 400: ErrorSerializer},
    )
    def list(self, request: AuthedApiRequest) -> Response:
        notices = self.get_queryset()
        unread = request.query_params.get("unread")
        if unread is not None:
            if unread not in ("true", "false", "1", "0"):
                raise ValidationError({"unread": ["应为 true 或 false。"]})
            notices = notices.filter(read_at__isnull=unread in ("true", "1"))
        page = self.paginate_queryset(notices)
        return self.get_paginated_response(NoticeSerializer(page, many=True).data)

    @extend_schema(
        summary="标为已读",
        request=None,
        responses={200: NoticeSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def read(self, request: AuthedApiRequest, pk: str) -> Response:
        notice_id = parse_id(pk)
        if notice_id is None or not notice_list(user=request.user).filter(pk=notice_id).exists():
            raise NotFound
        notice = services.notice_mark_read(user=request.user, notice_id=notice_id)
        return Response(NoticeSerializer(notice).data)

    @extend_schema(summary="全部标为已读", request=None, responses={200: ReadAllSerializer})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: AuthedApiRequest) -> Response:
        marked = services.notices_mark_all_read(user=request.user)
        return Response({"marked": marked, "unread": unread_count(user=request.user)})
