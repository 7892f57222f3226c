"""The rules editor's form: numbers only (Django's messages in Chinese), the rest is the
service's validation (weights summing to 100, nothing negative)."""

from django import forms

from hefei_ai_zone.forms import ServiceErrorsMixin

from .models import DEDUCTIONS, WEIGHTS


def _number(label: str, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=6,
        decimal_places=2,
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": "不能为负数。",
            "max_value": "不能超过 100 分。",
            "required": "请填写数字。",
            "invalid": "请填写数字。",
            "max_digits": "数字过大。",
            "max_decimal_places": "最多两位小数。",
            "max_whole_digits": "数字过大。",
        },
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )


class RulesForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(
        label="说明", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for key, label in WEIGHTS:
            self.fields[f"w_{key}"] = _number(f"{label}（权重）")
        for key, label, _unit in DEDUCTIONS:
            self.fields[f"d_{key}"] = _number(label)
            self.fields[f"cap_{key}"] = _number("上限", required=False)
        self.order_fields(["note"])
        self.fields["note"] = self.fields.pop("note")

    def weight_fields(self) -> list[forms.BoundField]:
        return [self[f"w_{key}"] for key, _label in WEIGHTS]

    def deduction_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, str]]:
        return [(self[f"d_{key}"], self[f"cap_{key}"], unit) for key, _label, unit in DEDUCTIONS]


class PublishForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label="重新发布理由",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _shown(value: float | None) -> str | None:
    return None if value is None else f"{value:g}"


def initial_of(rules: object) -> dict[str, object]:
    """The form's values from a reports.assessment.rules.Rules (40, 0.5: no trailing zeros)."""
    initial: dict[str, object] = {"note": getattr(rules, "note", "")}
    for key, _label in WEIGHTS:
        initial[f"w_{key}"] = _shown(rules.weights[key])  # type: ignore[attr-defined]
    for key, _label, _unit in DEDUCTIONS:
        initial[f"d_{key}"] = _shown(rules.deductions[key])  # type: ignore[attr-defined]
        initial[f"cap_{key}"] = _shown(rules.caps.get(key))  # type: ignore[attr-defined]
    return initial
