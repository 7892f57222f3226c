"""The task filter of the plan browser and /api/tasks/."""

from django import forms
from django.db.models import QuerySet
from django_filters import rest_framework as filters

from hefei_ai_zone.filters import StyledFilterSet
from tasks.plan.models import AssignmentRole, Plan, Section, Task
from tasks.plan.selectors import task_filter_search, task_filter_unit
from units.models import Unit


class TaskFilter(StyledFilterSet):
    plan = filters.ModelChoiceFilter(
        queryset=Plan.objects.all(), to_field_name="code", label="实施方案"
    )
    section = filters.ModelChoiceFilter(
        queryset=Section.objects.order_by("plan", "seq"), label="任务板块", empty_label="全部板块"
    )
    unit = filters.ModelChoiceFilter(
        queryset=Unit.objects.all(), method="filter_unit", label="责任单位", empty_label="全部单位"
    )
    role = filters.ChoiceFilter(
        choices=AssignmentRole.choices, method="filter_role", label="分工", empty_label="牵头和配合"
    )
    search = filters.CharFilter(
        method="filter_search",
        label="关键词",
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "任务内容、编号或单位名称"}),
    )
    requires_plan = filters.TypedChoiceFilter(
        choices=[("true", "是"), ("false", "否")],
        coerce=lambda v: v == "true",
        label="需制定实施方案",
    )

    class Meta:
        model = Task
        fields = ["plan", "section", "unit", "role", "search", "requires_plan"]

    def filter_unit(self, qs: QuerySet[Task], name: str, value: Unit | None) -> QuerySet[Task]:
        if value is None:
            return qs
        return task_filter_unit(qs, value, self.form.cleaned_data.get("role") or None)

    def filter_role(self, qs: QuerySet[Task], name: str, value: str) -> QuerySet[Task]:
        return qs  # applied together with `unit` in filter_unit

    def filter_search(self, qs: QuerySet[Task], name: str, value: str) -> QuerySet[Task]:
        return task_filter_search(qs, value) if value.strip() else qs
