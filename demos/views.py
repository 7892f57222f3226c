from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.views.generic import DetailView, ListView

from hefei_ai_zone import clock
from hefei_ai_zone.web import AuthedRequest
from tasks.lights import assignment_lights, light_of, period_as_of, worst
from tasks.models import Milestone
from tasks.plan.selectors import plan_current
from tasks.reporting.selectors import period_current, report_list

from .models import DemoProject
from .selectors import demo_list

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
        span = end - start + 1
        ctx["years"] = list(range(start, end + 1))
        for d in demos:  # position of the construction period on the timeline, in percent
            d.bar_left = round((d.start_year - start) * 100 / span, 2)
            d.bar_width = round((d.end_year - d.start_year + 1) * 100 / span, 2)
        ctx["demos"] = demos
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
        for a in assignments:
            a.light = light_of(facts, a.pk)  # type: ignore[attr-defined]
        milestones = list(
            Milestone.objects.filter(assignment__demo=demo)
            .select_related("unit")
            .order_by("year", "due_date", "id")
        )
        as_of = period_as_of(period, clock.today()) if period else None
        for m in milestones:
            m.overdue = m.overdue_days(as_of) if as_of else 0  # type: ignore[attr-defined]
        by_year: dict[int, list[Milestone]] = {}
        for m in milestones:
            by_year.setdefault(m.year, []).append(m)
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
                "assignments": assignments,
                "period": period,
                "as_of": as_of,
                "light": worst([a.light for a in assignments]),  # type: ignore[attr-defined]
                "milestone_years": sorted(by_year.items()),
                "report_periods": list(by_period.values()),
            }
        )
        return ctx
