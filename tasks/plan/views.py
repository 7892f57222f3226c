from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from demos.models import DemoProject
from hefei_ai_zone.web import AuthedRequest
from hefei_ai_zone.xlsx import (
    Column,
    export_filename,
    form_filters,
    subtitle_of,
    table_workbook,
    xlsx_response,
)
from tasks.ledger.selectors import indicator_table
from tasks.milestones.selectors import task_arrangements
from tasks.models import AssignmentRole, Indicator, Task
from tasks.plan.filters import TaskFilter
from tasks.plan.selectors import indicator_list, plan_current, task_list
from tasks.reporting.selectors import task_reports

TASK_COLUMNS = [
    Column("编号", 9),
    Column("板块", 22, wrap=True),
    Column("主要任务", 20, wrap=True),
    Column("主要内容", 60, wrap=True),
    Column("牵头单位", 16, wrap=True),
    Column("配合单位", 30, wrap=True),
    Column("备注", 14, wrap=True),
]


def task_export_row(task: Task) -> list[Any]:
    """A task as the plan browser shows it: its section and item, content, units, note."""
    units = list(task.assignments.all())
    item = task.item
    return [
        task.code,
        f"{task.section.number}{task.section.title}",
        f"{item.number}.{item.title}" if item else "",
        task.content,
        "、".join(a.unit.name for a in units if a.role == AssignmentRole.LEAD),
        "、".join(a.unit.name for a in units if a.role != AssignmentRole.LEAD),
        task.note,
    ]


class TaskListView(LoginRequiredMixin, FilterView):
    """The plan browser: Annex 1 grouped by section and item, filterable and searchable."""

    filterset_class = TaskFilter
    template_name = "tasks/task_list.html"
    context_object_name = "tasks"
    paginate_by = 200

    def get_queryset(self) -> QuerySet[Task]:
        return task_list(plan=plan_current())

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("format") != "xlsx":
            return super().get(request, *args, **kwargs)
        filterset = self.get_filterset(self.get_filterset_class())
        tasks = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        content = table_workbook(
            title="主要任务分工",
            subtitle=subtitle_of(form_filters(filterset.form)),
            columns=TASK_COLUMNS,
            rows=[task_export_row(task) for task in tasks],
            sheet_title="主要任务分工",
        )
        return xlsx_response(export_filename("主要任务分工"), content)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        ctx["plan"] = plan_current()
        ctx["filtered"] = any(v for k, v in self.request.GET.items() if k != "page")
        ctx["total"] = ctx["paginator"].count if ctx.get("paginator") else len(ctx["tasks"])
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx["query"] = query.urlencode()
        return ctx


class TaskDetailView(LoginRequiredMixin, DetailView):
    template_name = "tasks/task_detail.html"
    context_object_name = "task"
    request: AuthedRequest

    def get_queryset(self) -> QuerySet[Task]:
        return task_list()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        task: Task = self.object
        ctx["demos"] = DemoProject.objects.filter(task=task).order_by("seq")
        siblings = Task.objects.filter(plan=task.plan)
        ctx["previous"] = siblings.filter(seq__lt=task.seq).order_by("-seq").first()
        ctx["next"] = siblings.filter(seq__gt=task.seq).order_by("seq").first()
        ctx["reports"] = task_reports(self.request.user, task)
        ctx.update(task_arrangements(self.request.user, task))
        return ctx


class IndicatorListView(LoginRequiredMixin, ListView):
    """二、主要目标: each indicator's target beside its actual value per year, computed from the
    verified entries of the achievement ledger (selectors.indicator_progress), each value a link
    to the entries behind it."""

    template_name = "tasks/indicator_list.html"
    context_object_name = "indicators"

    def get_queryset(self) -> QuerySet[Indicator]:
        return indicator_list(plan=plan_current())  # not evaluated: the rows come from progress

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        plan = plan_current()
        ctx["plan"] = plan
        ctx["years"] = list(plan.years) if plan else []
        ctx["indicators"] = indicator_table(plan)
        return ctx
