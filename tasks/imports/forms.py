"""The import page's two forms: which template to download, and the file to upload."""

from typing import Any, cast

from django import forms

from tasks.imports.selectors import import_periods
from tasks.models import ReportingPeriod
from units.models import Unit


class PeriodField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.label}（{obj.code}）"


class TemplateForm(forms.Form):
    """A period, and for the office a unit (a unit's staff get their own unit's)."""

    period = PeriodField(
        queryset=ReportingPeriod.objects.none(),  # the open ones: set per form, not at import
        to_field_name="code",
        label="报送周期",
        empty_label=None,
        error_messages={"invalid_choice": "只能下载开放中的报送周期的模板。"},
    )
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.organisations(),
        label="单位",
        required=False,
        error_messages={"invalid_choice": "没有这个单位。"},
    )

    def __init__(self, *args: Any, choose_unit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        period = cast(forms.ModelChoiceField, self.fields["period"])
        period.queryset = import_periods()
        period.widget.attrs["class"] = "form-select"
        unit = cast(forms.ModelChoiceField, self.fields["unit"])
        unit.widget.attrs["class"] = "form-select"
        if choose_unit:
            unit.required = True
            unit.empty_label = "请选择单位"
        else:
            del self.fields["unit"]


class UploadForm(forms.Form):
    period = PeriodField(
        queryset=ReportingPeriod.objects.none(),  # the open ones: set per form, not at import
        to_field_name="code",
        label="报送周期",
        empty_label=None,
        error_messages={"invalid_choice": "只能导入开放中的报送周期。"},
    )
    file = forms.FileField(
        label="填好的模板（.xlsx）",
        error_messages={"required": "请选择要上传的文件。", "empty": "上传的文件是空的。"},
    )
    submit = forms.BooleanField(
        label="导入后提交（保存后直接提交审核；不勾选则只保存为草稿）", required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        period = cast(forms.ModelChoiceField, self.fields["period"])
        period.queryset = import_periods()
        period.widget.attrs["class"] = "form-select"
        self.fields["file"].widget.attrs.update(
            {
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        self.fields["submit"].widget.attrs["class"] = "form-check-input"
