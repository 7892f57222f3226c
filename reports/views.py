"""The dashboard pages: 总览 for the office and the leader, the tasks behind one of its blocks
(为什么是这个灯色), and one unit's 总览.

Thin views: the numbers come from reports.dashboards (cached, aggregated in the database); the
page embeds them with json_script and static/js/dashboard.js draws the charts and their tables.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from hefei_ai_zone.errors import NotPermittedError
from hefei_ai_zone.web import AuthedRequest, forbidden
from hefei_ai_zone.xlsx import Column, export_filename, subtitle_of, table_workbook, xlsx_response
from tasks.models import ReportingPeriod
from tasks.reporting.permissions import can_see_period_overview
from tasks.reporting.selectors import period_current, period_list
from units.models import Unit
from units.permissions import is_unit_staff

from . import dashboards, unit_dashboard, why
from .forms import WhyForm


def pick_period(
    periods: list[ReportingPeriod], code: str, default: ReportingPeriod | None
) -> tuple[ReportingPeriod | None, str]:
    """The period named by ``code``, else the default; and the unknown code, if any."""
    found = next((p for p in periods if p.code == code), None)
    return found or default, code if code and found is None else ""


class DashboardView(LoginRequiredMixin, View):
    """总览: the whole plan for the office and the leader; a unit's staff go to their unit's."""

    def get(self, request: AuthedRequest) -> HttpResponse:
        user = request.user
        try:
            audience = dashboards.audience_of(user)
        except NotPermittedError as error:
            if is_unit_staff(user):
                return redirect("dashboard:unit", user.unit_id)
            return forbidden(request, error.message)
        periods = dashboards.dashboard_periods()
        period, unknown = pick_period(
            periods, request.GET.get("period", ""), dashboards.period_default(periods)
        )
        data = (
            dashboards.dashboard_data(user=user, period=period, periods=periods) if period else None
        )
        if request.GET.get("format") == "xlsx" and period is not None and data is not None:
            return scorecard_export(period, data["scorecard"])
        ctx: dict[str, Any] = {
            "data": data,
            "period": period,
            "periods": periods,
            "unknown_period": unknown,
            "is_leader": audience == dashboards.LEADER,
            "red_days": settings.LIGHT_RED_OVERDUE_DAYS,
        }
        return render(request, "reports/dashboard.html", ctx)


SCORECARD_COLUMNS = [
    Column("单位", 22, wrap=True),
    Column("排名", 7),
    Column("综合得分", 9),
    Column("应报", 7),
    Column("按时", 7),
    Column("逾期提交", 8),
    Column("未提交", 7),
    Column("按时报送率", 10),
    Column("按计划推进占比", 12),
    Column("本年节点完成率", 16),
    Column("逾期节点", 8),
    Column("催办/督办", 9),
    Column("本期", 8),
]


def percent_text(value: float | None) -> str:
    """A rate as the scorecard's table shows it: 87.5%, or — when there is nothing to count."""
    return "—" if value is None else f"{value * 100:.1f}%"


def scorecard_rows(scorecard: list[dict[str, Any]]) -> list[list[Any]]:
    """The scorecard's table, ranked (equal scores share a rank), in SCORECARD_COLUMNS."""
    ranked = sorted(scorecard, key=lambda r: (r["rank"], r["unit"]))
    rows = []
    for r in ranked:
        met = percent_text(r["milestones_rate"])
        if r["milestones_due"]:
            met += f"（{r['milestones_done']}/{r['milestones_due']}）"
        rows.append(
            [
                r["unit"],
                r["rank_label"],
                r["score"],
                r["duties"],
                r["on_time"],
                r["late"],
                r["not_submitted"],
                percent_text(r["on_time_rate"]),
                percent_text(r["on_track_share"]),
                met,
                r["milestones_overdue"],
                f"{r.get('urges') or 0}/{r.get('orders') or 0}",
                "已催办" if r.get("escalated") else "",
            ]
        )
    return rows


def scorecard_export(period: ReportingPeriod, scorecard: list[dict[str, Any]]) -> HttpResponse:
    """导出 Excel of the unit scorecard, as its table view shows it."""
    content = table_workbook(
        title=f"单位记分卡（督查考核排名）：{period.label}",
        subtitle=subtitle_of([("报送周期", period.code)]),
        columns=SCORECARD_COLUMNS,
        rows=scorecard_rows(scorecard),
        sheet_title="单位记分卡",
    )
    return xlsx_response(export_filename("单位记分卡", period.code), content)


class WhyView(LoginRequiredMixin, View):
    """The tasks behind one block of 总览 (a section's bar, a matrix cell, a tile's count), each
    with its light and the reports and overdue milestones that made it."""

    request: AuthedRequest

    def get(self, request: AuthedRequest) -> HttpResponse:
        user = request.user
        try:
            dashboards.audience_of(user)
        except NotPermittedError as error:
            return forbidden(request, error.message)
        periods = dashboards.dashboard_periods()
        form = WhyForm(request.GET, periods=periods, default=dashboards.period_default(periods))
        ctx: dict[str, Any] = {"form": form, "periods": periods}
        if not form.is_valid():
            return render(request, "reports/why.html", ctx, status=400)
        ctx.update(why.why_data(user=user, **form.cleaned_data))
        return render(request, "reports/why.html", ctx)


class UnitDashboardView(LoginRequiredMixin, View):
    """One unit's 总览: its assignments and lights, milestones, on-time record, what is due."""

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        user = request.user
        unit = get_object_or_404(Unit.objects.organisations(), pk=pk)
        if not unit_dashboard.can_see_unit_dashboard(user, unit):
            return forbidden(request, "只能查看本单位的总览。")
        periods = list(period_list())
        period, unknown = pick_period(periods, request.GET.get("period", ""), period_current())
        data = (
            unit_dashboard.unit_dashboard_data(user=user, unit=unit, period=period)
            if period
            else None
        )
        ctx = {
            "unit": unit,
            "data": data,
            "period": period,
            "periods": periods,
            "unknown_period": unknown,
            "sees_overview": can_see_period_overview(user),
        }
        return render(request, "reports/unit_dashboard.html", ctx)
