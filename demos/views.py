from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.views.generic import DetailView, ListView

from tasks.selectors import plan_current

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
    template_name = "demos/demo_detail.html"
    context_object_name = "demo"

    def get_queryset(self) -> QuerySet[DemoProject]:
        return demo_list()
