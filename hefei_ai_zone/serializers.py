"""Input serializers every API shares: unknown fields refused, enums named after their choices,
the one comment input."""

from typing import Any

from django.conf import settings
from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import Direction
from rest_framework import serializers

from .numbers import parse_int


class EnumField(serializers.ChoiceField):
    """A choice field documented as one named enum component (ReportState → ReportStateEnum).

    drf-spectacular names enums after the field, so a report's and a period's ``state`` would
    collide, and ``from_state``/``to_state`` would give the report states a second name; both
    are schema warnings. Naming the component after the choices class avoids either.
    """

    def __init__(
        self, choices_class: type[models.TextChoices], *, blank: str | None = None, **kwargs: Any
    ) -> None:
        self.enum_name = f"{choices_class.__name__}Enum"
        choices: list[tuple[str, str]] = list(choices_class.choices)
        if blank is not None:
            choices.insert(0, ("", blank))
            kwargs.setdefault("allow_blank", True)
        super().__init__(choices=choices, **kwargs)


class EnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EnumField
    match_subclasses = True

    def get_name(self) -> str:
        return str(self.target.enum_name)

    def map_serializer_field(self, auto_schema: AutoSchema, direction: Direction) -> dict:
        choices: dict[str, str] = self.target.choices
        lines = [f"* `{value}` - {label}" for value, label in choices.items()]
        return {"type": "string", "enum": list(choices), "description": "\n".join(lines)}


class AsciiIntegerField(serializers.IntegerField):
    """An integer in ASCII digits (DRF's own takes "５０" for 50 and any length): anything else is
    DRF's "A valid integer is required" (in Chinese)."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, str) and parse_int(data) is None:
            self.fail("invalid")
        if isinstance(data, int) and not isinstance(data, bool) and parse_int(data) is None:
            self.fail("max_string_length")
        return super().to_internal_value(data)


class InputSerializer(serializers.Serializer):
    """Refuses fields it does not know, so that {"state": "accepted"} or a misspelt field is a
    400 naming it rather than a silent no-op; named together with the other fields' errors."""

    UNKNOWN = "此接口不接受该字段（只读或字段名有误）。"

    def to_internal_value(self, data: Any) -> Any:
        known = set(self.fields) | {"csrfmiddlewaretoken"}
        names = data.keys() if hasattr(data, "keys") else []
        unknown = {str(name): [self.UNKNOWN] for name in sorted(set(names) - known)}
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if unknown and isinstance(exc.detail, dict):
                raise serializers.ValidationError({**exc.detail, **unknown}) from exc
            raise
        if unknown:
            raise serializers.ValidationError(unknown)
        return value


class CommentSerializer(InputSerializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=settings.COMMENT_MAX_CHARS,
        help_text=f"意见（可选，至多 {settings.COMMENT_MAX_CHARS} 字）。",
    )


class RequiredCommentSerializer(InputSerializer):
    comment = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        max_length=settings.COMMENT_MAX_CHARS,
        help_text=f"意见（必填，说明原因，至多 {settings.COMMENT_MAX_CHARS} 字）。",
    )
