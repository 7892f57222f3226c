"""我的任务 (a unit's work list for a period) and a unit's page with its reporting record."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.views.generic import DetailView

from hefei_ai_zone.web import AuthedRequest, ReportingView, require
from tasks.milestones.selectors import DutyFacts, my_tasks_arrangements
from tasks.plan.selectors import unit_duties
from tasks.reporting.forms import MyTasksFilterForm
from tasks.reporting.models import ReportState
from tasks.reporting.permissions import allowed_actions, can_write_in_period
from tasks.reporting.selectors import (
    Duty,
    duties_for_unit,
    period_current,
    period_list,
    unit_record,
)
from tasks.reporting.worklists import duties_by_urgency, duties_matching, duty_sections
from tasks.supervision.selectors import unit_supervision_context
from units.models import Unit, User
from units.permissions import can_see_unit_record, is_unit_staff
from units.selectors import unit_list


@dataclass(frozen=True)
class DutyRow:
    duty: Duty
    action: str  # start | edit | approve | view | closed
    facts: DutyFacts  # the light computed from facts, the self-reported status

    @property
    def overdue_days(self) -> int:
        return -self.duty.days_left

    @property
    def computed(self) -> str:
        return self.facts.light

    @property
    def self_status(self) -> str:
        return self.facts.self_status

    @property
    def overdue_milestone_days(self) -> int:
        return self.facts.overdue_milestone_days


def duty_action(user: User, duty: Duty) -> str:
    report = duty.report
    if report is None:
        return "start" if can_write_in_period(duty.period) else "closed"
    actions = allowed_actions(user, report)
    if "approve" in actions:
        return "approve"
    if "update" in actions:
        return "edit"
    return "view"


def duty_summary(duties: list[Duty]) -> dict[str, int]:
    states = [d.state for d in duties]
    return {
        "total": len(duties),
        "missing": states.count("missing"),
        "draft": states.count(ReportState.DRAFT),
        "returned": states.count(ReportState.RETURNED),
        "reviewing": states.count(ReportState.SUBMITTED) + states.count(ReportState.APPROVED),
        "accepted": states.count(ReportState.ACCEPTED),
        "overdue": sum(1 for d in duties if d.overdue),
    }


class MyTasksView(ReportingView):
    """A unit's work list for a period: every duty with its state, due date and light."""

    def get(self, request: AuthedRequest) -> HttpResponse:
        user = request.user
        require(
            is_unit_staff(user),
            "“我的任务”是各责任单位填报员和审核人的工作清单；您的账号不属于责任单位。",
        )
        periods = list(period_list())
        code = request.GET.get("period", "")
        period = next((p for p in periods if p.code == code), None)
        unknown = bool(code) and period is None
        period = period or period_current()
        duties = duties_for_unit(user.unit, period) if period else []  # type: ignore[arg-type]
        arrangements = my_tasks_arrangements(user, period, duties)
        facts = arrangements["duty_facts"]
        rows = [
            DutyRow(d, duty_action(user, d), facts.get(d.assignment.pk, DutyFacts()))
            for d in duties
        ]
        filters = MyTasksFilterForm(request.GET, sections=duty_sections(duties))
        shown = duties_matching(
            rows,
            state=filters.value("state"),
            light=filters.value("light"),
            section=filters.value("section"),
        )
        ordered_by_plan = filters.value("order") == "plan"
        if not ordered_by_plan:
            shown = duties_by_urgency(shown)

        return render(
            request,
            "reporting/my_tasks.html",
            {
                **arrangements,
                "periods": periods,
                "period": period,
                "unknown_period": code if unknown else "",
                "rows": shown,
                "total_rows": len(rows),
                "overdue_milestones": sum(1 for m in arrangements["due_milestones"] if m.late_days),
                "filters": filters,
                "ordered_by_plan": ordered_by_plan,
                "summary": duty_summary(duties),
                "is_approver": user.role == "approver",
            },
        )


class UnitDetailView(LoginRequiredMixin, DetailView):
    template_name = "units/unit_detail.html"
    context_object_name = "unit"
    request: AuthedRequest

    def get_queryset(self) -> QuerySet[Unit]:
        return unit_list()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        ctx = super().get_context_data(**kwargs)
        duties = unit_duties(self.object)
        ctx["task_duties"] = [d for d in duties if d.assignment.task_id]
        ctx["demo_duties"] = [d for d in duties if d.assignment.demo_id]
        ctx["lead_total"] = sum(1 for d in ctx["task_duties"] if d.role == "lead")
        ctx["co_total"] = len(ctx["task_duties"]) - ctx["lead_total"]
        ctx["show_record"] = can_see_unit_record(self.request.user, self.object)
        if ctx["show_record"] and not self.object.is_group:
            ctx["record"] = unit_record(self.object)
            ctx.update(unit_supervision_context(self.request.user, self.object))
        return ctx
