"""Forms of the reporting pages: they only read the browser's input.

Every rule (percent 0–100, a narrative before submitting, an open period, who may do what) is the
services' (tasks.reporting.services); the views put the services' Chinese messages back on these
forms' fields, so that each error shows next to its field.
"""

from typing import Any

from django import forms

from hefei_ai_zone.forms import ServiceErrorsMixin
from tasks.reporting.models import CONTENT_FIELDS


class ReportForm(ServiceErrorsMixin, forms.Form):
    """The five content fields, the version the user loaded, and an optional evidence file."""

    status = forms.CharField(label="进展状态", required=False)
    percent = forms.CharField(label="完成进度（%）", required=False, strip=True)
    narrative = forms.CharField(label="进展情况", required=False, strip=False)
    problems = forms.CharField(label="存在问题", required=False, strip=False)
    next_steps = forms.CharField(label="下步计划", required=False, strip=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    file = forms.FileField(label="佐证材料", required=False)

    def content(self) -> dict[str, Any]:
        """The content as typed, for the services to check."""
        return {name: self.cleaned_data.get(name, "") for name in CONTENT_FIELDS}
