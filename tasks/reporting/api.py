"""The reporting API: /api/periods/, /api/progress-reports/ and /api/auth/token/.

Thin callers: reads go through tasks.reporting.selectors (a report the user may not see is a 404
that reveals nothing), writes through tasks.reporting.services, which checks
tasks.reporting.permissions and raises the application errors that hefei_ai_zone.api turns into
{"message", "extra"}.
"""

import re
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from hefei_ai_zone.api import (
    AuthedApiRequest,
    ErrorSerializer,
    PayloadTooLargeError,
    PreconditionFailedError,
)
from hefei_ai_zone.errors import ApplicationError, ConflictError
from hefei_ai_zone.serializers import CommentSerializer, RequiredCommentSerializer
from tasks import files
from tasks.models import Evidence, ProgressReport, ReportingPeriod
from tasks.reporting import services
from tasks.reporting.filters import ReportFilter
from tasks.reporting.selectors import period_list, report_detail, report_list
from tasks.reporting.serializers import (
    BulkAcceptSerializer,
    ConflictSerializer,
    EvidenceSerializer,
    EvidenceUploadSerializer,
    PeriodSerializer,
    ProgressReportDetailSerializer,
    ProgressReportSerializer,
    ReportCreateSerializer,
    ReportListSerializer,
    ReportUpdateSerializer,
)
from units.permissions import is_office

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="输入有误：extra.fields 按字段列出错误。"),
    403: OpenApiResponse(ErrorSerializer, description="可以查看，但无权执行此操作。"),
    404: OpenApiResponse(ErrorSerializer, description="报告不存在或无权查看。"),
}
PERIOD_ERRORS = {
    403: OpenApiResponse(ErrorSerializer, description="只有领导小组办公室可以开放、关闭周期。"),
    404: OpenApiResponse(ErrorSerializer, description="周期不存在。"),
}
IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description=(
        '报告的版本号（读取时的 version），如 "3"，可代替请求体中的 version。'
        "不是最新版本时返回 412（请求体中的 version 过期时返回 409），响应体同 409。"
    ),
)
EVIDENCE_ID = OpenApiParameter("evidence_id", int, OpenApiParameter.PATH, description="材料 id。")
STALE = {
    409: OpenApiResponse(
        ConflictSerializer, description="请求体中的 version 已过期：extra 给出对方的修改。"
    ),
    412: OpenApiResponse(
        ConflictSerializer, description="If-Match 中的版本已过期：extra 给出对方的修改。"
    ),
}


# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="报送周期列表", description="当前实施方案的各季度报送周期。"),
    retrieve=extend_schema(summary="报送周期"),
)
@extend_schema(tags=["报送周期"])
class PeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """报送周期：按季度（如 2021Q3），含报送截止日期；领导小组办公室开放、关闭。"""

    serializer_class = PeriodSerializer
    queryset = ReportingPeriod.objects.none()  # for the schema; see get_queryset
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[ReportingPeriod]:
        return period_list()

    @extend_schema(
        summary="开放报送周期",
        description=(
            "仅领导小组办公室（及系统管理员）。开放后各单位可以填报、提交。同一实施方案同时只能"
            "开放一个周期：已有其他周期在填报中时返回 400，message 指明是哪一个。"
        ),
        request=None,
        responses={
            200: PeriodSerializer,
            400: OpenApiResponse(
                ErrorSerializer, description="已有其他周期在填报中（extra.fields.period）。"
            ),
            **PERIOD_ERRORS,
        },
    )
    @action(detail=True, methods=["post"])
    def open(self, request: AuthedApiRequest, pk: str) -> Response:
        period = services.period_open(actor=request.user, period=self.get_object())
        return Response(PeriodSerializer(period).data)

    @extend_schema(
        summary="关闭报送周期",
        description="仅领导小组办公室（及系统管理员）。关闭后不能再填报、提交。",
        request=None,
        responses={200: PeriodSerializer, **PERIOD_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def close(self, request: AuthedApiRequest, pk: str) -> Response:
        period = services.period_close(actor=request.user, period=self.get_object())
        return Response(PeriodSerializer(period).data)


# ---------------------------------------------------------------------------------------------
# Progress reports
# ---------------------------------------------------------------------------------------------


def _expected_version(request: Request, body_version: int | None) -> tuple[int | None, bool]:
    """The version the caller edited, and whether it came from If-Match."""
    header = request.headers.get("If-Match")
    if header is None:
        return body_version, False
    match = re.fullmatch(r'\s*"?([0-9]{1,9})"?\s*', header)
    if not match:
        raise ApplicationError(
            'If-Match 请求头应为报告的版本号，如 "3"。',
            {"fields": {"If-Match": ['应为报告的版本号，如 "3"。']}},
        )
    version = int(match.group(1))
    if body_version is not None and body_version != version:
        raise ApplicationError(
            "请求体中的 version 与 If-Match 请求头不一致。",
            {"fields": {"version": [f"与 If-Match 中的版本 {version} 不一致。"]}},
        )
    return version, True


@extend_schema_view(
    list=extend_schema(
        summary="进展报告列表",
        description=(
            "当前用户可见的报告：本单位的全部报告，同一任务或示范工程其他单位已提交的报告；"
            "领导小组办公室可见全部，领导可见全部已提交的报告（不含草稿）。\n\n"
            "筛选：period（周期代码，如 2021Q3）、unit（单位 id）、task（任务 id）、"
            "section（板块 id）、state（流程状态）、overdue（true/false：逾期提交或逾期未提交）。"
            "参数无效时返回 400 并指明参数。分页：page、page_size（1–1000）。"
        ),
    ),
    retrieve=extend_schema(
        summary="进展报告详情",
        description="含流程记录、佐证材料和当前用户可执行的操作。无权查看时返回 404。",
        responses={200: ProgressReportDetailSerializer, 404: ERRORS[404]},
    ),
)
@extend_schema(tags=["进展报告"])
class ProgressReportViewSet(viewsets.GenericViewSet):
    """进展报告：各单位按周期填报任务或示范工程的进展，经单位审核人、领导小组办公室审核。"""

    serializer_class = ProgressReportSerializer
    queryset = ProgressReport.objects.none()  # for the schema; see get_queryset
    filterset_class = ReportFilter
    request: AuthedApiRequest

    def get_queryset(self) -> QuerySet[ProgressReport]:
        return report_list(self.request.user)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Before authentication, whose CSRF check would read (and spool) the whole body.
        if self.action == "evidence_upload" and files.upload_too_large(request):
            message = files.too_large_message()
            raise PayloadTooLargeError(message, {"fields": {"file": [message]}})
        super().initial(request, *args, **kwargs)

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # A download answers with the file whatever the Accept header says.
        force = force or self.action == "evidence_file"
        return super().perform_content_negotiation(request, force=force)

    # --- helpers -----------------------------------------------------------------------------

    def _report(self, pk: str) -> ProgressReport:
        if not re.fullmatch(r"[0-9]{1,18}", pk):  # not an id (or beyond bigint): not found
            raise Http404
        return report_detail(self.request.user, int(pk))

    def _detail(self, pk: int | str, code: int = status.HTTP_200_OK) -> Response:
        report = self._report(str(pk))
        context = self.get_serializer_context()
        return Response(ProgressReportDetailSerializer(report, context=context).data, status=code)

    def _input(self, serializer_class: type[Serializer]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _evidence(self, pk: str, evidence_id: str) -> Evidence:
        report = self._report(pk)
        for evidence in report.evidence.all():  # prefetched by report_detail
            if str(evidence.pk) == evidence_id:
                return evidence
        raise Http404

    # --- reads -------------------------------------------------------------------------------

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        serializer = ProgressReportSerializer(
            page, many=True, context=self.get_serializer_context()
        )
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request: Request, pk: str) -> Response:
        return self._detail(pk)

    # --- content -----------------------------------------------------------------------------

    @extend_schema(
        summary="开始填报（新建报告）",
        description=(
            "为本单位承担的分工（assignment）在指定周期（period）建立草稿，可同时给出内容。"
            "本单位该分工该周期已有报告时，原样返回已有报告（200，不修改内容）；新建时返回 201。"
        ),
        request=ReportCreateSerializer,
        responses={
            201: OpenApiResponse(ProgressReportDetailSerializer, description="已新建。"),
            200: OpenApiResponse(ProgressReportDetailSerializer, description="已有报告。"),
            400: ERRORS[400],
            403: OpenApiResponse(
                ErrorSerializer, description="不是本单位承担的分工（extra.fields.assignment）。"
            ),
        },
    )
    def create(self, request: AuthedApiRequest) -> Response:
        data = self._input(ReportCreateSerializer)
        assignment, period = data.pop("assignment"), data.pop("period")
        report, created = services.report_open(
            actor=request.user, assignment=assignment, period=period, **data
        )
        return self._detail(report.pk, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(
        summary="修改报告内容",
        description=(
            "只改给出的字段。必须给出读取时的版本号：请求体中的 version，或 If-Match 请求头。"
            "进展状态为已完成（completed）时完成进度须为 100，"
            "否则返回 400（extra.fields.percent）。"
            "期间他人已保存新版本时不保存，返回 409（version）或 412（If-Match），"
            "extra 给出对方的修改（current）、修改人和时间。仅本单位填报员、审核人，"
            "草稿或已退回的报告，周期填报中。"
        ),
        request=ReportUpdateSerializer,
        parameters=[IF_MATCH],
        responses={200: ProgressReportDetailSerializer, **ERRORS, **STALE},
    )
    def partial_update(self, request: AuthedApiRequest, pk: str) -> Response:
        report = self._report(pk)
        data = self._input(ReportUpdateSerializer)
        version, from_header = _expected_version(request, data.pop("version", None))
        try:
            services.report_update(actor=request.user, report=report, version=version, **data)
        except ConflictError as exc:
            if from_header:
                raise PreconditionFailedError(exc.message, exc.extra) from exc
            raise
        return self._detail(pk)

    @extend_schema(
        summary="修改报告内容（同 PATCH）",
        description="与 PATCH 相同：只改给出的字段，未给出的保持不变。",
        request=ReportUpdateSerializer,
        parameters=[IF_MATCH],
        responses={200: ProgressReportDetailSerializer, **ERRORS, **STALE},
    )
    def update(self, request: AuthedApiRequest, pk: str) -> Response:
        return self.partial_update(request, pk)

    # --- workflow ----------------------------------------------------------------------------

    @extend_schema(
        summary="提交",
        description=(
            "本单位填报员或审核人提交草稿或已退回的报告；须已选进展状态、填写进展情况；"
            "进展状态为已完成时完成进度须为 100（extra.fields.percent）；"
            "完成进度低于本单位该分工上一期已提交的报告时须填写 percent_drop_reason"
            "（extra.fields.percent_drop_reason）。"
        ),
        request=None,
        responses={200: ProgressReportDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: AuthedApiRequest, pk: str) -> Response:
        services.report_submit(actor=request.user, report=self._report(pk))
        return self._detail(pk)

    @extend_schema(
        summary="单位审核通过",
        description="本单位审核人审核待单位审核的报告，转领导小组办公室审核。",
        request=CommentSerializer,
        responses={200: ProgressReportDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: AuthedApiRequest, pk: str) -> Response:
        report = self._report(pk)
        services.report_approve(actor=request.user, report=report, **self._input(CommentSerializer))
        return self._detail(pk)

    @extend_schema(
        summary="退回",
        description=(
            "本单位审核人（待单位审核时）或领导小组办公室（待办公室审核时）退回报告，必须填写意见。"
        ),
        request=RequiredCommentSerializer,
        responses={200: ProgressReportDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: AuthedApiRequest, pk: str) -> Response:
        report = self._report(pk)
        comment = self._input(RequiredCommentSerializer)["comment"]
        services.report_return(actor=request.user, report=report, comment=comment)
        return self._detail(pk)

    @extend_schema(
        summary="办公室审核通过",
        description="领导小组办公室审核通过单位已审核（或所在单位无审核人而直接提交）的报告。",
        request=CommentSerializer,
        responses={200: ProgressReportDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: AuthedApiRequest, pk: str) -> Response:
        report = self._report(pk)
        services.report_accept(actor=request.user, report=report, **self._input(CommentSerializer))
        return self._detail(pk)

    @extend_schema(
        operation_id="progress_reports_bulk_accept",
        summary="批量审核通过",
        description=(
            "领导小组办公室一次审核通过多份报告：全部通过，或（有任何一份不在待办公室审核之列、"
            "不存在或无权查看时）全部不处理，extra.refused 列出不能通过的报告 id。"
        ),
        request=BulkAcceptSerializer,
        responses={
            200: ReportListSerializer,
            400: ERRORS[400],
            403: OpenApiResponse(ErrorSerializer, description="不是领导小组办公室。"),
        },
    )
    @action(detail=False, methods=["post"], url_path="accept", url_name="bulk-accept")
    def bulk_accept(self, request: AuthedApiRequest) -> Response:
        data = self._input(BulkAcceptSerializer)
        ids = sorted(set(data["ids"]))
        reports = list(self.get_queryset().filter(pk__in=ids))
        missing = sorted(set(ids) - {r.pk for r in reports})
        # Only the office may accept at all; anyone else hears so from the service below,
        # whether or not the ids name reports they can see.
        if missing and is_office(request.user):
            listed = "、".join(str(pk) for pk in missing[:20])
            raise ApplicationError(
                f"以下报告不存在或无权查看，未作任何处理：{listed}。",
                {"fields": {"ids": [f"不存在或无权查看：{listed}。"]}, "refused": missing},
            )
        services.reports_accept(
            actor=request.user, reports=reports, comment=data.get("comment", "")
        )
        accepted = self.get_queryset().filter(pk__in=ids)
        context = self.get_serializer_context()
        results = ProgressReportSerializer(accepted, many=True, context=context).data
        return Response({"count": len(results), "results": results})

    @extend_schema(
        summary="重新打开",
        description="领导小组办公室重新打开已通过的报告（退回本单位修改），必须填写意见。",
        request=RequiredCommentSerializer,
        responses={200: ProgressReportDetailSerializer, **ERRORS},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: AuthedApiRequest, pk: str) -> Response:
        report = self._report(pk)
        comment = self._input(RequiredCommentSerializer)["comment"]
        services.report_reopen(actor=request.user, report=report, comment=comment)
        return self._detail(pk)

    # --- evidence ----------------------------------------------------------------------------

    @extend_schema(
        summary="上传佐证材料",
        description=(
            "multipart/form-data，字段 file。按文件内容判定类型，扩展名须与内容相符；"
            "超过 20 MB 时返回 413（按 Content-Length 判断，不读取请求体）。"
            "仅本单位填报员、审核人，草稿或已退回的报告。"
        ),
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={
            201: EvidenceSerializer,
            **ERRORS,
            413: OpenApiResponse(ErrorSerializer, description="文件超过 20 MB。"),
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="evidence",
        parser_classes=[MultiPartParser, FormParser],
    )
    def evidence_upload(self, request: AuthedApiRequest, pk: str) -> Response:
        report = self._report(pk)
        upload = self._input(EvidenceUploadSerializer)["file"]
        evidence = services.evidence_add(actor=request.user, report=report, upload=upload)
        data = EvidenceSerializer(evidence, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["url"]})

    @extend_schema(
        methods=["GET"],
        summary="下载佐证材料",
        description="能查看报告的用户可以下载；否则返回 404。",
        parameters=[EVIDENCE_ID],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="文件内容（Content-Type 为材料的实际类型）。"
            ),
            404: ERRORS[404],
        },
    )
    @extend_schema(
        methods=["DELETE"],
        summary="删除佐证材料",
        description="仅本单位填报员、审核人，草稿或已退回的报告。",
        parameters=[EVIDENCE_ID],
        responses={204: None, 400: ERRORS[400], 403: ERRORS[403], 404: ERRORS[404]},
    )
    @action(
        detail=True,
        methods=["get", "delete"],
        url_path=r"evidence/(?P<evidence_id>[0-9]+)",
        url_name="evidence-file",
    )
    def evidence_file(
        self, request: AuthedApiRequest, pk: str, evidence_id: str, **suffix: str
    ) -> Any:
        # ``suffix``: the router's format suffix (``evidence/3.json``; schemathesis sent ``0.5``,
        # a 500 before). The answer is the file whatever suffix, or JSON errors.
        evidence = self._evidence(pk, evidence_id)
        if request.method == "DELETE":
            services.evidence_remove(actor=request.user, evidence=evidence)
            return Response(status=status.HTTP_204_NO_CONTENT)
        response: FileResponse = files.file_response(evidence)
        return response
