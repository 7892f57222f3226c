"""Shapes of /api/notifications/."""

from rest_framework import serializers

from .models import Notice


class NoticeSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True, help_text="是否已读。")

    class Meta:
        model = Notice
        fields = ["id", "rule", "key", "title", "body", "link", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="本次标为已读的条数。")
    unread = serializers.IntegerField(help_text="剩余未读条数。")
