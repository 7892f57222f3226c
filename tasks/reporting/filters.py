"""Filters shared by the pages and the API: tasks (plan browser, /api/tasks/) and progress
reports (review queue, /api/progress-reports/). Their forms carry Bootstrap classes so that a
page renders each field with templates/includes/filter_field.html."""

from django.db.models import QuerySet
from django_filters import rest_framework as filters

from hefei_ai_zone.filters import StyledFilterSet
from tasks.models import (
    ProgressReport,
    ReportState,
    Section,
    Task,
)
from tasks.reporting.selectors import period_list, report_filter_overdue
from units.models import Unit


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
