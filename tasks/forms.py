"""Forms of the reporting pages: they only read the browser's input.

Every rule (percent 0–100, a narrative before submitting, an open period, who may do what) is the
services' (tasks.services.reporting); the views put the services' Chinese messages back on these
forms' fields, so that each error shows next to its field.
"""

from typing import Any

from django import forms

from hefei_ai_zone.errors import ApplicationError

CONTENT_FIELDS = ("status", "percent", "narrative", "problems", "next_steps")


class ServiceErrorsMixin:
    """Put an ApplicationError's field messages on the form's fields, the rest on the form."""

    def add_service_error(self, error: ApplicationError) -> None:
        form: forms.Form = self  # type: ignore[assignment]
        fields = (error.extra or {}).get("fields") or {}
        placed: list[str] = []
        for name, messages in fields.items():
            target = name if name in form.fields else None
            for message in messages:
                if target is None and message == error.message:
                    continue
                form.add_error(target, message)
                placed.append(message)
        if error.message not in placed:
            form.add_error(None, error.message)


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


class CommentForm(ServiceErrorsMixin, forms.Form):
    """The comment of a review action (required for returning and reopening: the service says
    so)."""

    comment = forms.CharField(label="意见", required=False, strip=True)
