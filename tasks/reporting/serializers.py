"""Shapes of the reporting API: what /api/periods/ and /api/progress-reports/ answer and accept.

Input serializers only translate JSON into Python (types, references by id or code); every
business rule (ranges, lengths, who may do what, in which state) is checked by
tasks.reporting.services, so that the pages, the API and the import give the same Chinese
messages.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hefei_ai_zone.serializers import AsciiIntegerField, EnumField, InputSerializer
from tasks.lights import Light, report_light
from tasks.models import (
    Assignment,
    AssignmentRole,
    Evidence,
    PeriodState,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    ReportState,
    ReportTransition,
)
from tasks.plan.serializers import DemoRefSerializer, TaskRefSerializer
from tasks.reporting.models import PERCENT_DROP_REASON_MAX
from tasks.reporting.permissions import REPORT_ACTIONS, allowed_actions
from tasks.reporting.selectors import period_list
from units.models import User
from units.serializers import UnitRefSerializer

# ---------------------------------------------------------------------------------------------
# Named enums
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# Errors: hefei_ai_zone.api.ErrorSerializer (the shape its exception_handler produces)
# ---------------------------------------------------------------------------------------------


class ReportContentSerializer(serializers.Serializer):
    status = EnumField(ProgressStatus, blank="未选择")
    percent = serializers.IntegerField()
    narrative = serializers.CharField()
    problems = serializers.CharField()
    next_steps = serializers.CharField()
    percent_drop_reason = serializers.CharField()


class ConflictExtraSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="报告当前的版本号。")
    updated_by = serializers.CharField(help_text="最后修改人。")
    updated_at = serializers.DateTimeField(help_text="最后修改时间。")
    current = ReportContentSerializer(help_text="对方保存的内容（当前版本）。")


class ConflictSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="谁在何时修改了报告。")
    extra = ConflictExtraSerializer()


# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------


class PeriodSerializer(serializers.ModelSerializer):
    # A field named like Field.label (DRF's metaclass takes it out of the class; the stubs don't).
    label = serializers.CharField(read_only=True, help_text="如“2021年第三季度”。")  # type: ignore[assignment]
    state = EnumField(PeriodState, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = [
            "id",
            "code",
            "label",
            "year",
            "quarter",
            "start_date",
            "end_date",
            "due_date",
            "state",
            "state_label",
            "opened_at",
            "closed_at",
        ]
        read_only_fields = fields


# ---------------------------------------------------------------------------------------------
# Reports: output
# ---------------------------------------------------------------------------------------------


class ReportLightField(EnumField):
    """A report's light, from the one rule (tasks.lights.report_light)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(Light, source="*", read_only=True, **kwargs)

    def to_representation(self, report: ProgressReport) -> str:  # type: ignore[override]
        return report_light(report)


class ProgressReportSerializer(serializers.ModelSerializer):
    """A report as lists show it; everything comes from report_list's one query."""

    period = serializers.CharField(
        source="period.code", read_only=True, help_text="报送周期代码，如 2021Q3。"
    )
    task = TaskRefSerializer(
        source="assignment.task",
        read_only=True,
        allow_null=True,
        help_text="所报任务；示范工程的报告为 null。",
    )
    demo = DemoRefSerializer(
        source="assignment.demo",
        read_only=True,
        allow_null=True,
        help_text="所报示范工程；任务的报告为 null。",
    )
    assignment = serializers.IntegerField(
        source="assignment_id", read_only=True, help_text="责任分工 id。"
    )
    unit = UnitRefSerializer(
        read_only=True, help_text="填报单位（单位集合的分工由各成员单位分别填报）。"
    )
    role = EnumField(AssignmentRole, source="assignment.role", read_only=True)
    state = EnumField(ReportState, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    status = EnumField(ProgressStatus, blank="未选择", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    light = ReportLightField(
        help_text="本报告的进展状态给出的灯色（tasks.lights）：只有已提交（待单位审核、待办公室审核、"
        "已通过）的报告计入；草稿、已退回或未选进展状态时为 grey。"
    )
    light_label = serializers.SerializerMethodField()
    updated_by = serializers.CharField(
        source="updated_by.display_name", read_only=True, allow_null=True, help_text="最后修改人。"
    )

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "period",
            "task",
            "demo",
            "assignment",
            "unit",
            "role",
            "state",
            "state_label",
            "status",
            "status_label",
            "percent",
            "narrative",
            "problems",
            "next_steps",
            "percent_drop_reason",
            "version",
            "light",
            "light_label",
            "submitted_at",
            "accepted_at",
            "created_at",
            "updated_at",
            "updated_by",
        ]
        read_only_fields = fields

    def get_light_label(self, report: ProgressReport) -> str:
        return str(Light(report_light(report)).label)


class TransitionSerializer(serializers.ModelSerializer):
    action = serializers.CharField(
        read_only=True, help_text="submit、approve、return、accept 或 reopen。"
    )
    from_state = EnumField(ReportState, read_only=True)
    to_state = EnumField(ReportState, read_only=True)
    actor = serializers.CharField(source="actor.display_name", read_only=True, allow_null=True)

    class Meta:
        model = ReportTransition
        fields = ["action", "from_state", "to_state", "actor", "comment", "created_at"]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(
        source="original_name", read_only=True, help_text="上传时的文件名（仅供显示）。"
    )
    content_type = serializers.CharField(read_only=True, help_text="按文件内容判定的类型。")
    size = serializers.IntegerField(read_only=True, help_text="字节数。")
    uploaded_by = serializers.CharField(
        source="uploaded_by.display_name", read_only=True, allow_null=True
    )
    url = serializers.SerializerMethodField(help_text="下载地址（需有权查看该报告）。")

    class Meta:
        model = Evidence
        fields = ["id", "name", "content_type", "size", "uploaded_at", "uploaded_by", "url"]
        read_only_fields = fields

    def get_url(self, evidence: Evidence) -> str:
        path = reverse(
            "progress-report-evidence-file",
            kwargs={"pk": evidence.report_id, "evidence_id": evidence.pk},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ProgressReportDetailSerializer(ProgressReportSerializer):
    """A report with its timeline, its evidence and what the reader may do with it."""

    transitions = TransitionSerializer(
        many=True, read_only=True, help_text="流程记录，按时间先后。"
    )
    evidence = EvidenceSerializer(many=True, read_only=True, help_text="佐证材料。")
    allowed_actions = serializers.SerializerMethodField(
        help_text=(
            "当前用户此刻可以执行的操作，与页面上的按钮一致：update 修改内容、submit 提交、"
            "add_evidence / remove_evidence 上传、删除佐证材料（以上须周期填报中）、approve 单位"
            "审核通过、return 退回、accept 办公室审核通过、reopen 重新打开。"
        )
    )

    class Meta(ProgressReportSerializer.Meta):
        fields = [
            *ProgressReportSerializer.Meta.fields,
            "transitions",
            "evidence",
            "allowed_actions",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=list(REPORT_ACTIONS)))
    )
    def get_allowed_actions(self, report: ProgressReport) -> list[str]:
        user: User = self.context["request"].user
        allowed = allowed_actions(user, report)
        return [action for action in REPORT_ACTIONS if action in allowed]


class ReportListSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = ProgressReportSerializer(many=True)


# ---------------------------------------------------------------------------------------------
# Reports: input
# ---------------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class PeriodCodeField(serializers.SlugRelatedField):
    """A period of the current plan, by its code (2021Q3)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self) -> models.QuerySet[ReportingPeriod]:
        return period_list()


TEXT: dict[str, Any] = {"required": False, "allow_blank": True, "trim_whitespace": False}
# The limits the services enforce, stated in the schema (and checked here first).
LONG: dict[str, Any] = {"max_length": settings.REPORT_TEXT_MAX_CHARS}


class ReportContentInputSerializer(InputSerializer):
    status = EnumField(ProgressStatus, blank="未选择", required=False)
    percent = AsciiIntegerField(required=False, help_text="完成进度，0 到 100 的整数。")
    narrative = serializers.CharField(**TEXT, **LONG, help_text="进展情况（提交前必填）。")
    problems = serializers.CharField(**TEXT, **LONG, help_text="存在问题。")
    next_steps = serializers.CharField(**TEXT, **LONG, help_text="下步计划。")
    percent_drop_reason = serializers.CharField(
        **TEXT,
        max_length=PERCENT_DROP_REASON_MAX,
        help_text=(
            "进度下降原因（不超过 500 字）：完成进度低于本单位该分工上一期已提交报告时，提交前"
            "必填，缺少时提交返回 400（extra.fields.percent_drop_reason）；进度不低于上期时清空。"
        ),
    )


class ReportCreateSerializer(ReportContentInputSerializer):
    assignment = serializers.PrimaryKeyRelatedField(
        queryset=Assignment.objects.select_related("unit"),
        help_text="责任分工 id（本单位承担的任务或示范工程，含经由单位集合承担的）。",
    )
    period = PeriodCodeField(help_text="报送周期代码，如 2021Q3；周期须处于填报中。")


class ReportUpdateSerializer(ReportContentInputSerializer):
    version = AsciiIntegerField(
        required=False,
        min_value=1,
        help_text="读取时的版本号（必填，或改用 If-Match 请求头）；不是最新版本时返回 409。",
    )


class BulkAcceptSerializer(InputSerializer):
    ids = serializers.ListField(
        child=AsciiIntegerField(min_value=1),
        allow_empty=False,
        max_length=1000,
        help_text="要审核通过的报告 id；任何一份不能通过时全部不处理。",
    )
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=settings.COMMENT_MAX_CHARS,
        help_text=f"意见（可选，至多 {settings.COMMENT_MAX_CHARS} 字）。",
    )


class EvidenceUploadSerializer(InputSerializer):
    file = serializers.FileField(
        allow_empty_file=True,
        help_text="PDF、图片（PNG/JPEG/GIF/WebP）或 Word、Excel、PowerPoint 文件，不超过 20 MB。",
    )
