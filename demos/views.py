from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.views.generic import DetailView, ListView

from hefei_ai_zone.web import AuthedRequest
from tasks.lights import assignment_lights, light_of, period_as_of, worst
from tasks.plan.selectors import plan_current
from tasks.reporting.selectors import period_current, report_list

from .models import DemoProject
from .selectors import AssignmentLight, demo_list, demo_milestones, demo_timeline

TIMELINE_START, TIMELINE_END = 2019, 2023


class DemoListView(LoginRequiredMixin, ListView):
    template_name = "demos/demo_list.html"
    context_object_name = "demos"

    def get_queryset(self) -> QuerySet[DemoProject]:
        return demo_list().filter(plan=plan_current())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        demos = list(ctx["demos"])
        start = min([TIMELINE_START, *(d.start_year for d in demos)])
        end = max([TIMELINE_END, *(d.end_year for d in demos)])
        ctx["years"] = list(range(start, end + 1))
        ctx["demos"] = demos
        ctx["bars"] = demo_timeline(demos, start, end)
        return ctx


class DemoDetailView(LoginRequiredMixin, DetailView):
    """A demo project: host organisations, construction period, responsible units, its yearly
    milestones, the progress reports the user may see, period by period, and its light now."""

    template_name = "demos/demo_detail.html"
    context_object_name = "demo"
    request: AuthedRequest

    def get_queryset(self) -> QuerySet[DemoProject]:
        return demo_list()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        demo: DemoProject = ctx["demo"]
        assignments = list(demo.assignments.all())
        period = period_current(demo.plan)
        facts = assignment_lights(period, [a.pk for a in assignments]) if period else {}
        units = [AssignmentLight(a, light_of(facts, a.pk)) for a in assignments]
        as_of = period_as_of(period) if period else None
        reports = list(
            report_list(self.request.user)
            .filter(assignment__demo=demo)
            .order_by("-period__start_date", "assignment__order", "unit__sort_order")
        )
        by_period: dict[str, dict[str, Any]] = {}
        for r in reports:
            by_period.setdefault(r.period.code, {"period": r.period, "reports": []})[
                "reports"
            ].append(r)
        ctx.update(
            {
                "assignments": units,
                "period": period,
                "light": worst([u.light for u in units]),
                "milestone_years": demo_milestones(demo, as_of),
                "report_periods": list(by_period.values()),
            }
        )
        return ctx
