from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tasks.models import Plan, Task

from .models import DemoProject


class DemoUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="unit.id")
    name = serializers.CharField(source="unit.name")
    role = serializers.ChoiceField(choices=["lead", "co"])


class DemoProjectSerializer(serializers.ModelSerializer):
    plan: "serializers.SlugRelatedField[Plan]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    hosts = serializers.ListField(child=serializers.CharField(), read_only=True)
    units = serializers.SerializerMethodField()
    task: "serializers.PrimaryKeyRelatedField[Task]" = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )

    class Meta:
        model = DemoProject
        fields = [
            "id",
            "plan",
            "seq",
            "field",
            "name",
            "hosts",
            "start_year",
            "end_year",
            "units",
            "task",
        ]

    @extend_schema_field(DemoUnitSerializer(many=True))
    def get_units(self, demo: DemoProject) -> Any:
        return DemoUnitSerializer(list(demo.assignments.all()), many=True).data
