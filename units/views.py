from itertools import groupby
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.views.generic import ListView

from .models import Unit
from .selectors import unit_list


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
