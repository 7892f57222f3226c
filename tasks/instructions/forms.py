"""The forms of 领导批示: the 批示 itself (on any page's 批示 button), the office's filing note,
the leader's setting. Each only reads input; the services decide."""

from django import forms

from hefei_ai_zone.forms import ServiceErrorsMixin
from tasks.directives.services import DUE_WORKDAYS_MAX

from .models import TEXT_MAX, InstructionTarget
from .services import NOTE_MAX


def _id_field(message: str) -> forms.IntegerField:
    return forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


class WriteForm(ServiceErrorsMixin, forms.Form):
    """The 批示 and what it is written on (ids; the view looks them up, 404 when unknown)."""

    target = forms.ChoiceField(
        choices=InstructionTarget.choices,
        error_messages={
            "required": "请指明批示写在哪项任务、哪份报告、哪个单位或哪个灯色上。",
            "invalid_choice": "批示对象只能是任务、进展报告、单位或灯色。",
        },
    )
    text = forms.CharField(
        label="批示内容",
        max_length=TEXT_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "请填写批示内容。",
            "max_length": f"批示内容不能超过 {TEXT_MAX} 个字。",
        },
    )
    task = _id_field("任务编号有误。")
    report = _id_field("报告编号有误。")
    unit = _id_field("单位编号有误。")
    period = _id_field("报送周期有误。")
    light = forms.CharField(required=False, max_length=8)

    def clean(self) -> dict:
        data = super().clean() or {}
        target = str(data.get("target") or "")
        needs_by_target: dict[str, tuple[str, ...]] = {
            InstructionTarget.TASK: ("task",),
            InstructionTarget.REPORT: ("report",),
            InstructionTarget.UNIT: ("unit",),
            InstructionTarget.LIGHT: ("period", "light"),
        }
        needs = needs_by_target.get(target, ())
        for name in needs:
            if not data.get(name):
                raise forms.ValidationError(
                    "批示对象不完整，请从任务、报告、单位或灯色明细页面写批示。"
                )
        if target == InstructionTarget.LIGHT and not (data.get("task") or data.get("unit")):
            raise forms.ValidationError("请指明这一灯色所属的任务或单位。")
        return data


class FileForm(ServiceErrorsMixin, forms.Form):
    note = forms.CharField(
        label="归档说明",
        max_length=NOTE_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "请填写归档说明。",
            "max_length": f"归档说明不能超过 {NOTE_MAX} 个字。",
        },
    )


class PreferenceForm(ServiceErrorsMixin, forms.Form):
    direct_to_units = forms.BooleanField(
        label="我的批示直接交办承办单位（不经办公室转办）", required=False
    )
    due_workdays = forms.IntegerField(
        label="直接交办事项的办结时限（工作日）",
        min_value=1,
        max_value=DUE_WORKDAYS_MAX,
        error_messages={
            "required": "请填写办结时限。",
            "invalid": "办结时限应为整数个工作日。",
            "min_value": f"办结时限应为 1 到 {DUE_WORKDAYS_MAX} 个工作日。",
            "max_value": f"办结时限应为 1 到 {DUE_WORKDAYS_MAX} 个工作日。",
        },
    )
