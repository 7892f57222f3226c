"""Forms of the milestone pages: they read the browser's input; the rules are the services'."""

from typing import Any

from django import forms

from hefei_ai_zone.forms import ServiceErrorsMixin
from tasks.plan.models import Assignment
from units.models import Unit


class MilestoneForm(ServiceErrorsMixin, forms.Form):
    title = forms.CharField(
        label="节点内容",
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"placeholder": "如：完成实施方案编制"}),
    )
    due_date = forms.DateField(
        label="完成时限", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    unit = forms.ModelChoiceField(
        label="责任单位", queryset=Unit.objects.none(), required=False, empty_label=None
    )

    def __init__(self, *args: Any, assignment: Assignment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = assignment.unit
        field: forms.ModelChoiceField = self.fields["unit"]  # type: ignore[assignment]
        if owner.is_group:
            field.queryset = owner.members.order_by("sort_order")
            field.empty_label = "请选择成员单位"
        else:
            field.queryset = Unit.objects.filter(pk=owner.pk)
        for f in self.fields.values():
            css = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            f.widget.attrs.setdefault("class", css)


class DoneForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(
        label="完成情况", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    file = forms.FileField(label="佐证材料", required=False)
