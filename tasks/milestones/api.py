"""The annual work arrangements API: /api/milestones/.

Thin callers: reads through tasks.milestones.selectors (everyone logged in may read milestones),
writes through tasks.milestones.services, which checks tasks.milestones.permissions and raises the
application errors that hefei_ai_zone.api turns into {"message", "extra"}.
"""

import re
from typing import Any

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from hefei_ai_zone.api import AuthedApiRequest, ErrorSerializer, PayloadTooLargeError
from hefei_ai_zone.errors import NotPermittedError
from hefei_ai_zone.serializers import CommentSerializer, RequiredCommentSerializer
from tasks import files
from tasks.milestones import services
from tasks.milestones.filters import MilestoneFilter
from tasks.milestones.permissions import can_read_milestone_file, led_by
from tasks.milestones.selectors import (
    milestone_detail,
    milestone_list,
    milestones_as_of,
    milestones_by_urgency,
)
from tasks.milestones.serializers import (
    MarkDoneSerializer,
    MilestoneCreateSerializer,
    MilestoneSerializer,
    MilestoneUpdateSerializer,
)
from tasks.models import Milestone

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="输入有误：extra.fields 按字段列出错误。"),
    403: OpenApiResponse(ErrorSerializer, description="可以查看，但无权执行此操作。"),
    404: OpenApiResponse(ErrorSerializer, description="节点不存在。"),
}


@extend_schema_view(
    list=extend_schema(
        summary="年度节点列表",
        description=(
            "各项任务、示范工程的年度工作安排节点，最紧急的在前：逾期未完成的（逾期最久的在前）、"
            "待完成的（完成时限最近的在前）、已标记完成待确认的、已确认完成的；登录用户均可查看。\n\n"
            "筛选：unit（承担单位 id）、task（任务 id）、assignment（责任分工 id）、year（年度）、"
            "state（pending 未完成 / done 已完成待确认 / confirmed 已确认完成）、"
            "overdue（true：逾期未完成，截至当前报送周期的计灯日，周期进行中为今天；"
            "false：其余）。参数无效时返回 400 并指明参数。"
            "分页：page、page_size（1–1000）。"
        ),
    ),
    retrieve=extend_schema(
        summary="年度节点详情", responses={200: MilestoneSerializer, 404: ERRORS[404]}
    ),
)
@extend_schema(tags=["年度节点"])
class MilestoneViewSet(viewsets.GenericViewSet):
    """年度节点：任务（或示范工程）责任分工的年度工作安排，由承担单位标记完成、办公室确认。"""

    serializer_class = MilestoneSerializer
    queryset = Milestone.objects.none()  # for the schema; see get_queryset
    filterset_class = MilestoneFilter
    request: AuthedApiRequest

    def get_queryset(self) -> Any:
        if self.action == "list":
            return milestones_by_urgency(milestone_list())
        return milestone_list()

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["led"] = led_by(self.request.user)
        context["as_of"] = milestones_as_of()
        return context

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Before authentication, whose CSRF check would read (and spool) the whole body.
        if self.action == "mark_done" and files.upload_too_large(request):
            message = files.too_large_message()
            raise PayloadTooLargeError(message, {"fields": {"file": [message]}})
        super().initial(request, *args, **kwargs)

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        return super().perform_content_negotiation(request, force=force or self.action == "file")

    # --- helpers -----------------------------------------------------------------------------

    def _milestone(self, pk: str) -> Milestone:
        if not re.fullmatch(r"[0-9]{1,18}", str(pk)):
            raise Http404
        try:
            return milestone_detail(int(pk))
        except Milestone.DoesNotExist as exc:
            raise Http404 from exc

    def _detail(self, pk: int | str, code: int = status.HTTP_200_OK) -> Response:
        milestone = self._milestone(str(pk))
        data = MilestoneSerializer(milestone, context=self.get_serializer_context()).data
        return Response(data, status=code)

    def _input(self, serializer_class: type[Serializer]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    # --- reads -------------------------------------------------------------------------------

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        serializer = MilestoneSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(pk)

    # --- the arrangement ---------------------------------------------------------------------

    @extend_schema(
        summary="添加（或提出）年度节点",
        description=(
            "领导小组办公室添加的节点直接生效；任务的牵头单位提出的节点 arrangement_confirmed "
            "为 false，经办公室确认后生效。unit 缺省为分工的责任单位；"
            "分工属于单位集合时须指定成员单位。"
        ),
        request=MilestoneCreateSerializer,
        responses={201: MilestoneSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def create(self, request: AuthedApiRequest) -> Response:
        data = self._input(MilestoneCreateSerializer)
        milestone = services.milestone_create(
            actor=request.user,
            assignment=data["assignment"],
            title=data["title"],
            due_date=data["due_date"],
            unit=data.get("unit"),
        )
        return self._detail(milestone.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="修改年度节点",
        description="只改给出的字段。领导小组办公室；或牵头单位（自己提出、尚未确认的节点）。",
        request=MilestoneUpdateSerializer,
        responses={200: MilestoneSerializer, **ERRORS},
    )
    def partial_update(self, request: AuthedApiRequest, pk: str) -> Response:
        milestone = self._milestone(pk)
        data = self._input(MilestoneUpdateSerializer)
        services.milestone_update(actor=request.user, milestone=milestone, **data)
        return self._detail(pk)

    @extend_schema(
        summary="修改年度节点（同 PATCH）",
        description="与 PATCH 相同：只改给出的字段。",
        request=MilestoneUpdateSerializer,
        responses={200: MilestoneSerializer, **ERRORS},
    )
    def update(self, request: AuthedApiRequest, pk: str) -> Response:
        return self.partial_update(request, pk)

    @extend_schema(
        summary="删除年度节点",
        description="领导小组办公室；或牵头单位（自己提出、尚未确认的节点）。",
        responses={204: None, 403: ERRORS[403], 404: ERRORS[404]},
    )
    def destroy(self, request: AuthedApiRequest, pk: str) -> Response:
        services.milestone_delete(actor=request.user, milestone=self._milestone(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="确认节点安排",
        description="领导小组办公室确认牵头单位提出的节点。",
        request=None,
        responses={200: MilestoneSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="confirm-arrangement")
    def confirm_arrangement(self, request: AuthedApiRequest, pk: str) -> Response:
        services.milestone_confirm_arrangement(actor=request.user, milestone=self._milestone(pk))
        return self._detail(pk)

    # --- done and confirmed ------------------------------------------------------------------

    @extend_schema(
        summary="标记完成",
        description=(
            "承担单位的填报员或审核人标记节点完成：note（完成情况）必填；可同时上传一个佐证材料"
            "（multipart/form-data 的 file 字段，按文件内容判定类型，不超过 20 MB，"
            "超过时返回 413）。"
        ),
        request={
            "application/json": MarkDoneSerializer,
            "multipart/form-data": MarkDoneSerializer,
        },
        responses={
            200: MilestoneSerializer,
            **ERRORS,
            413: OpenApiResponse(ErrorSerializer, description="文件超过 20 MB。"),
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="mark-done",
        parser_classes=[JSONParser, MultiPartParser, FormParser],
    )
    def mark_done(self, request: AuthedApiRequest, pk: str) -> Response:
        milestone = self._milestone(pk)
        data = self._input(MarkDoneSerializer)
        services.milestone_mark_done(
            actor=request.user, milestone=milestone, note=data["note"], upload=data.get("file")
        )
        return self._detail(pk)

    @extend_schema(
        summary="确认完成",
        description="领导小组办公室确认已标记完成的节点，可附意见。",
        request=CommentSerializer,
        responses={200: MilestoneSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: AuthedApiRequest, pk: str) -> Response:
        milestone = self._milestone(pk)
        comment = self._input(CommentSerializer).get("comment", "")
        services.milestone_confirm(actor=request.user, milestone=milestone, comment=comment)
        return self._detail(pk)

    @extend_schema(
        summary="退回（未完成）",
        description="领导小组办公室退回已标记完成的节点，必须填写意见；节点回到未完成。",
        request=RequiredCommentSerializer,
        responses={200: MilestoneSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: AuthedApiRequest, pk: str) -> Response:
        milestone = self._milestone(pk)
        comment = self._input(RequiredCommentSerializer)["comment"]
        services.milestone_reject(actor=request.user, milestone=milestone, comment=comment)
        return self._detail(pk)

    @extend_schema(
        summary="下载佐证材料",
        description="承担单位、牵头单位、领导小组办公室和领导可以下载；其他用户 403。",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="文件内容（Content-Type 为材料的实际类型）。"
            ),
            403: ERRORS[403],
            404: ERRORS[404],
        },
    )
    @action(detail=True, methods=["get"])
    def file(self, request: AuthedApiRequest, pk: str) -> Any:
        milestone = self._milestone(pk)
        if not milestone.file:
            raise Http404
        if not can_read_milestone_file(request.user, milestone):
            raise NotPermittedError(
                "节点的佐证材料供承担单位、牵头单位、领导小组办公室和领导查看。"
            )
        response: FileResponse = files.file_response(milestone)
        return response
