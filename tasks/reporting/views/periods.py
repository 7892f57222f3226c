"""Opening and closing a reporting period (the office).

Closing a period shuts every unit out of it, and reopening one lets every unit write in it
again, so both first show a confirmation page (a plain GET, no JavaScript needed) that says what
will happen: for closing, how many units and duties have not submitted. Its button posts with
``confirm=1``; a POST without it (an old form, a bookmarked button) is sent to that page.
Opening a period that has never been open needs no confirmation. One period per plan is open at
a time: tasks.reporting.services.period_open refuses a second one, naming the open one, and the
page says so before the office tries.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from hefei_ai_zone.web import AuthedRequest, ReportingView, require, safe_next
from hefei_ai_zone.xlsx import Column, export_filename, subtitle_of, table_workbook, xlsx_response
from tasks.lights import Light
from tasks.models import PeriodState, ReportingPeriod
from tasks.reminders.selectors import escalated_unit_ids
from tasks.reporting import services as svc
from tasks.reporting.permissions import can_manage_periods, can_see_period_overview
from tasks.reporting.selectors import (
    Duty,
    UnitRecord,
    period_gaps,
    period_list,
    period_open_other,
    unit_records_for_period,
)
from tasks.reporting.views.common import period_by_code
from tasks.supervision.permissions import can_urge
from tasks.supervision.selectors import late_units
from units.models import User
from units.permissions import is_leader, is_office, is_unit_staff


def needs_confirmation(period: ReportingPeriod, action: str) -> bool:
    """Closing an open period, and reopening a closed one."""
    if action == "close":
        return period.state == PeriodState.OPEN
    return period.state == PeriodState.CLOSED


class PeriodActionView(ReportingView):
    """GET: the confirmation page; POST: open or close."""

    def check(self, request: HttpRequest, action: str) -> User:
        user: User = request.user  # type: ignore[assignment]
        verb = "开放" if action == "open" else "关闭"
        require(can_manage_periods(user), f"只有领导小组办公室可以{verb}报送周期。")
        return user

    def get(self, request: HttpRequest, code: str, action: str) -> HttpResponse:
        self.check(request, action)
        period = period_by_code(code)
        ctx = {
            "period": period,
            "action": action,
            "next": safe_next(request, ""),
            "back": safe_next(request, reverse("reporting:period-detail", args=[code])),
            "gaps": period_gaps(period) if action == "close" and period.is_open else None,
            "other_open": period_open_other(period) if action == "open" else None,
        }
        return render(request, "reporting/period_confirm.html", ctx)

    def post(self, request: HttpRequest, code: str, action: str) -> HttpResponse:
        user = self.check(request, action)
        period = period_by_code(code)
        done = safe_next(request, reverse("reporting:period-list"))
        if needs_confirmation(period, action) and request.POST.get("confirm") != "1":
            confirm = reverse(f"reporting:period-{action}", args=[code])
            return redirect(f"{confirm}?{urlencode({'next': done})}")
        try:
            if action == "open":
                period = svc.period_open(actor=user, period=period)
                messages.success(request, f"已开放{period.label}（{period.code}）的报送。")
            else:
                period = svc.period_close(actor=user, period=period)
                messages.success(request, f"已关闭{period.label}（{period.code}）的报送。")
        except NotPermittedError:
            raise
        except ApplicationError as error:
            messages.error(request, error.message)
        return redirect(done)


class PeriodListView(ReportingView):
    def get(self, request: AuthedRequest) -> HttpResponse:
        user = request.user
        periods = list(period_list())
        return render(
            request,
            "reporting/period_list.html",
            {
                "periods": periods,
                "open_period": next((p for p in periods if p.is_open), None),
                "can_manage": can_manage_periods(user),
                "can_see_record": is_office(user) or is_leader(user),
                "is_unit_staff": is_unit_staff(user),
            },
        )


class PeriodDetailView(ReportingView):
    """Who has and has not reported in a period, unit by unit (office and leader)."""

    def get(self, request: AuthedRequest, code: str) -> HttpResponse:
        user = request.user
        require(
            can_see_period_overview(user),
            "各单位的报送情况供领导小组办公室和领导查看；本单位的情况请看“我的任务”。",
        )
        period = period_by_code(code)
        units, total = unit_records_for_period(period)
        if request.GET.get("format") == "xlsx":
            return period_export(period, units, sees_drafts=is_office(user))
        return render(
            request,
            "reporting/period_detail.html",
            {
                "period": period,
                "records": units,
                "total": total,
                "sees_drafts": is_office(user),
                "can_manage": can_manage_periods(user),
                "late_units": late_units(period, units),
                "can_urge": can_urge(user) and period.state != PeriodState.PLANNED,
                "escalated": escalated_unit_ids(period),
            },
        )


PERIOD_COLUMNS = [
    Column("责任单位", 18, wrap=True),
    Column("单位已提交", 9),
    Column("单位未填报", 9),
    Column("单位逾期", 8),
    Column("单位应报", 8),
    Column("任务编号", 10),
    Column("任务/示范工程", 44, wrap=True),
    Column("角色", 6),
    Column("经由单位集合", 14, wrap=True),
    Column("报送状态", 12),
    Column("灯色", 7),
    Column("逾期", 9),
]


def duty_state_label(duty: Duty, *, sees_drafts: bool) -> str:
    """The state the page shows: a draft or returned report only to the office."""
    if duty.is_submitted or sees_drafts or not duty.report:
        return duty.state_label
    return "未提交"


def period_export(
    period: ReportingPeriod, records: list[UnitRecord], *, sees_drafts: bool
) -> HttpResponse:
    """导出 Excel of the period page: each unit's duties, units in the page's order."""
    rows = []
    for rec in records:
        counts = [rec.submitted, rec.missing, rec.overdue, len(rec.duties)]
        for duty in rec.duties:
            a = duty.assignment
            late = "逾期" if duty.overdue else ("逾期提交" if duty.late else "")
            rows.append(
                [
                    rec.unit.name,
                    *counts,
                    a.task.code if a.task else "示范工程",
                    a.task.content if a.task else (a.demo.name if a.demo else ""),
                    a.get_role_display(),
                    duty.via_group.name if duty.via_group else "",
                    duty_state_label(duty, sees_drafts=sees_drafts),
                    Light(duty.light).label,
                    late,
                ]
            )
    content = table_workbook(
        title=f"{period.label}报送情况",
        subtitle=subtitle_of([("报送周期", f"{period.code}（截止 {period.due_date:%Y-%m-%d}）")]),
        columns=PERIOD_COLUMNS,
        rows=rows,
        sheet_title="报送情况",
    )
    return xlsx_response(export_filename("报送情况", period.code), content)
