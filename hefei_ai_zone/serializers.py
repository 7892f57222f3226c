"""Input serializers every API shares: unknown fields refused, enums named after their choices,
the one comment input."""

from typing import Any

from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import Direction
from rest_framework import serializers


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


class InputSerializer(serializers.Serializer):
    """Refuses fields it does not know, so that {"state": "accepted"} or a misspelt field is a
    400 naming it rather than a silent no-op."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(self.initial_data) - set(self.fields) - {"csrfmiddlewaretoken"})
        if unknown:
            raise serializers.ValidationError(
                {name: ["此接口不接受该字段（只读或字段名有误）。"] for name in unknown}
            )
        return attrs


class CommentSerializer(InputSerializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, trim_whitespace=False, help_text="意见（可选）。"
    )


class RequiredCommentSerializer(InputSerializer):
    comment = serializers.CharField(
        allow_blank=True, trim_whitespace=False, help_text="意见（必填，说明原因）。"
    )
