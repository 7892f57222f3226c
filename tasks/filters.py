"""Filters shared by the pages and the API: tasks (plan browser, /api/tasks/) and progress
reports (review queue, /api/progress-reports/). Their forms carry Bootstrap classes so that a
page renders each field with templates/includes/filter_field.html."""

from django import forms
from django.db.models import QuerySet
from django_filters import rest_framework as filters

from units.models import Unit

from .models import (
    AssignmentRole,
    Plan,
    ProgressReport,
    ReportState,
    Section,
    Task,
)
from .selectors import period_list, report_filter_overdue, task_filter_search, task_filter_unit


class StyledFilterSet(filters.FilterSet):
    @property
    def form(self) -> forms.Form:
        form = super().form
        for field in form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        return form


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


class ReportFilter(StyledFilterSet):
    """Progress-report filters, shared by /api/progress-reports/ and the review queue page."""

    period = filters.ModelChoiceFilter(
        queryset=lambda request: period_list(),  # codes are unique within the current plan
        to_field_name="code",
        label="报送周期",
        empty_label="全部周期",
    )
    unit = filters.ModelChoiceFilter(
        queryset=Unit.objects.organisations(), label="填报单位", empty_label="全部单位"
    )
    task = filters.ModelChoiceFilter(
        queryset=Task.objects.all(), field_name="assignment__task", label="任务"
    )
    section = filters.ModelChoiceFilter(
        queryset=Section.objects.order_by("plan", "seq"),
        field_name="assignment__task__section",
        label="任务板块",
        empty_label="全部板块",
    )
    state = filters.ChoiceFilter(
        choices=ReportState.choices, label="流程状态", empty_label="全部状态"
    )
    overdue = filters.ChoiceFilter(
        choices=[("true", "逾期"), ("false", "未逾期")],
        method="filter_overdue",
        label="逾期",
        empty_label="全部",
    )

    class Meta:
        model = ProgressReport
        fields = ["period", "unit", "task", "section", "state", "overdue"]

    def filter_overdue(
        self, qs: QuerySet[ProgressReport], name: str, value: str
    ) -> QuerySet[ProgressReport]:
        if not value:
            return qs
        overdue = report_filter_overdue(qs)
        return overdue if value == "true" else qs.exclude(pk__in=overdue.values("pk"))


class ReviewFilter(ReportFilter):
    """The review queue's filters: only the states that wait for the office."""

    state = filters.ChoiceFilter(
        choices=[(s.value, s.label) for s in (ReportState.SUBMITTED, ReportState.APPROVED)],
        label="流程状态",
        empty_label="全部状态",
    )
