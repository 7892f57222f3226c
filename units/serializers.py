from rest_framework import serializers

from .models import Unit


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name"]


class UnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    members = UnitRefSerializer(many=True, read_only=True)
    groups = UnitRefSerializer(many=True, read_only=True)
    lead_count = serializers.IntegerField(
        read_only=True, help_text="牵头的任务数（不含经由单位集合）"
    )
    co_count = serializers.IntegerField(
        read_only=True, help_text="配合的任务数（不含经由单位集合）"
    )

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "full_name",
            "kind",
            "kind_display",
            "members",
            "groups",
            "lead_count",
            "co_count",
        ]


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="以 Authorization: Token <token> 发送。")
