"""Shapes of /api/directives/: what it answers and accepts.

Input serializers only translate JSON (or multipart) into Python; every rule (who may, in which
state, required reasons, deadlines, files) is checked by tasks.directives.services, so that the
pages and the API give the same Chinese messages.
"""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hefei_ai_zone import clock
from hefei_ai_zone.serializers import EnumField, InputSerializer
from tasks.lights import Light, directive_overdue_days, light_of_directive
from tasks.plan.models import AssignmentRole, Task
from tasks.plan.serializers import TaskRefSerializer
from tasks.reporting.models import ProgressStatus
from units.models import Unit
from units.serializers import UnitRefSerializer

from .models import (
    Directive,
    DirectiveAction,
    DirectiveSource,
    DirectiveState,
    ExtensionState,
    FeedbackKind,
    FeedbackRhythm,
    FeedbackState,
)
from .permissions import allowed_actions
from .steps import TEXT_MAX

ACTIONS_HELP = (
    "当前用户此刻可以执行的操作：edit 修改、issue 交办、sign 签收、feedback 反馈、extend 申请延期、"
    "apply_close 申请办结、close 办结、return 退回重办、archive 销号、reopen 重新督办。"
)
LIGHT_HELP = "红黄绿灯（green/yellow/red），与任务同一规则；未交办时为 null。"


def _name(user: Any) -> str | None:
    return user.display_name if user is not None else None


class DirectiveLightField(EnumField):
    """An item's light, from the one rule (tasks.lights.light_of_directive)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(Light, source="*", read_only=True, **kwargs)
        self.enum_name = "DirectiveLightEnum"  # the reports' LightEnum is another field's

    def to_representation(self, directive: Directive) -> str | None:  # type: ignore[override]
        return light_of_directive(directive)


class DirectiveUnitSerializer(serializers.Serializer):
    unit = UnitRefSerializer(help_text="承办单位。")
    role = EnumField(AssignmentRole, help_text="lead 牵头、co 配合。")
    signed_at = serializers.DateTimeField(allow_null=True, help_text="签收时间；未签收为 null。")


class DirectiveSerializer(serializers.ModelSerializer):
    """An item as lists show it: everything from directive_list's two queries."""

    number = serializers.CharField(read_only=True, help_text="编号，合智督〔年〕N号。")
    source = EnumField(DirectiveSource, read_only=True)  # type: ignore[assignment]
    state = EnumField(DirectiveState, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    status = EnumField(ProgressStatus, blank="尚无", read_only=True)
    rhythm = EnumField(FeedbackRhythm, read_only=True)
    lead_unit = serializers.SerializerMethodField(help_text="牵头单位。")
    units = DirectiveUnitSerializer(many=True, read_only=True, help_text="承办单位（牵头在前）。")
    task = TaskRefSerializer(read_only=True, allow_null=True, help_text="所属任务。")
    light = DirectiveLightField(help_text=LIGHT_HELP, allow_null=True)
    overdue_days = serializers.SerializerMethodField(help_text="超过办结时限的天数。")
    extended = serializers.BooleanField(read_only=True, help_text="办结时限是否已延期。")

    class Meta:
        model = Directive
        fields = [
            "id",
            "number",
            "title",
            "source",
            "state",
            "state_label",
            "status",
            "rhythm",
            "lead_unit",
            "units",
            "task",
            "due_date",
            "original_due_date",
            "sign_due_date",
            "next_feedback_date",
            "issued_at",
            "closed_at",
            "archived_at",
            "light",
            "overdue_days",
            "extended",
        ]
        read_only_fields = fields

    @extend_schema_field(UnitRefSerializer(allow_null=True))
    def get_lead_unit(self, obj: Directive) -> dict | None:
        lead = next((d.unit for d in obj.units.all() if d.role == "lead"), None)
        return {"id": lead.pk, "name": lead.name} if lead else None

    @extend_schema_field(
        serializers.ChoiceField(choices=["green", "yellow", "red"], allow_null=True)
    )
    def get_light(self, obj: Directive) -> str | None:
        return light_of_directive(obj)

    def get_overdue_days(self, obj: Directive) -> int:
        return directive_overdue_days(
            state=obj.state, due_date=obj.due_date, closed_at=obj.closed_at, as_of=clock.today()
        )


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    file_name = serializers.CharField()
    file_type = serializers.CharField()


class FeedbackSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = UnitRefSerializer()
    kind = EnumField(FeedbackKind)
    content = serializers.CharField()
    status = EnumField(ProgressStatus)
    state = EnumField(FeedbackState)
    due_date = serializers.DateField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    created_by = serializers.SerializerMethodField()
    reviewed_at = serializers.DateTimeField(allow_null=True)
    review_comment = serializers.CharField()
    attachments = AttachmentSerializer(many=True)

    def get_created_by(self, obj: Any) -> str | None:
        return _name(obj.created_by)


class ExtensionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    unit = UnitRefSerializer()
    from_date = serializers.DateField()
    to_date = serializers.DateField()
    reason = serializers.CharField()
    state = EnumField(ExtensionState)
    requested_at = serializers.DateTimeField()
    reviewed_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    comment = serializers.CharField()


class StepSerializer(serializers.Serializer):
    action = EnumField(DirectiveAction)
    action_label = serializers.CharField(source="get_action_display")
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    actor = serializers.SerializerMethodField()
    unit = UnitRefSerializer(allow_null=True)
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_actor(self, obj: Any) -> str | None:
        return _name(obj.actor)


class DirectiveDetailSerializer(DirectiveSerializer):
    """An item with everything its page shows (directive_detail's prefetches)."""

    feedback = FeedbackSerializer(many=True, read_only=True, help_text="反馈与办结报告。")
    extensions = ExtensionSerializer(many=True, read_only=True, help_text="延期申请。")
    steps = StepSerializer(many=True, read_only=True, help_text="流程（时间线）。")
    attachments = AttachmentSerializer(many=True, read_only=True, help_text="附件。")
    allowed_actions = serializers.SerializerMethodField(help_text=ACTIONS_HELP)

    class Meta(DirectiveSerializer.Meta):
        fields = [
            *DirectiveSerializer.Meta.fields,
            "source_leader",
            "source_meeting",
            "source_authority",
            "source_doc_number",
            "source_document",
            "source_date",
            "source_text",
            "requirement",
            "due_workdays",
            "sign_workdays",
            "feedback",
            "extensions",
            "steps",
            "attachments",
            "allowed_actions",
        ]
        read_only_fields = fields

    def get_allowed_actions(self, obj: Directive) -> list[str]:
        return sorted(allowed_actions(self.context["request"].user, obj))


# --- input --------------------------------------------------------------------------------------


def _text(help_text: str, *, max_length: int = TEXT_MAX, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, max_length=max_length, help_text=help_text, **kwargs
    )


class DirectiveWriteSerializer(InputSerializer):
    """Registering (立项) an item; the service checks each rule and names the field."""

    title = serializers.CharField(max_length=200, help_text="事项名称。")
    source = EnumField(DirectiveSource)  # type: ignore[assignment]
    requirement = serializers.CharField(max_length=TEXT_MAX, help_text="办理要求。")
    lead_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(), help_text="牵头单位 id（具体单位）。"
    )
    co_units = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        many=True,
        required=False,
        help_text="配合单位 id（可含单位集合，按其成员展开）。",
    )
    due_workdays = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=250,
        help_text="办结时限（工作日）。",
    )
    due_date = serializers.DateField(
        required=False, allow_null=True, help_text="办结时限（日期），与工作日数二选一。"
    )
    sign_workdays = serializers.IntegerField(
        required=False, min_value=1, max_value=10, help_text="签收时限（工作日），默认 1。"
    )
    rhythm = EnumField(FeedbackRhythm, required=False)
    task = serializers.PrimaryKeyRelatedField(
        queryset=Task.objects.all(), required=False, allow_null=True, help_text="所属任务 id。"
    )
    source_leader = _text("批示领导（领导批示必填）。", max_length=100)
    source_meeting = _text("会议名称（会议议定事项必填）。", max_length=200)
    source_authority = _text("交办机关（上级交办必填）。", max_length=200)
    source_doc_number = _text("文号。", max_length=100)
    source_document = _text("批示所在文件。", max_length=255)
    source_date = serializers.DateField(
        required=False, allow_null=True, help_text="批示、会议或交办日期。"
    )
    source_text = _text("批示内容、会议纪要或交办内容。")


class DirectiveUpdateSerializer(DirectiveWriteSerializer):
    """Only the fields given change (a draft only)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class FeedbackInputSerializer(InputSerializer):
    content = serializers.CharField(max_length=TEXT_MAX, help_text="反馈内容。")
    status = EnumField(ProgressStatus)
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=10,
        help_text="佐证材料（仅 multipart/form-data，可多个）：PDF、图片或 Office 文件。",
    )


class CloseApplySerializer(InputSerializer):
    content = serializers.CharField(max_length=TEXT_MAX, help_text="办结报告。")
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=10,
        help_text="佐证材料（仅 multipart/form-data，可多个）：PDF、图片或 Office 文件。",
    )


class ExtendSerializer(InputSerializer):
    to_date = serializers.DateField(help_text="申请延至（晚于现在的办结时限），YYYY-MM-DD。")
    reason = serializers.CharField(max_length=TEXT_MAX, help_text="延期理由。")


class DecisionSerializer(InputSerializer):
    approve = serializers.BooleanField(help_text="true 同意，false 不同意（须写明理由）。")
    comment = _text("意见；不同意时必填。")


class FeedbackReviewSerializer(DecisionSerializer):
    feedback = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="反馈 id。")


class ReasonSerializer(InputSerializer):
    comment = serializers.CharField(max_length=TEXT_MAX, help_text="理由（必填）。")


class OptionalCommentSerializer(InputSerializer):
    comment = _text("意见（可选）。")


class ReopenSerializer(InputSerializer):
    instruction = serializers.CharField(max_length=TEXT_MAX, help_text="领导的新批示（必填）。")
    due_date = serializers.DateField(
        required=False, allow_null=True, help_text="新的办结时限（日期）。"
    )
    due_workdays = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=250,
        help_text="新的办结时限（自今日起的工作日数），与日期二选一。",
    )
