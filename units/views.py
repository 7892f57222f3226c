from itertools import groupby
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.views.generic import DetailView, ListView

from tasks.permissions import can_see_unit_record
from tasks.selectors import unit_record

from .models import Unit
from .selectors import unit_duties, unit_list


class UnitListView(LoginRequiredMixin, ListView):
    template_name = "units/unit_list.html"
    context_object_name = "units"

    def get_queryset(self) -> QuerySet[Unit]:
        return unit_list()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        units = sorted(ctx["units"], key=lambda u: (u.kind == "group", u.sort_order))
        ctx["kinds"] = [
            (label, list(group))
            for label, group in groupby(units, key=lambda u: u.get_kind_display())
        ]
        return ctx


class UnitDetailView(LoginRequiredMixin, DetailView):
    template_name = "units/unit_detail.html"
    context_object_name = "unit"

    def get_queryset(self) -> QuerySet[Unit]:
        return unit_list()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        duties = unit_duties(self.object)
        ctx["task_duties"] = [d for d in duties if d.assignment.task_id]
        ctx["demo_duties"] = [d for d in duties if d.assignment.demo_id]
        ctx["lead_total"] = sum(1 for d in ctx["task_duties"] if d.role == "lead")
        ctx["co_total"] = len(ctx["task_duties"]) - ctx["lead_total"]
        ctx["show_record"] = can_see_unit_record(self.request.user, self.object)  # type: ignore[arg-type]
        if ctx["show_record"] and not self.object.is_group:
            ctx["record"] = unit_record(self.object)
        return ctx
