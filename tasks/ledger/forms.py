"""Forms of the ledger pages: they read the browser's input; the rules are the services'."""

from typing import Any

from django import forms

from hefei_ai_zone.forms import ServiceErrorsMixin
from tasks.ledger.models import AchievementDomain, AchievementKind
from tasks.plan.models import Plan, Task
from units.models import Unit, User
from units.permissions import is_office


class TaskChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Task) -> str:
        text = obj.content if len(obj.content) <= 28 else f"{obj.content[:28]}…"
        return f"{obj.code} {text}"


class EntryForm(ServiceErrorsMixin, forms.Form):
    """An entry's fields as typed; tasks.ledger.services checks them."""

    kind = forms.ChoiceField(
        label="成果类型", choices=[("", "请选择"), *AchievementKind.choices], required=False
    )
    domain = forms.ChoiceField(
        label="领域", choices=AchievementDomain.choices, required=False, initial="general"
    )
    title = forms.CharField(label="成果名称", required=False, max_length=300)
    date = forms.DateField(
        label="取得日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "请按“年-月-日”填写日期，如 2021-06-30。"},
    )
    unit = forms.ModelChoiceField(
        label="填报单位", queryset=Unit.objects.organisations(), required=False
    )
    task = TaskChoiceField(label="相关任务（可不选）", queryset=Task.objects.none(), required=False)
    identifier = forms.CharField(label="编号", required=False, max_length=200)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    file = forms.FileField(label="佐证材料（可不传）", required=False)

    def __init__(self, *args: Any, plan: Plan | None, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        task: forms.ModelChoiceField = self.fields["task"]  # type: ignore[assignment]
        unit: forms.ModelChoiceField = self.fields["unit"]  # type: ignore[assignment]
        task.queryset = Task.objects.filter(plan=plan).order_by("seq")
        unit.empty_label = "请选择单位"
        task.empty_label = "不关联任务"
        self.fixed_unit = None if is_office(user) else user.unit
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        self.fields["identifier"].widget.attrs["placeholder"] = (
            "专利号、标准号等，如 ZL202110123456.7"
        )
        self.fields["title"].widget.attrs["maxlength"] = "255"

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        if field and field in self.fields:
            widget = self.fields[field].widget
            if "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
            widget.attrs["aria-describedby"] = f"error-{field}"

    def values(self) -> dict[str, Any]:
        data = {name: self.cleaned_data.get(name) for name in ENTRY_FIELDS}
        data["kind"] = data["kind"] or ""
        data["domain"] = data["domain"] or AchievementDomain.GENERAL
        data["title"] = data["title"] or ""
        data["identifier"] = data["identifier"] or ""
        data["note"] = data["note"] or ""
        if self.fixed_unit is not None:
            data["unit"] = self.fixed_unit
        return data


ENTRY_FIELDS = ("kind", "domain", "title", "date", "unit", "task", "identifier", "note")
