"""The milestone list's filter (pages and API)."""

from django.db.models import QuerySet
from django_filters import rest_framework as filters

from hefei_ai_zone.filters import StyledFilterSet
from tasks.milestones.models import Milestone, MilestoneState
from tasks.milestones.selectors import milestone_filter_overdue
from tasks.plan.models import Task
from units.models import Unit


class MilestoneFilter(StyledFilterSet):
    unit = filters.ModelChoiceFilter(
        queryset=Unit.objects.organisations(), label="责任单位", empty_label="全部单位"
    )
    task = filters.ModelChoiceFilter(
        queryset=Task.objects.all(), field_name="assignment__task", label="任务"
    )
    assignment = filters.NumberFilter(field_name="assignment_id", label="责任分工")
    year = filters.NumberFilter(label="年度", min_value=2000, max_value=2100)
    state = filters.ChoiceFilter(
        choices=MilestoneState.choices, label="状态", empty_label="全部状态"
    )
    overdue = filters.ChoiceFilter(
        choices=[("true", "逾期未完成"), ("false", "未逾期")],
        method="filter_overdue",
        label="逾期",
        empty_label="全部",
    )

    class Meta:
        model = Milestone
        fields = ["unit", "task", "assignment", "year", "state", "overdue"]

    def filter_overdue(self, qs: QuerySet[Milestone], name: str, value: str) -> QuerySet[Milestone]:
        if not value:
            return qs
        return milestone_filter_overdue(qs, overdue=value == "true")
