"""The ledger API: /api/achievements/ (成果台账) and /api/indicators/progress/.

Thin callers: reads go through tasks.ledger.selectors (an entry the user may not see is a 404),
writes through tasks.ledger.services, which checks tasks.ledger.permissions and raises the
application errors that hefei_ai_zone.api turns into {"message", "extra"}.
"""

import re
from typing import Any
from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from hefei_ai_zone.api import AuthedApiRequest, ErrorSerializer, PayloadTooLargeError
from hefei_ai_zone.errors import ApplicationError
from hefei_ai_zone.serializers import CommentSerializer, RequiredCommentSerializer
from tasks import files
from tasks.ledger import services
from tasks.ledger.filters import EntryFilter
from tasks.ledger.selectors import entry_detail, entry_list, indicator_progress
from tasks.ledger.serializers import (
    AchievementEntrySerializer,
    EntryUpdateSerializer,
    EntryWriteSerializer,
    IndicatorProgressSerializer,
)
from tasks.models import AchievementEntry
from tasks.plan.selectors import plan_current

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="输入有误：extra.fields 按字段列出错误。"),
    403: OpenApiResponse(
        ErrorSerializer, description="可以查看，但无权执行此操作（extra.fields 指出字段时同）。"
    ),
    404: OpenApiResponse(ErrorSerializer, description="条目不存在或无权查看。"),
}
TOO_LARGE = {413: OpenApiResponse(ErrorSerializer, description="文件超过 20 MB。")}
WRITE_BODY = {
    "application/json": EntryWriteSerializer,
    "multipart/form-data": EntryWriteSerializer,
}
UPDATE_BODY = {
    "application/json": EntryUpdateSerializer,
    "multipart/form-data": EntryUpdateSerializer,
}


@extend_schema_view(
    list=extend_schema(
        summary="成果台账列表",
        description=(
            "当前用户可见的台账条目：领导小组办公室和领导可见全部；单位用户可见本单位的全部条目"
            "和其他单位已核实的条目。\n\n"
            "筛选：q（关键词：在成果名称、编号、说明和填报单位名称中查找，不分大小写和全角半角；"
            "多个词用空格分开，须都出现）、kind（成果类型）、domain（领域）、unit（单位 id）、"
            "task（任务 id）、"
            "year（取得年份）、state（核实状态）、indicator（指标 code，如 invention-patents："
            "按其成果类型和领域；与 year 合用时，累计指标给出截至该年的条目）。"
            "参数无效时返回 400 并指明参数。分页：page、page_size（1–1000）。"
        ),
    ),
    retrieve=extend_schema(
        summary="台账条目详情", responses={200: AchievementEntrySerializer, 404: ERRORS[404]}
    ),
)
@extend_schema(tags=["成果台账"])
class AchievementEntryViewSet(viewsets.GenericViewSet):
    """成果台账：各单位登记重大科技成果、授权发明专利、标准、应用场景、龙头企业、示范园区和特色
    小镇、创新平台、会议赛事等，领导小组办公室核实；主要目标的实际完成值按已核实条目计数。"""

    serializer_class = AchievementEntrySerializer
    queryset = AchievementEntry.objects.none()  # for the schema; see get_queryset
    filterset_class = EntryFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    request: AuthedApiRequest

    def get_queryset(self) -> Any:
        return entry_list(self.request.user)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Before authentication, whose CSRF check would read (and spool) the whole body.
        if self.action in ("create", "update", "partial_update") and files.upload_too_large(
            request
        ):
            message = files.too_large_message()
            raise PayloadTooLargeError(message, {"fields": {"file": [message]}})
        super().initial(request, *args, **kwargs)

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # A download answers with the file whatever the Accept header says.
        return super().perform_content_negotiation(request, force=force or self.action == "file")

    # --- helpers -----------------------------------------------------------------------------

    def _entry(self, pk: str) -> AchievementEntry:
        if not re.fullmatch(r"[0-9]{1,18}", pk):
            raise Http404
        return entry_detail(self.request.user, int(pk))

    def _input(self, serializer_class: type[Serializer]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _detail(self, pk: int | str, code: int = status.HTTP_200_OK) -> Response:
        entry = self._entry(str(pk))
        data = AchievementEntrySerializer(entry, context=self.get_serializer_context()).data
        return Response(data, status=code)

    # --- reads -------------------------------------------------------------------------------

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        context = self.get_serializer_context()
        return self.get_paginated_response(
            AchievementEntrySerializer(page, many=True, context=context).data
        )

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(pk)

    # --- writes ------------------------------------------------------------------------------

    @extend_schema(
        summary="登记成果",
        description=(
            "JSON 或 multipart/form-data（带佐证材料 file 时）。"
            "单位用户为本单位登记（unit 可不填）；"
            "领导小组办公室可为任何单位登记。新条目为待核实，核实后才计入指标。"
            "授权发明专利和标准必须填写 identifier；同一类型中已登记（未被退回）的编号不能再登记，"
            "400 的 extra.fields.identifier 指出已有的条目。"
        ),
        request=WRITE_BODY,
        responses={201: AchievementEntrySerializer, **ERRORS, **TOO_LARGE},
    )
    def create(self, request: AuthedApiRequest) -> Response:
        data = self._input(EntryWriteSerializer)
        upload = data.pop("file", None)
        plan = plan_current()
        if plan is None:
            raise ApplicationError("还没有实施方案。")
        entry = services.entry_create(actor=request.user, plan=plan, upload=upload, **data)
        response = self._detail(entry.pk, status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(
            reverse("achievement-detail", args=[entry.pk])
        )
        return response

    @extend_schema(
        summary="修改条目",
        description=(
            "只改给出的字段；核实前由填报单位或领导小组办公室修改。"
            "未通过核实的条目修改后重新进入待核实。"
        ),
        request=UPDATE_BODY,
        responses={200: AchievementEntrySerializer, **ERRORS, **TOO_LARGE},
    )
    def partial_update(self, request: AuthedApiRequest, pk: str) -> Response:
        entry = self._entry(pk)
        data = self._input(EntryUpdateSerializer)
        upload = data.pop("file", None)
        services.entry_update(actor=request.user, entry=entry, upload=upload, **data)
        return self._detail(pk)

    @extend_schema(
        summary="修改条目（同 PATCH）",
        description="与 PATCH 相同：只改给出的字段。",
        request=UPDATE_BODY,
        responses={200: AchievementEntrySerializer, **ERRORS, **TOO_LARGE},
    )
    def update(self, request: AuthedApiRequest, pk: str) -> Response:
        return self.partial_update(request, pk)

    @extend_schema(
        summary="核实通过",
        description=(
            "仅领导小组办公室。待核实（或此前未通过）的条目核实后计入指标；"
            "同一类型中同一编号已有未被退回的条目时拒绝"
            "（400，extra.fields.identifier 指出该条目）。"
        ),
        request=CommentSerializer,
        responses={200: AchievementEntrySerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def verify(self, request: AuthedApiRequest, pk: str) -> Response:
        entry = self._entry(pk)
        comment = self._input(CommentSerializer).get("comment", "")
        services.entry_verify(actor=request.user, entry=entry, comment=comment)
        return self._detail(pk)

    @extend_schema(
        summary="不通过核实",
        description="仅领导小组办公室，必须填写理由（comment）。已核实的条目不通过后不再计入。",
        request=RequiredCommentSerializer,
        responses={200: AchievementEntrySerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: AuthedApiRequest, pk: str) -> Response:
        entry = self._entry(pk)
        comment = self._input(RequiredCommentSerializer)["comment"]
        services.entry_reject(actor=request.user, entry=entry, comment=comment)
        return self._detail(pk)

    @extend_schema(
        summary="下载佐证材料",
        description="能查看条目的用户可以下载；条目不存在、无权查看或没有材料时返回 404。",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="文件内容（Content-Type 为材料的实际类型）。"
            ),
            404: ERRORS[404],
        },
    )
    @action(detail=True, methods=["get"], url_path="file", url_name="file")
    def file(self, request: Request, pk: str) -> Any:
        entry = self._entry(pk)
        if not entry.file:
            raise Http404
        return files.file_response(entry)


@extend_schema(tags=["主要目标"])
@extend_schema_view(
    list=extend_schema(
        summary="主要目标完成情况",
        description=(
            "当前实施方案每项指标逐年的实际完成值（成果台账中已核实条目的计数，累计指标为截至该年"
            "的总数）与目标，是否达标，以及计入该值的条目的查询地址。"
        ),
    )
)
class IndicatorProgressViewSet(viewsets.GenericViewSet):
    """指标完成情况：实际值只由已核实的台账条目计算。"""

    serializer_class = IndicatorProgressSerializer
    filter_backends: list = []
    pagination_class = None
    queryset = AchievementEntry.objects.none()  # for the schema

    def list(self, request: Request) -> Response:
        url = request.build_absolute_uri(reverse("achievement-list"))
        rows = []
        for progress in indicator_progress():
            ind = progress.indicator
            years = []
            for y in progress.years:
                query = urlencode({"indicator": ind.code, "year": y.year, "state": "verified"})
                years.append(
                    {
                        "year": y.year,
                        "actual": y.actual,
                        "target": y.target,
                        "met": y.met,
                        "entries_url": f"{url}?{query}",
                    }
                )
            rows.append(
                {
                    "code": ind.code,
                    "name": ind.name,
                    "measure": ind.measure,
                    "parent": ind.parent.code if ind.parent else None,
                    "ledger_kind": ind.ledger_kind,
                    "ledger_domain": ind.ledger_domain,
                    "years": years,
                }
            )
        return Response(IndicatorProgressSerializer(rows, many=True).data)
