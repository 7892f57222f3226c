"""Shapes of the ledger API: what /api/achievements/ and /api/indicators/progress/ answer and
accept.

Input serializers only translate the request into Python (types, references by id); every rule
(dates within the plan, identifiers required and counted once, who may record for which unit) is
tasks.ledger.services's, so the pages and the API give the same Chinese messages.
"""

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from hefei_ai_zone.serializers import EnumField, InputSerializer
from tasks.ledger.permissions import ENTRY_ACTIONS, allowed_actions
from tasks.ledger.services import IDENTIFIER_MAX, NOTE_MAX, TITLE_MAX
from tasks.models import AchievementDomain, AchievementEntry, AchievementKind, EntryState, Task
from tasks.plan.models import Plan
from tasks.plan.serializers import TargetSerializer, TaskRefSerializer
from units.models import Unit, User
from units.serializers import UnitRefSerializer


class EntryFileSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="上传时的文件名。")
    content_type = serializers.CharField(help_text="按内容判定的类型。")
    url = serializers.CharField(help_text="下载地址（需登录，能查看条目的用户才能下载）。")


class EntryPermissionsSerializer(serializers.Serializer):
    """The earlier form of allowed_actions, kept for callers that read it."""

    edit = serializers.BooleanField(help_text="可以修改（核实前，填报单位或领导小组办公室）。")
    verify = serializers.BooleanField(help_text="可以核实通过（领导小组办公室）。")
    reject = serializers.BooleanField(help_text="可以标为未通过核实（领导小组办公室）。")


class AchievementEntrySerializer(serializers.ModelSerializer):
    """One ledger entry as the API shows it."""

    plan: "serializers.SlugRelatedField[Plan]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    kind = EnumField(AchievementKind, read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    domain = EnumField(AchievementDomain, read_only=True)
    state = EnumField(EntryState, read_only=True)
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    unit = UnitRefSerializer(read_only=True)
    task = TaskRefSerializer(read_only=True, allow_null=True)
    file = serializers.SerializerMethodField()
    created_by = serializers.SerializerMethodField()
    verified_by = serializers.SerializerMethodField()
    permissions = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField(
        help_text=(
            "当前用户此刻可以执行的操作，与页面上的按钮一致：update 修改（核实前，填报单位或"
            "领导小组办公室）、verify 核实通过、reject 不通过（领导小组办公室）。"
        )
    )

    class Meta:
        model = AchievementEntry
        fields = [
            "id",
            "plan",
            "kind",
            "kind_display",
            "domain",
            "title",
            "date",
            "unit",
            "task",
            "identifier",
            "note",
            "file",
            "state",
            "state_display",
            "review_comment",
            "created_by",
            "created_at",
            "verified_by",
            "verified_at",
            "permissions",
            "allowed_actions",
        ]

    @extend_schema_field(EntryFileSerializer(allow_null=True))
    def get_file(self, entry: AchievementEntry) -> dict[str, str] | None:
        if not entry.file:
            return None
        url = reverse("achievement-file", args=[entry.pk])
        request = self.context.get("request")
        return {
            "name": entry.file_name,
            "content_type": entry.file_type,
            "url": request.build_absolute_uri(url) if request else url,
        }

    @staticmethod
    def _name(user: User | None) -> str | None:
        return user.display_name if user is not None else None

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="填报人。"))
    def get_created_by(self, entry: AchievementEntry) -> str | None:
        return self._name(entry.created_by)

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="核实（或退回）人。"))
    def get_verified_by(self, entry: AchievementEntry) -> str | None:
        return self._name(entry.verified_by)

    def _allowed(self, entry: AchievementEntry) -> frozenset[str]:
        request = self.context.get("request")
        if request is None or not request.user.is_authenticated:
            return frozenset()
        return allowed_actions(request.user, entry)

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=list(ENTRY_ACTIONS)))
    )
    def get_allowed_actions(self, entry: AchievementEntry) -> list[str]:
        allowed = self._allowed(entry)
        return [action for action in ENTRY_ACTIONS if action in allowed]

    @extend_schema_field(EntryPermissionsSerializer(help_text="同 allowed_actions（旧的形式）。"))
    def get_permissions(self, entry: AchievementEntry) -> dict[str, bool]:
        allowed = self._allowed(entry)
        names = {"edit": "update", "verify": "verify", "reject": "reject"}
        return {key: action in allowed for key, action in names.items()}


class EntryWriteSerializer(InputSerializer):
    """What a caller may send to record or correct an entry (JSON or multipart/form-data);
    a field it does not know is refused, as by every other API."""

    kind = EnumField(AchievementKind)
    domain = EnumField(AchievementDomain, required=False)
    title = serializers.CharField(max_length=TITLE_MAX, help_text="成果名称。")
    date = serializers.DateField(help_text="取得日期（授权、发布、建成或举办），YYYY-MM-DD。")
    unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.organisations(),
        required=False,
        help_text="填报单位 id；单位用户可不填（即本单位），领导小组办公室必填。",
    )
    task = serializers.PrimaryKeyRelatedField(
        queryset=Task.objects.all(),
        required=False,
        allow_null=True,
        help_text="相关任务 id（同一实施方案），可不填。",
    )
    identifier = serializers.CharField(
        max_length=IDENTIFIER_MAX,  # was 200 here while the service refused over 128
        required=False,
        allow_blank=True,
        help_text="专利号、标准号等；授权发明专利和标准必填。全角转半角、转大写后保存，"
        "同一类型中同一编号只计一次。",
    )
    note = serializers.CharField(
        required=False, allow_blank=True, max_length=NOTE_MAX, help_text="说明。"
    )
    file = serializers.FileField(
        required=False,
        help_text="佐证材料（仅 multipart/form-data）：PDF、图片或 Office 文件，不超过 20 MB。",
    )


class EntryUpdateSerializer(EntryWriteSerializer):
    """Only the fields given change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class YearProgressSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    actual = serializers.IntegerField(help_text="已核实条目数：该年的，或（累计目标）截至该年的。")
    target = TargetSerializer(allow_null=True, help_text="该年的目标；没有目标时为 null。")
    met = serializers.BooleanField(allow_null=True, help_text="是否达到下限；没有目标时为 null。")
    entries_url = serializers.CharField(help_text="计入该值的已核实条目（/api/achievements/）。")


class IndicatorProgressSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    measure = serializers.CharField()
    # A field named like Field.parent (DRF's metaclass takes it out of the class; the stubs don't).
    parent = serializers.CharField(allow_null=True, help_text="上级指标的 code。")  # type: ignore[assignment]
    ledger_kind = EnumField(AchievementKind, help_text="计数的台账成果类型。")
    ledger_domain = serializers.CharField(help_text="只计该领域（speech）；空为全部领域。")
    years = YearProgressSerializer(many=True)
