from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import ListView

from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from hefei_ai_zone.web import AuthedRequest, ReportingView

from .models import Unit
from .selectors import unit_list
from .services import unit_self_approval_set


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


class UnitSelfApprovalView(ReportingView):
    """The office's switch on a unit's page: 允许本人审核本人报告 (POST allowed=1 or 0)."""

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        unit = get_object_or_404(Unit, pk=pk)
        allowed = request.POST.get("allowed") == "1"
        try:
            unit_self_approval_set(actor=request.user, unit=unit, allowed=allowed)
        except NotPermittedError:
            raise  # the 403 page (ReportingView)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                f"已{'允许' if allowed else '不再允许'}{unit.name}的审核人审核本人撰写的报告。",
            )
        return redirect("units:unit-detail", pk=unit.pk)
