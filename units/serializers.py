from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

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


class TokenRequestSerializer(AuthTokenSerializer):
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=32,
        write_only=True,
        help_text="启用了两步验证的用户必填：验证器当前显示的 6 位验证码（或一个未用过的恢复码）。",
    )
