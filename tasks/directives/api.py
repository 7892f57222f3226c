"""The 督办事项 API: /api/directives/.

Thin callers: reads through tasks.directives.selectors (an item the user may not see is a 404
that reveals nothing), writes through tasks.directives.services, which checks
tasks.directives.permissions and raises the application errors that hefei_ai_zone.api turns into
{"message", "extra"}.
"""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from hefei_ai_zone.api import AuthedApiRequest, ErrorSerializer, PayloadTooLargeError
from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from tasks import files
from units.permissions import is_leader, is_office

from . import services
from .filters import DirectiveFilter
from .models import Directive, ExtensionState
from .permissions import can_register, can_see_list
from .selectors import directive_detail, directive_list
from .serializers import (
    CloseApplySerializer,
    DecisionSerializer,
    DirectiveDetailSerializer,
    DirectiveSerializer,
    DirectiveUpdateSerializer,
    DirectiveWriteSerializer,
    ExtendSerializer,
    FeedbackInputSerializer,
    FeedbackReviewSerializer,
    OptionalCommentSerializer,
    ReasonSerializer,
    ReopenSerializer,
)

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="输入有误：extra.fields 按字段列出错误。"),
    403: OpenApiResponse(ErrorSerializer, description="可以查看，但无权执行此操作。"),
    404: OpenApiResponse(ErrorSerializer, description="督办事项不存在或无权查看。"),
}
UPLOAD_ERRORS = {
    **ERRORS,
    413: OpenApiResponse(ErrorSerializer, description="上传的文件合计超过 20 MB。"),
}
UPLOAD_ACTIONS = frozenset({"feedback", "apply_close"})


def _step(summary: str, description: str, request: Any = None, **kwargs: Any) -> Any:
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses={200: DirectiveDetailSerializer, **kwargs.pop("errors", ERRORS)},
        **kwargs,
    )


@extend_schema_view(
    list=extend_schema(
        summary="督办事项列表",
        description=(
            "领导小组办公室和领导看到全部事项；单位用户看到交办给本单位（牵头或配合）的事项；"
            "其他用户 403。新立项的在前。\n\n"
            "筛选：source（来源：instruction 领导批示 / meeting 会议议定事项 / higher 上级交办）、"
            "state（状态）、unit（承办单位 id）、overdue（true：超过办结时限未办结）、"
            "sign_overdue（true：逾期未签收）、q（事项名称、办理要求中的文字或序号）。"
            "参数无效时返回 400 并指明参数。分页：page、page_size（1–1000）。"
        ),
    ),
    retrieve=extend_schema(
        summary="督办事项详情",
        description="承办单位、反馈、延期申请、流程（时间线）、附件、红黄绿灯和当前用户可执行的操作。",
        responses={200: DirectiveDetailSerializer, 404: ERRORS[404]},
    ),
)
@extend_schema(tags=["督办事项"])
class DirectiveViewSet(viewsets.GenericViewSet):
    """督办事项：领导批示、会议议定事项、上级交办事项的立项、交办、签收、反馈、延期、办结、销号。"""

    serializer_class = DirectiveSerializer
    queryset = Directive.objects.none()  # for the schema; see get_queryset
    filterset_class = DirectiveFilter
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    request: AuthedApiRequest

    def get_queryset(self) -> QuerySet[Directive]:
        return directive_list(self.request.user)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Before authentication, whose CSRF check would read (and spool) the whole body.
        if self.action in UPLOAD_ACTIONS and files.upload_too_large(request):
            message = files.too_large_message()
            raise PayloadTooLargeError(message, {"fields": {"files": [message]}})
        super().initial(request, *args, **kwargs)

    # --- helpers -----------------------------------------------------------------------------

    def _directive(self, pk: str) -> Directive:
        return directive_detail(self.request.user, pk)

    def _detail(self, pk: int | str, code: int = status.HTTP_200_OK) -> Response:
        directive = self._directive(str(pk))
        context = self.get_serializer_context()
        return Response(DirectiveDetailSerializer(directive, context=context).data, status=code)

    def _input(self, serializer_class: type[Serializer]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    # --- reads -------------------------------------------------------------------------------

    def list(self, request: AuthedApiRequest) -> Response:
        if not can_see_list(request.user):
            raise NotPermittedError("督办事项供领导小组办公室、领导和承办单位查看。")
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        serializer = DirectiveSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request: AuthedApiRequest, pk: str) -> Response:
        return self._detail(pk)

    # --- 立项 ----------------------------------------------------------------------------------

    @extend_schema(
        summary="登记督办事项（立项）",
        description=(
            "领导小组办公室登记；办结时限填工作日数 due_workdays 或日期 due_date，二选一。"
            "登记后为立项（draft）状态，交办（issue）后各单位才能看到。"
        ),
        request=DirectiveWriteSerializer,
        responses={201: DirectiveDetailSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def create(self, request: AuthedApiRequest) -> Response:
        if not can_register(request.user):
            raise NotPermittedError("只有领导小组办公室可以登记督办事项。")
        data = self._input(DirectiveWriteSerializer)
        lead = data.pop("lead_unit")
        directive = services.directive_create(actor=request.user, lead_unit=lead, **data)
        return self._detail(directive.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="修改督办事项",
        description="只改给出的字段；仅立项（未交办）的事项，仅领导小组办公室。",
        request=DirectiveUpdateSerializer,
        responses={200: DirectiveDetailSerializer, **ERRORS},
    )
    def partial_update(self, request: AuthedApiRequest, pk: str) -> Response:
        directive = self._directive(pk)
        data = self._input(DirectiveUpdateSerializer)
        services.directive_update(actor=request.user, directive=directive, **data)
        return self._detail(pk)

    @extend_schema(
        summary="修改督办事项（同 PATCH）",
        description="与 PATCH 相同：只改给出的字段。",
        request=DirectiveUpdateSerializer,
        responses={200: DirectiveDetailSerializer, **ERRORS},
    )
    def update(self, request: AuthedApiRequest, pk: str) -> Response:
        return self.partial_update(request, pk)

    # --- the lifecycle -----------------------------------------------------------------------

    @_step(
        "交办",
        "领导小组办公室交办立项的事项：编号，定办结和签收时限，通知各承办单位。",
        OptionalCommentSerializer,
    )
    @action(detail=True, methods=["post"])
    def issue(self, request: AuthedApiRequest, pk: str) -> Response:
        directive = self._directive(pk)
        comment = self._input(OptionalCommentSerializer).get("comment", "")
        services.directive_issue(actor=request.user, directive=directive, comment=comment)
        return self._detail(pk)

    @_step("签收", "承办单位的填报员或审核人为本单位签收；牵头单位签收后事项进入办理中。")
    @action(detail=True, methods=["post"])
    def sign(self, request: AuthedApiRequest, pk: str) -> Response:
        services.directive_sign(actor=request.user, directive=self._directive(pk))
        return self._detail(pk)

    @_step(
        "反馈",
        "已签收的承办单位反馈进展：配合单位的反馈供牵头单位汇总，牵头单位的反馈由领导小组"
        "办公室审核。可附佐证材料（multipart/form-data 的 files 字段，可多个）。",
        {
            "application/json": FeedbackInputSerializer,
            "multipart/form-data": FeedbackInputSerializer,
        },
        errors=UPLOAD_ERRORS,
    )
    @action(detail=True, methods=["post"])
    def feedback(self, request: AuthedApiRequest, pk: str) -> Response:
        directive = self._directive(pk)
        data = self._input(FeedbackInputSerializer)
        services.feedback_submit(
            actor=request.user,
            directive=directive,
            content=data["content"],
            status=data["status"],
            files=data.get("files", []),
        )
        return self._detail(pk)

    @_step(
        "审核反馈",
        "领导小组办公室审核牵头单位的反馈：approve=true 通过，false 退回（comment 必填）。",
        FeedbackReviewSerializer,
    )
    @action(detail=True, methods=["post"], url_path="feedback-review")
    def feedback_review(self, request: AuthedApiRequest, pk: str) -> Response:
        directive = self._directive(pk)
        data = self._input(FeedbackReviewSerializer)
        feedback = next((f for f in directive.feedback.all() if f.pk == data["feedback"]), None)
        if feedback is None:
            message = "这个督办事项没有这条反馈。"
            raise ApplicationError(message, {"fields": {"feedback": [message]}})
        comment = data.get("comment", "")
        if data["approve"]:
            services.feedback_accept(actor=request.user, feedback=feedback, comment=comment)
        else:
            services.feedback_return(actor=request.user, feedback=feedback, comment=comment)
        return self._detail(pk)

    @_step(
        "申请延期",
        "牵头单位在办结时限前申请延期：to_date 晚于现在的时限，reason 必填。",
        ExtendSerializer,
    )
    @action(detail=True, methods=["post"])
    def extend(self, request: AuthedApiRequest, pk: str) -> Response:
        directive = self._directive(pk)
        data = self._input(ExtendSerializer)
        services.extension_apply(
            actor=request.user, directive=directive, to_date=data["to_date"], reason=data["reason"]
        )
        return self._detail(pk)

    @_step(
        "审核延期申请",
        "待审核的延期申请：领导小组办公室审核（approve=true 同意；设置要求领导审批时转领导）；"
        "待领导审批的由领导决定。不同意时 comment 必填。批准后办结时限改为申请的日期，"
        "原定办结时限（original_due_date）不变。",
        DecisionSerializer,
    )
    @action(detail=True, methods=["post"], url_path="extension-review")
    def extension_review(self, request: AuthedApiRequest, pk: str) -> Response:
        directive = self._directive(pk)
        data = self._input(DecisionSerializer)
        pending = [
            e
            for e in directive.extensions.all()
            if e.state in (ExtensionState.PENDING, ExtensionState.LEADER)
        ]
        if not pending:
            if not (is_office(request.user) or is_leader(request.user)):
                raise NotPermittedError("只有领导小组办公室或领导可以审核延期申请。")
            raise ApplicationError("这个督办事项没有待审核的延期申请。")
        extension, approve = pending[0], data["approve"]
        comment = data.get("comment", "")
        if extension.state == ExtensionState.LEADER:
            services.extension_decide(
                actor=request.user, extension=extension, approve=approve, comment=comment
            )
        else:
            services.extension_review(
                actor=request.user, extension=extension, approve=approve, comment=comment
            )
        return self._detail(pk)

    @_step(
        "申请办结",
        "牵头单位提交办结报告（content）和佐证材料（multipart/form-data 的 files 字段）。",
        {"application/json": CloseApplySerializer, "multipart/form-data": CloseApplySerializer},
        errors=UPLOAD_ERRORS,
    )
    @action(detail=True, methods=["post"], url_path="apply-close")
    def apply_close(self, request: AuthedApiRequest, pk: str) -> Response:
        directive = self._directive(pk)
        data = self._input(CloseApplySerializer)
        services.close_apply(
            actor=request.user,
            directive=directive,
            content=data["content"],
            files=data.get("files", []),
        )
        return self._detail(pk)

    @_step("办结", "领导小组办公室同意申请办结的事项办结。", OptionalCommentSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: AuthedApiRequest, pk: str) -> Response:
        directive = self._directive(pk)
        comment = self._input(OptionalCommentSerializer).get("comment", "")
        services.directive_close(actor=request.user, directive=directive, comment=comment)
        return self._detail(pk)

    @_step(
        "催办",
        "领导小组办公室催办已交办、办理中的事项，comment（催办内容）必填；通知未签收的单位"
        "（已交办）或牵头单位（办理中），状态不变。",
        ReasonSerializer,
    )
    @action(detail=True, methods=["post"])
    def urge(self, request: AuthedApiRequest, pk: str) -> Response:
        directive = self._directive(pk)
        comment = self._input(ReasonSerializer)["comment"]
        services.directive_urge(actor=request.user, directive=directive, message=comment)
        return self._detail(pk)

    @_step(
        "退回重办",
        "领导小组办公室退回办结申请，comment（理由）必填；事项回到办理中。",
        ReasonSerializer,
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: AuthedApiRequest, pk: str) -> Response:
        directive = self._directive(pk)
        comment = self._input(ReasonSerializer)["comment"]
        services.directive_return(actor=request.user, directive=directive, comment=comment)
        return self._detail(pk)

    @_step(
        "销号", "领导小组办公室为已办结的事项销号，事项离开在办清单。", OptionalCommentSerializer
    )
    @action(detail=True, methods=["post"])
    def archive(self, request: AuthedApiRequest, pk: str) -> Response:
        directive = self._directive(pk)
        comment = self._input(OptionalCommentSerializer).get("comment", "")
        services.directive_archive(actor=request.user, directive=directive, comment=comment)
        return self._detail(pk)

    @_step(
        "重新督办",
        "领导以新的批示（instruction，必填）重新督办已办结或已销号的事项；可给新的办结时限"
        "（due_date 或 due_workdays，二选一），原定办结时限不变。",
        ReopenSerializer,
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: AuthedApiRequest, pk: str) -> Response:
        directive = self._directive(pk)
        data = self._input(ReopenSerializer)
        services.directive_reopen(
            actor=request.user,
            directive=directive,
            instruction=data["instruction"],
            due_date=data.get("due_date"),
            due_workdays=data.get("due_workdays"),
        )
        return self._detail(pk)
