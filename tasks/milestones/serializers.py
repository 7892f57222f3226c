"""Shapes of /api/milestones/: what it answers and accepts.

Input serializers only translate JSON (or multipart) into Python; every rule (who may, in which
state, the owing unit, the plan's years, a required note or comment) is checked by
tasks.milestones.services, so that the pages and the API give the same Chinese messages.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hefei_ai_zone import clock
from hefei_ai_zone.serializers import EnumField, InputSerializer
from tasks.milestones.permissions import (
    MILESTONE_ACTIONS,
    allowed_actions,
    can_read_milestone_file,
)
from tasks.milestones.services import TEXT_MAX, TITLE_MAX
from tasks.models import Assignment, AssignmentRole, Milestone, MilestoneState
from tasks.plan.serializers import DemoRefSerializer, TaskRefSerializer
from units.models import Unit, User
from units.serializers import UnitRefSerializer


class MilestoneFileSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="上传时的文件名（仅供显示）。")
    content_type = serializers.CharField(help_text="按文件内容判定的类型。")
    url = serializers.CharField(help_text="下载地址。")


class MilestoneSerializer(serializers.ModelSerializer):
    """A milestone as lists show it; everything comes from milestone_list's one query (and the
    user's lead units, read once per request into the context as ``led``)."""

    assignment = serializers.IntegerField(
        source="assignment_id", read_only=True, help_text="责任分工 id。"
    )
    task = TaskRefSerializer(
        source="assignment.task", read_only=True, allow_null=True, help_text="所属任务。"
    )
    demo = DemoRefSerializer(
        source="assignment.demo", read_only=True, allow_null=True, help_text="所属示范工程。"
    )
    assignment_unit = UnitRefSerializer(
        source="assignment.unit", read_only=True, help_text="分工的责任单位（可为单位集合）。"
    )
    role = EnumField(AssignmentRole, source="assignment.role", read_only=True)
    unit = UnitRefSerializer(read_only=True, help_text="承担节点、负责标记完成的单位。")
    state = EnumField(MilestoneState, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    arrangement_confirmed = serializers.BooleanField(
        read_only=True, help_text="false：牵头单位提出，待领导小组办公室确认安排。"
    )
    overdue_days = serializers.SerializerMethodField(
        help_text="逾期未完成的天数（未逾期或安排未确认为 0），截至当前报送周期的计灯日"
        "（周期进行中为今天，与红黄绿灯一致）。"
    )
    done_by = serializers.CharField(
        source="done_by.display_name", read_only=True, allow_null=True, help_text="标记人。"
    )
    confirmed_by = serializers.CharField(
        source="confirmed_by.display_name", read_only=True, allow_null=True, help_text="确认人。"
    )
    created_by = serializers.CharField(
        source="created_by.display_name", read_only=True, allow_null=True, help_text="添加人。"
    )
    file = serializers.SerializerMethodField(
        help_text="佐证材料；没有材料或无权下载（承担单位、牵头单位、办公室和领导以外）时为 null。"
    )
    allowed_actions = serializers.SerializerMethodField(
        help_text=(
            "当前用户此刻可以执行的操作，与页面上的按钮一致：update 修改、delete 删除、"
            "confirm_arrangement 确认安排、mark_done 标记完成、confirm 确认完成、reject 退回。"
        )
    )

    class Meta:
        model = Milestone
        fields = [
            "id",
            "year",
            "title",
            "due_date",
            "assignment",
            "task",
            "demo",
            "assignment_unit",
            "role",
            "unit",
            "state",
            "state_label",
            "arrangement_confirmed",
            "overdue_days",
            "done_at",
            "done_note",
            "done_by",
            "file",
            "confirmed_at",
            "confirmed_by",
            "review_comment",
            "created_by",
            "created_at",
            "allowed_actions",
        ]
        read_only_fields = fields

    def _user(self) -> User:
        return self.context["request"].user

    def _led(self) -> set:
        return self.context.get("led", set())

    def get_overdue_days(self, m: Milestone) -> int:
        as_of = self.context.get("as_of") or clock.today()
        return m.overdue_days(as_of) if m.arrangement_confirmed else 0

    @extend_schema_field(MilestoneFileSerializer(allow_null=True))
    def get_file(self, m: Milestone) -> dict[str, str] | None:
        if not m.file or not can_read_milestone_file(self._user(), m, self._led()):
            return None
        path = reverse("milestone-file", kwargs={"pk": m.pk})
        request = self.context.get("request")
        return {
            "name": m.file_name,
            "content_type": m.file_type,
            "url": request.build_absolute_uri(path) if request else path,
        }

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=list(MILESTONE_ACTIONS)))
    )
    def get_allowed_actions(self, m: Milestone) -> list[str]:
        allowed = allowed_actions(self._user(), m, led=self._led())
        return [action for action in MILESTONE_ACTIONS if action in allowed]


# --- input -------------------------------------------------------------------------------------


class MilestoneUpdateSerializer(InputSerializer):
    title = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=TITLE_MAX,
        help_text="节点内容，如“完成实施方案编制”。",
    )
    due_date = serializers.DateField(
        required=False, allow_null=True, help_text="完成时限（实施方案年度内），节点年度取其年份。"
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.all(),
        required=False,
        help_text="承担节点的单位 id：分工的责任单位，或（分工属于单位集合时）其成员单位。",
    )


class MilestoneCreateSerializer(MilestoneUpdateSerializer):
    assignment = serializers.PrimaryKeyRelatedField(
        queryset=Assignment.objects.all(),
        help_text="责任分工 id。领导小组办公室直接安排；牵头单位提出，经办公室确认。",
    )
    title = serializers.CharField(
        allow_blank=True, max_length=TITLE_MAX, help_text="节点内容，如“完成实施方案编制”。"
    )
    due_date = serializers.DateField(
        allow_null=True, help_text="完成时限（实施方案年度内），节点年度取其年份。"
    )


class MarkDoneSerializer(InputSerializer):
    note = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        max_length=TEXT_MAX,
        help_text=f"完成情况（必填，至多 {TEXT_MAX} 字）。",
    )
    file = serializers.FileField(
        required=False,
        allow_empty_file=True,
        help_text="佐证材料（可选；multipart/form-data）：PDF、图片或 Word、Excel、PowerPoint，"
        "不超过 20 MB；替换已有材料。",
    )
