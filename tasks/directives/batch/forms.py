"""The forms of a meeting's decisions: the meeting and its decisions (pasted or a file), then
one form per decision to review (units as choices read once for the whole list)."""

from typing import Any

from django import forms

from tasks.directives.services import TEXT_MAX, TITLE_MAX

from .reading import MAX_ROWS, parse_due
from .services import MEETING_MAX

DUE_HELP = "工作日数（如 10）或日期（如 2023-10-31）"


def _due(value: str, *, required: bool) -> str:
    value = (value or "").strip()
    if not value and not required:
        return ""
    if parse_due(value) is None:
        raise forms.ValidationError(f"办结时限应为{DUE_HELP}。")
    return value


class MeetingForm(forms.Form):
    """The meeting, once for all its decisions."""

    meeting = forms.CharField(
        label="会议名称",
        max_length=MEETING_MAX,
        error_messages={
            "required": "请填写会议名称。",
            "max_length": f"会议名称不能超过 {MEETING_MAX} 个字。",
        },
    )
    meeting_date = forms.DateField(
        label="会议日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        error_messages={"invalid": "会议日期格式应为 2023-09-27。"},
    )
    minutes = forms.CharField(
        label="会议纪要（可选）",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"会议纪要不能超过 {TEXT_MAX} 个字。"},
    )
    default_due = forms.CharField(
        label="默认办结时限",
        initial="20",
        max_length=40,
        help_text=f"{DUE_HELP}；某条事项未写时限时用它。",
        error_messages={"required": "请填写默认办结时限。"},
    )

    def clean_default_due(self) -> str:
        return _due(self.cleaned_data.get("default_due", ""), required=True)


class StartForm(MeetingForm):
    decisions = forms.CharField(
        label="议定事项（每行一条）",
        required=False,
        max_length=MAX_ROWS * 600,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"max_length": "粘贴的内容过长，请分批登记。"},
    )
    file = forms.FileField(
        label="或上传 Excel（列：事项｜牵头单位｜配合单位｜办结时限｜要求）",
        required=False,
        error_messages={"invalid": "请选择 .xlsx 文件。", "empty": "上传的文件是空的。"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pasted = (data.get("decisions") or "").strip()
        if pasted and data.get("file"):
            raise forms.ValidationError("粘贴和上传 Excel 二选一。")
        if not pasted and not data.get("file") and not self.errors:
            raise forms.ValidationError("请粘贴议定事项（每行一条），或上传 Excel。")
        return data


class RowForm(forms.Form):
    """One decision on the review list."""

    chosen = forms.BooleanField(label="交办", required=False, initial=True)
    number = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=100_000)
    title = forms.CharField(
        label="事项名称",
        max_length=TITLE_MAX,
        required=False,
        error_messages={"max_length": f"事项名称不能超过 {TITLE_MAX} 个字。"},
    )
    requirement = forms.CharField(
        label="办理要求",
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": f"办理要求不能超过 {TEXT_MAX} 个字。"},
    )
    lead = forms.TypedChoiceField(
        label="牵头单位",
        widget=forms.Select(attrs={"class": "form-select"}),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "没有这个牵头单位（单位集合不能牵头）。"},
    )
    co = forms.TypedMultipleChoiceField(
        label="配合单位",
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 4}),
        required=False,
        coerce=int,
        error_messages={"invalid_choice": "没有这个配合单位。"},
    )
    due = forms.CharField(label="办结时限", required=False, max_length=40)
    notes = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)

    def __init__(
        self,
        *args: Any,
        leads: list[tuple[int | str, str]],
        units: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].choices = [("", "请选择"), *leads]  # type: ignore[attr-defined]
        self.fields["co"].choices = units  # type: ignore[attr-defined]

    def clean_due(self) -> str:
        return _due(self.cleaned_data.get("due", ""), required=False)


RowFormSet = forms.formset_factory(
    RowForm, extra=0, max_num=MAX_ROWS, validate_max=True, absolute_max=MAX_ROWS
)
