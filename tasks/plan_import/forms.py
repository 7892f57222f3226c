"""The plan import's two forms: the workbook to upload, and the plan's particulars with a select
for every unit name the platform does not know (an existing unit or 新建单位 of a kind)."""

from typing import Any

from django import forms

from tasks.plan_import.drafts import PlanDraft
from tasks.plan_import.selectors import plan_code_taken, units_known, units_to_map
from tasks.plan_import.services import NewUnit
from units.models import Unit, UnitKind

NEW = "new:"
YEAR_ERRORS = {
    "required": "请填写年份。",
    "invalid": "年份应为四位数字。",
    "min_value": "年份不能早于 2000 年。",
    "max_value": "年份不能晚于 2100 年。",
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label="实施方案任务分工表（.xlsx）",
        error_messages={"required": "请选择要上传的文件。", "empty": "上传的文件是空的。"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs.update(
            {
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )


def unit_choices() -> list[tuple[str, Any]]:
    new = [
        (f"{NEW}{kind}", f"新建单位（{label}）")
        for kind, label in UnitKind.choices
        if kind != UnitKind.GROUP
    ]
    existing = [(str(u.pk), u.name) for u in units_to_map()]
    return [("", "请选择…"), ("新建单位", new), ("对应到现有单位", existing)]


class PublishForm(forms.Form):
    """The plan's code, name, short name, years and whether it becomes the current plan; then
    ``unit_<i>`` for the i-th unknown name (``unknown`` lists them)."""

    code = forms.SlugField(
        label="方案代码",
        max_length=64,
        help_text="英文字母、数字和连字符，如 hefei-ai-2024-2026；创建后不能修改。",
        error_messages={
            "required": "请填写方案代码。",
            "invalid": "方案代码只能包含英文字母、数字、连字符和下划线。",
        },
    )
    name = forms.CharField(
        label="方案名称", max_length=255, error_messages={"required": "请填写方案名称。"}
    )
    short_name = forms.CharField(label="简称", max_length=64, required=False)
    start_year = forms.IntegerField(
        label="起始年份", min_value=2000, max_value=2100, error_messages=YEAR_ERRORS
    )
    end_year = forms.IntegerField(
        label="截止年份", min_value=2000, max_value=2100, error_messages=YEAR_ERRORS
    )
    make_current = forms.BooleanField(
        label="设为当前方案",
        required=False,
        help_text="勾选后任务分工、看板等改按新方案显示，原当前方案保留但不再是当前方案。"
        "一般在新方案开始执行时再设为当前方案（也可以以后在管理后台设置）。",
    )

    def __init__(self, *args: Any, draft: PlanDraft, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = draft.unit_names()
        known = units_known(names)
        self.known = known
        self.unknown = [n for n in names if n not in known]
        choices = unit_choices() if self.unknown else []
        for i, name in enumerate(self.unknown):
            self.fields[f"unit_{i}"] = forms.ChoiceField(
                label=name,
                choices=choices,
                error_messages={
                    "required": f"请为“{name}”选择现有单位或新建单位。",
                    "invalid_choice": f"“{name}”的选择无效，请重新选择。",
                },
            )
        for key, field in self.fields.items():
            css = "form-check-input" if key == "make_current" else "form-select"
            if isinstance(field, forms.CharField | forms.IntegerField):
                css = "form-control"
            field.widget.attrs["class"] = css

    def plan_fields(self) -> list[Any]:
        return [self[k] for k in ("code", "name", "short_name", "start_year", "end_year")]

    def unit_fields(self) -> list[tuple[str, Any]]:
        return [(name, self[f"unit_{i}"]) for i, name in enumerate(self.unknown)]

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if plan_code_taken(code):
            raise forms.ValidationError(f"方案代码“{code}”已被使用，请换一个代码。")
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and end < start:
            self.add_error("end_year", "截止年份不能早于起始年份。")
        return data

    def mapping(self) -> dict[str, Unit | NewUnit]:
        """Each unknown name → the chosen unit, or NewUnit of the chosen kind."""
        units = {str(u.pk): u for u in units_to_map()}
        out: dict[str, Unit | NewUnit] = {}
        for i, name in enumerate(self.unknown):
            value = self.cleaned_data[f"unit_{i}"]
            out[name] = NewUnit(value[len(NEW) :]) if value.startswith(NEW) else units[value]
        return out
