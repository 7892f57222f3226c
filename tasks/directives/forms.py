"""The forms of 督办事项's pages: 立项 (the office), and the lifecycle's actions (feedback, 延期,
申请办结, 重新督办). Forms read and check the input's shape; the services check the rest."""

from typing import cast

from django import forms
from django.conf import settings

from hefei_ai_zone.forms import ServiceErrorsMixin
from tasks.plan.models import Task
from tasks.reporting.models import ProgressStatus
from units.models import Unit

from .models import DirectiveSource, FeedbackRhythm

TEXT_MAX = 5000
FILES_MAX = 5


class TaskChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Task) -> str:
        content = obj.content if len(obj.content) <= 40 else obj.content[:40] + "…"
        return f"{obj.code} {content}"


class UnitsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{obj.name}（单位集合）" if obj.is_group else obj.name


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Up to FILES_MAX files from one ``<input type=file multiple>``."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def clean(self, data: object, initial: object = None) -> list:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > FILES_MAX:
            raise forms.ValidationError(f"一次最多上传 {FILES_MAX} 个文件。")
        return [super(FilesField, self).clean(f, initial) for f in files]


def text(label: str, required: str = "", *, rows: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=bool(required),
        max_length=TEXT_MAX,
        widget=forms.Textarea if rows else forms.TextInput,
        error_messages={
            "required": required,
            "max_length": f"{label}不能超过 {TEXT_MAX} 个字。",
        },
    )


DUE_HELP = "二选一：按工作日计（自交办次日起算，节假日不计），或填写截止日期。"


class DirectiveForm(ServiceErrorsMixin, forms.Form):
    """立项: the source with its particulars (the fields of the chosen source shown,
    static/js/directives.js), the requirement, the units, the deadline, the rhythm."""

    source = forms.ChoiceField(
        label="来源",
        choices=DirectiveSource.choices,
        error_messages={"required": "请选择来源。", "invalid_choice": "请选择来源。"},
    )
    title = forms.CharField(
        label="事项名称",
        max_length=200,
        error_messages={
            "required": "请填写事项名称。",
            "max_length": "事项名称不能超过 200 个字。",
        },
    )
    source_leader = forms.CharField(label="批示领导", required=False, max_length=100)
    source_meeting = forms.CharField(label="会议名称", required=False, max_length=200)
    source_authority = forms.CharField(label="交办机关", required=False, max_length=200)
    source_doc_number = forms.CharField(label="文号", required=False, max_length=100)
    source_document = forms.CharField(
        label="批示所在文件", required=False, max_length=255, help_text="如：市政府专报第 12 期。"
    )
    source_date = forms.DateField(
        label="批示/会议/交办日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "日期格式应为 2023-09-27。"},
    )
    source_text = text("批示内容/会议纪要/交办内容")
    requirement = text("办理要求", "请填写办理要求。")
    lead_unit = forms.ModelChoiceField(
        label="牵头单位",
        queryset=Unit.objects.organisations().order_by("sort_order", "pk"),
        error_messages={"required": "请选择牵头单位。", "invalid_choice": "请选择一个单位。"},
    )
    co_units = UnitsField(
        label="配合单位",
        required=False,
        queryset=Unit.objects.order_by("kind", "sort_order", "pk"),
        help_text="可多选；选择单位集合即选中其全部成员单位。",
        error_messages={
            "invalid_choice": "所选配合单位无效，请重新选择。",
            "invalid_pk_value": "所选配合单位无效，请重新选择。",
        },
    )
    due_workdays = forms.IntegerField(
        label="办结时限（工作日）",
        required=False,
        min_value=1,
        max_value=250,
        help_text=DUE_HELP,
        error_messages={
            "invalid": "办结时限应为整数个工作日。",
            "min_value": "办结时限应为 1 到 250 个工作日。",
            "max_value": "办结时限应为 1 到 250 个工作日。",
        },
    )
    due_date = forms.DateField(
        label="或：办结截止日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "日期格式应为 2023-09-27。"},
    )
    sign_workdays = forms.IntegerField(
        label="签收时限（工作日）",
        initial=1,
        min_value=1,
        max_value=10,
        error_messages={
            "required": "请填写签收时限。",
            "invalid": "签收时限应为整数个工作日。",
            "min_value": "签收时限应为 1 到 10 个工作日。",
            "max_value": "签收时限应为 1 到 10 个工作日。",
        },
    )
    rhythm = forms.ChoiceField(
        label="反馈频次",
        choices=FeedbackRhythm.choices,
        initial=FeedbackRhythm.ONCE,
        error_messages={"required": "请选择反馈频次。", "invalid_choice": "请选择反馈频次。"},
    )
    task = TaskChoiceField(
        label="所属任务（可选）",
        required=False,
        queryset=Task.objects.filter(plan__is_current=True).order_by("seq"),
        error_messages={"invalid_choice": "请选择方案中的任务。"},
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("due_workdays") is not None and data.get("due_date") is not None:
            self.add_error("due_workdays", "办结时限请二选一：工作日数或截止日期。")
        elif (
            "due_workdays" not in self.errors
            and "due_date" not in self.errors
            and data.get("due_workdays") is None
            and data.get("due_date") is None
        ):
            self.add_error("due_workdays", "请填写办结时限：工作日数或截止日期，二选一。")
        return data


class FeedbackForm(ServiceErrorsMixin, forms.Form):
    content = text("反馈内容", "请填写反馈内容。")
    status = forms.ChoiceField(
        label="办理状态",
        choices=ProgressStatus.choices,
        initial=ProgressStatus.ON_TRACK,
        error_messages={"required": "请选择办理状态。", "invalid_choice": "请选择办理状态。"},
    )
    # a declared field: the form's metaclass takes it out of the class, form.files stays Django's
    files = FilesField(label="佐证材料（可选，可多选）", help_text="PDF、图片或 Office 文件。")  # type: ignore[assignment]


class ExtensionForm(ServiceErrorsMixin, forms.Form):
    to_date = forms.DateField(
        label="申请延至",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "请填写申请延至的日期。",
            "invalid": "日期格式应为 2023-09-27。",
        },
    )
    reason = text("延期理由", "请填写延期理由。")


class CloseApplyForm(ServiceErrorsMixin, forms.Form):
    content = text("办结报告", "请填写办结报告。")
    # a declared field: the form's metaclass takes it out of the class, form.files stays Django's
    files = FilesField(label="佐证材料（可选，可多选）", help_text="PDF、图片或 Office 文件。")  # type: ignore[assignment]


class ReopenForm(ServiceErrorsMixin, forms.Form):
    instruction = text("领导批示", "请填写重新督办的批示内容。")
    due_workdays = forms.IntegerField(
        label="新的办结时限（工作日，可选）",
        required=False,
        min_value=1,
        max_value=250,
        error_messages={
            "invalid": "办结时限应为整数个工作日。",
            "min_value": "办结时限应为 1 到 250 个工作日。",
            "max_value": "办结时限应为 1 到 250 个工作日。",
        },
    )


class ReviewForm(ServiceErrorsMixin, forms.Form):
    """The office's (or a leader's) comment on a feedback or an extension (its id: ``target``)."""

    target = forms.IntegerField(min_value=1, error_messages={"required": "请刷新页面后重试。"})
    comment = forms.CharField(
        label="意见", required=False, strip=True, max_length=settings.COMMENT_MAX_CHARS
    )


class ListFilterForm(forms.Form):
    """The list's filters, kept in the URL (GET): source, state, unit, overdue, a search."""

    source = forms.ChoiceField(label="来源", required=False, choices=[("", "全部")])
    state = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")])
    unit = forms.ModelChoiceField(
        label="承办单位",
        required=False,
        empty_label="全部",
        queryset=Unit.objects.organisations().order_by("sort_order", "pk"),
        error_messages={"invalid_choice": "没有这个单位。"},
    )
    overdue = forms.ChoiceField(
        label="逾期", required=False, choices=[("", "全部"), ("1", "只看逾期")]
    )
    q = forms.CharField(label="搜索", required=False, max_length=100, strip=True)

    def __init__(self, *args: object, **kwargs: object) -> None:
        from .models import DirectiveState

        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        cast(forms.ChoiceField, self.fields["source"]).choices = [
            ("", "全部"),
            *DirectiveSource.choices,
        ]
        cast(forms.ChoiceField, self.fields["state"]).choices = [
            ("", "全部"),
            *DirectiveState.choices,
        ]
        self.fields["q"].widget.attrs["placeholder"] = "编号、事项名称或要求"
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
