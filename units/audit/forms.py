"""The auditor's filters of the audit log (/audit/)."""

from django import forms

from units.models import Unit

from .models import AuditKind


class AuditFilterForm(forms.Form):
    user = forms.CharField(label="用户名", required=False, max_length=150)
    unit = forms.ModelChoiceField(
        label="单位", queryset=Unit.objects.organisations(), required=False, empty_label="全部单位"
    )
    kind = forms.ChoiceField(
        label="事件", choices=[("", "全部事件"), *AuditKind.choices], required=False
    )
    since = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self) -> dict:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "截止日期不能早于起始日期。")
        return data
