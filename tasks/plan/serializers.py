from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tasks.models import Assignment, Indicator, IndicatorTarget, Item, Section, Task
from tasks.plan.models import Plan


class SectionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "code", "title"]


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["id", "number", "title"]


class SectionSerializer(serializers.ModelSerializer):
    plan: "serializers.SlugRelatedField[Plan]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["id", "plan", "code", "part", "number", "title", "items"]


class AssignedUnitSerializer(serializers.Serializer):
    """A designation as the plan writes it: a unit, or a group (kind ``group``), with its role."""

    id = serializers.IntegerField(source="unit.id")
    name = serializers.CharField(source="unit.name")
    kind = serializers.CharField(source="unit.kind")
    role = serializers.ChoiceField(choices=["lead", "co"])


class TaskSerializer(serializers.ModelSerializer):
    section = SectionRefSerializer(read_only=True)
    item = ItemSerializer(read_only=True, allow_null=True)
    units = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "seq",
            "code",
            "section",
            "item",
            "content",
            "note",
            "requires_plan",
            "units",
        ]

    @extend_schema_field(AssignedUnitSerializer(many=True))
    def get_units(self, task: Task) -> Any:
        assignments: list[Assignment] = list(task.assignments.all())  # prefetched, in order
        return AssignedUnitSerializer(assignments, many=True).data


class TargetSerializer(serializers.ModelSerializer):
    min = serializers.IntegerField(source="min_value")
    max = serializers.IntegerField(source="max_value", allow_null=True)

    class Meta:
        model = IndicatorTarget
        fields = ["year", "min", "max", "cumulative"]


class IndicatorSerializer(serializers.ModelSerializer):
    plan: "serializers.SlugRelatedField[Plan]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    # A field named like Field.parent (DRF's metaclass takes it out of the class; the stubs don't).
    parent: "serializers.SlugRelatedField[Indicator]" = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="code", read_only=True, allow_null=True
    )
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "plan",
            "code",
            "name",
            "measure",
            "goal",
            "parent",
            "source_text",
            "targets",
        ]


class TaskRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    seq = serializers.IntegerField(help_text="附件1中的序号。")
    code = serializers.CharField()


class DemoRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    seq = serializers.IntegerField(help_text="附件2中的序号。")
    name = serializers.CharField()
