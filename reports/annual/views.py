"""年度报告与台账 (/annual/): choose a year of the current plan and have its workbook or report
built (through reports.documents' build jobs, never in the request); the builds of the annual
export listed with their downloads."""

from django.http import HttpResponse
from django.shortcuts import render

from hefei_ai_zone.web import AuthedRequest, ReportingView, forbidden
from reports.documents.selectors import build_list
from tasks.plan.selectors import plan_current

from . import selectors
from .builders import KIND
from .permissions import can_export_annual


class AnnualView(ReportingView):
    def get(self, request: AuthedRequest) -> HttpResponse:
        if not can_export_annual(request.user):
            return forbidden(request, "年度报告与台账供领导小组办公室和领导使用。")
        years = selectors.plan_years()
        return render(
            request,
            "annual/annual.html",
            {
                "plan": plan_current(),
                "years": list(reversed(years)),
                "builds": build_list(request.user, kind=KIND),
            },
        )
