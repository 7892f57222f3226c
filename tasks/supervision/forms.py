"""The forms of 督办单: issue (the office), answer (the unit). 催办 reads its checkboxes in the
view (the ids of the chosen units) and the service checks them."""

from django import forms

from hefei_ai_zone.forms import ServiceErrorsMixin
from tasks.plan.models import Task
from units.models import Unit

from .services import REPLY_WORKDAYS_MAX


class TaskChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Task) -> str:
        content = obj.content if len(obj.content) <= 40 else obj.content[:40] + "…"
        return f"{obj.code} {content}"


class OrderIssueForm(ServiceErrorsMixin, forms.Form):
    task = TaskChoiceField(
        label="任务",
        queryset=Task.objects.filter(plan__is_current=True).order_by("seq"),
        error_messages={"required": "请选择任务。", "invalid_choice": "请选择方案中的任务。"},
    )
    unit = forms.ModelChoiceField(
        label="督办单位",
        queryset=Unit.objects.organisations().order_by("sort_order", "pk"),
        error_messages={"required": "请选择督办单位。", "invalid_choice": "请选择一个单位。"},
    )
    facts = forms.CharField(
        label="督办事项",
        widget=forms.Textarea,
        help_text="事实和要求，如：该任务连续两个季度未报送进展，请说明原因并提出整改措施。",
        error_messages={"required": "请填写督办事项。"},
    )
    reply_workdays = forms.IntegerField(
        label="反馈时限（工作日）",
        initial=5,
        min_value=1,
        max_value=REPLY_WORKDAYS_MAX,
        help_text="自签发次日起算，节假日不计，调休上班日计入。",
        error_messages={
            "required": "请填写反馈时限。",
            "invalid": "反馈时限应为整数个工作日。",
            "min_value": f"反馈时限应为 1 到 {REPLY_WORKDAYS_MAX} 个工作日。",
            "max_value": f"反馈时限应为 1 到 {REPLY_WORKDAYS_MAX} 个工作日。",
        },
    )


class AnswerForm(ServiceErrorsMixin, forms.Form):
    answer = forms.CharField(
        label="反馈内容", widget=forms.Textarea, error_messages={"required": "请填写反馈内容。"}
    )
    file = forms.FileField(
        label="佐证材料（可选）",
        required=False,
        help_text="PDF、图片或 Word、Excel、PowerPoint，不超过 20 MB。",
    )
