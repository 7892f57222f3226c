"""Forms of the reporting pages: they only read the browser's input.

Every rule (percent 0–100, a narrative before submitting, an open period, who may do what) is the
services' (tasks.reporting.services); the views put the services' Chinese messages back on these
forms' fields, so that each error shows next to its field.
"""

from typing import Any

from django import forms

from hefei_ai_zone.forms import ServiceErrorsMixin
from tasks.lights import Light
from tasks.reporting.models import CONTENT_FIELDS
from tasks.reporting.worklists import DUTY_STATES


class ReportForm(ServiceErrorsMixin, forms.Form):
    """The five content fields, the version the user loaded, and an optional evidence file."""

    status = forms.CharField(label="进展状态", required=False)
    percent = forms.CharField(label="完成进度（%）", required=False, strip=True)
    narrative = forms.CharField(label="进展情况", required=False, strip=False)
    problems = forms.CharField(label="存在问题", required=False, strip=False)
    next_steps = forms.CharField(label="下步计划", required=False, strip=False)
    percent_drop_reason = forms.CharField(label="进度下降原因", required=False, strip=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    file = forms.FileField(label="佐证材料", required=False)

    def content(self) -> dict[str, Any]:
        """The content as typed, for the services to check."""
        return {name: self.cleaned_data.get(name, "") for name in CONTENT_FIELDS}


class MyTasksFilterForm(forms.Form):
    """我的任务's filters and order, read from the URL (so that a filtered list can be
    bookmarked and shared); an unknown value is named and ignored."""

    state = forms.ChoiceField(
        label="填报状态",
        required=False,
        choices=[("", "全部状态"), *((k, label) for k, (label, _) in DUTY_STATES.items())],
    )
    light = forms.ChoiceField(
        label="灯色", required=False, choices=[("", "全部灯色"), *Light.choices]
    )
    section = forms.ChoiceField(label="任务板块", required=False)
    order = forms.ChoiceField(
        label="排序",
        required=False,
        choices=[("", "待办优先"), ("plan", "方案顺序")],
    )

    def __init__(self, data: Any, *, sections: list[tuple[str, str]]) -> None:
        super().__init__(data)
        section = self.fields["section"]
        assert isinstance(section, forms.ChoiceField)
        section.choices = [("", "全部板块"), *sections]

    def value(self, name: str) -> str:
        """The field's valid value, "" when it was not given or not valid."""
        if not self.is_bound:
            return ""
        self.is_valid()
        if name in self.errors:
            return ""
        return str(self.cleaned_data.get(name) or "")

    @property
    def active(self) -> bool:
        return any(self.value(name) for name in ("state", "light", "section"))
