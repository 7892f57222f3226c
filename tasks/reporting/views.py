"""The browser pages of progress reporting: 我的任务, the report form and page, the reporting
periods (the review queues are in views_queues, opening and closing a period in views_periods).

Thin views: they read the browser's input, call tasks.reporting.services (every write) and
tasks.reporting.selectors (every read), ask tasks.reporting.permissions which buttons to show, and
put the services' Chinese messages back next to the fields. A report the user may not see is a 404
(selectors.report_detail); an action the user may not take is a 403 page saying why.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import DetailView

from hefei_ai_zone.errors import ApplicationError, ConflictError, NotPermittedError
from hefei_ai_zone.forms import CommentForm
from hefei_ai_zone.web import (
    AuthedRequest,
    ReportingView,
    htmx_redirect,
    is_htmx,
    require,
    safe_next,
)
from tasks.files import file_response, too_large_message, upload_too_large
from tasks.lights import status_light
from tasks.milestones.selectors import DutyFacts, my_tasks_arrangements
from tasks.models import (
    Assignment,
    AssignmentRole,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    ReportState,
    ReportTransition,
)
from tasks.plan.selectors import unit_duties
from tasks.reporting import services as svc
from tasks.reporting.forms import MyTasksFilterForm, ReportForm
from tasks.reporting.models import CONTENT_FIELDS
from tasks.reporting.permissions import (
    allowed_actions,
    can_edit_report,
    can_manage_periods,
    can_report_for,
    can_see_period_overview,
    can_see_report,
    can_write_in_period,
)
from tasks.reporting.selectors import (
    Duty,
    changes_since_return,
    duties_for_unit,
    period_current,
    period_list,
    report_changes,
    report_detail,
    report_partners,
    report_previous,
    report_previous_submitted,
    unit_record,
    unit_records_for_period,
)
from tasks.reporting.worklists import duties_by_urgency, duties_matching, duty_sections
from units.models import Unit, User
from units.permissions import can_see_unit_record, is_leader, is_office, is_unit_staff
from units.selectors import unit_list

ACTION_LABELS = {
    "submit": "提交",
    "approve": "单位审核通过",
    "return": "退回修改",
    "accept": "审核通过",
    "reopen": "重新打开",
}
REVIEW_ACTIONS: dict[str, Callable[..., ProgressReport]] = {
    "approve": svc.report_approve,
    "return": svc.report_return,
    "accept": svc.report_accept,
    "reopen": svc.report_reopen,
}


# ---------------------------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------------------------


def returned_by(report: ProgressReport) -> ReportTransition | None:
    """The transition that sent the report back (its comment is what the reporter must fix)."""
    if report.state != ReportState.RETURNED:
        return None
    back = [t for t in report.transitions.all() if t.to_state == ReportState.RETURNED]
    return back[-1] if back else None


def period_by_code(code: str) -> ReportingPeriod:
    return get_object_or_404(period_list(), code=code)


PERIOD_FIELDS = ("status", "percent", "narrative", "problems", "next_steps")
"""What 与上期相比 compares (a drop's reason is shown beside the percent instead)."""


def percent_dropped_from(report: ProgressReport) -> ProgressReport | None:
    """The earlier submitted report whose percent this one falls below (one query)."""
    previous = report_previous_submitted(
        assignment_id=report.assignment_id, unit_id=report.unit_id, period=report.period
    )
    return previous if previous is not None and report.percent < previous.percent else None


def drop_context(report: ProgressReport, form: ReportForm) -> dict[str, Any]:
    """The report form's 进度下降原因: present when there is a submitted report to fall below,
    shown when the percent typed is lower or the reason is refused (reporting.js follows the
    typing)."""
    previous = report_previous_submitted(
        assignment_id=report.assignment_id, unit_id=report.unit_id, period=report.period
    )
    if previous is None:
        return {"drop_from": None, "drop_shown": False}
    value = form["percent"].value()  # as typed, or the saved one on a fresh form
    typed = "" if value is None else str(value).strip()
    lower = typed.isdigit() and int(typed) < previous.percent
    return {"drop_from": previous, "drop_shown": lower or bool(form["percent_drop_reason"].errors)}


# ---------------------------------------------------------------------------------------------
# 我的任务
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# The report form
# ---------------------------------------------------------------------------------------------


class ReportStartView(ReportingView):
    """Open (or create, as a draft) the user's unit's report on an assignment for a period."""

    def context(self, period_code: str, assignment_id: int) -> dict[str, Any]:
        assignment = get_object_or_404(
            Assignment.objects.select_related("unit", "task", "demo"), pk=assignment_id
        )
        return {"period": period_by_code(period_code), "assignment": assignment}

    def get(self, request: AuthedRequest, period_code: str, assignment_id: int) -> HttpResponse:
        ctx = self.context(period_code, assignment_id)
        require(
            can_report_for(request.user, ctx["assignment"]),
            "您所在的单位不承担这项任务，不能为它填报。",
        )
        return render(request, "reporting/report_start.html", ctx)

    def post(self, request: AuthedRequest, period_code: str, assignment_id: int) -> HttpResponse:
        ctx = self.context(period_code, assignment_id)
        try:
            report = svc.report_start(
                actor=request.user,
                assignment=ctx["assignment"],
                period=ctx["period"],
            )
        except NotPermittedError:
            raise
        except ApplicationError as error:
            ctx["error"] = error.message
            return render(request, "reporting/report_start.html", ctx, status=400)
        if report.is_editable:
            return redirect("reporting:report-edit", report.pk)
        return redirect("reporting:report-detail", report.pk)


def conflict_view(error: ConflictError, form: ReportForm) -> dict[str, Any]:
    """The other person's saved content, field by field, for showing beside the user's text."""
    current = error.extra.get("current", {})
    status = current.get("status") or ""
    theirs = {
        "status": ProgressStatus(status).label if status in ProgressStatus.values else "（未选择）",
        "percent": f"{current.get('percent', 0)}%",
        "narrative": current.get("narrative", ""),
        "problems": current.get("problems", ""),
        "next_steps": current.get("next_steps", ""),
    }
    mine = {
        name: str(form.data.get(name, "")).replace("\r\n", "\n").strip() for name in CONTENT_FIELDS
    }
    differs = {
        "status": mine["status"] != status,
        "percent": mine["percent"] != str(current.get("percent", "")),
        **{f: mine[f] != str(current.get(f, "")).strip() for f in CONTENT_FIELDS[2:]},
    }
    return {
        "message": error.message,
        "version": error.extra.get("version"),
        "updated_by": error.extra.get("updated_by", ""),
        "theirs": theirs,
        "differs": differs,
    }


@method_decorator(csrf_exempt, name="dispatch")  # checked in post(), after the size check
class ReportEditView(ReportingView):
    """The report form: 保存草稿, 提交, evidence upload and removal, as plain POSTs or htmx."""

    template_name = "reporting/report_form.html"

    def editable_report(self, request: AuthedRequest, pk: int) -> ProgressReport | HttpResponse:
        user = request.user
        report = report_detail(user, pk)
        if can_edit_report(user, report):
            return report
        if is_unit_staff(user) and report.unit_id == user.unit_id:
            messages.info(
                request,
                f"报告当前状态为“{report.get_state_display()}”，不能修改；"
                "如需修改，请由审核人或领导小组办公室退回。",
            )
            return redirect("reporting:report-detail", report.pk)
        raise NotPermittedError("只有本单位的填报员或审核人可以修改本单位的报告。")

    def render_form(
        self,
        request: AuthedRequest,
        report: ProgressReport,
        form: ReportForm,
        *,
        status: int = 200,
        conflict: dict[str, Any] | None = None,
        notice: str = "",
    ) -> HttpResponse:
        user = request.user
        assignment = report.assignment
        consolidates = (
            assignment.role == AssignmentRole.LEAD and assignment.unit_id == report.unit_id
        )
        ctx = {
            "report": report,
            "form": form,
            "version": conflict["version"] if conflict else report.version,
            "conflict": conflict,
            "notice": notice,
            "returned": returned_by(report),
            "evidence": list(report.evidence.all()),
            "previous": report_previous(report),
            **drop_context(report, form),
            "partners": report_partners(user, report) if consolidates else [],
            "consolidates": consolidates,
            "period_open": can_write_in_period(report.period),
            "actions": allowed_actions(user, report),
            "status_options": [(v, label, status_light(v)) for v, label in ProgressStatus.choices],
            "max_bytes": settings.EVIDENCE_MAX_BYTES,
            "max_mb": settings.EVIDENCE_MAX_BYTES // 1024 // 1024,
        }
        return render(request, self.template_name, ctx, status=status)

    @staticmethod
    def initial(report: ProgressReport) -> ReportForm:
        return ReportForm(initial={f: getattr(report, f) for f in CONTENT_FIELDS})

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        found = self.editable_report(request, pk)
        if isinstance(found, HttpResponse):
            return found
        return self.render_form(request, found, self.initial(found))

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        if upload_too_large(request):  # before anything reads the body
            return self.too_large(request, pk)
        return csrf_protect(lambda r: self.save(r, pk))(request)

    def too_large(self, request: AuthedRequest, pk: int) -> HttpResponse:
        message = too_large_message() + "本次提交没有被读取，文字修改也未保存。"
        if is_htmx(request):  # keep the user's text on the screen; say why in place
            report_detail(request.user, pk)
            response = render(
                request, "reporting/_upload_error.html", {"message": message}, status=413
            )
            response["HX-Retarget"] = "#upload-feedback"
            response["HX-Reselect"] = "#upload-error"
            response["HX-Reswap"] = "innerHTML"
            return response
        found = self.editable_report(request, pk)
        if isinstance(found, HttpResponse):
            return found
        form = ReportForm({f: getattr(found, f) for f in CONTENT_FIELDS})
        form.is_valid()
        form.add_error("file", message)
        return self.render_form(request, found, form, status=413)

    def save(self, request: AuthedRequest, pk: int) -> HttpResponse:
        found = self.editable_report(request, pk)
        if isinstance(found, HttpResponse):
            return htmx_redirect(request, found)
        report = found
        user = request.user
        form = ReportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(request, report, form, status=400)
        action = request.POST.get("action", "save")
        remove = None
        if action.startswith("remove:"):
            remove = next((e for e in report.evidence.all() if str(e.pk) == action[7:]), None)
            if remove is None:
                form.add_error(None, "要删除的佐证材料已不存在（可能已被他人删除）。")
                return self.render_form(request, report, form, status=400)
        try:
            saved = svc.report_save(
                actor=user,
                report=report,
                version=form.cleaned_data["version"],
                content=form.content(),
                upload=form.cleaned_data.get("file"),
                remove=remove,
                submit=action == "submit",
            )
        except ConflictError as error:
            conflict = conflict_view(error, form)
            return self.render_form(request, report, form, status=409, conflict=conflict)
        except NotPermittedError:
            raise
        except ApplicationError as error:
            form.add_service_error(error)
            return self.render_form(request, report, form, status=400)
        if action == "submit":
            messages.success(request, "报告已提交，等待审核。")
            target = reverse("reporting:report-detail", args=[saved.pk])
            return htmx_redirect(request, redirect(target))
        notice = {"upload": "文件已上传", "save": "草稿已保存"}.get(action, "文件已删除")
        if is_htmx(request):
            fresh = report_detail(user, pk)
            return self.render_form(
                request, fresh, self.initial(fresh), notice=f"{notice}（第 {fresh.version} 版）。"
            )
        messages.success(request, f"{notice}（第 {saved.version} 版）。")
        return redirect("reporting:report-edit", saved.pk)


# ---------------------------------------------------------------------------------------------
# The report page
# ---------------------------------------------------------------------------------------------


class ReportDetailView(ReportingView):
    """A report with its light, evidence, timeline, versions, what changed since the last period,
    and the review buttons the user may use."""

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        report = report_detail(request.user, pk)
        return self.render_page(request, report, CommentForm())

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        user = request.user
        report = report_detail(user, pk)
        form = CommentForm(request.POST)
        action = request.POST.get("action", "")
        if action not in REVIEW_ACTIONS or not form.is_valid():
            form.add_error(None, "请选择要执行的操作。")
            return self.render_page(request, report, form, status=400)
        try:
            REVIEW_ACTIONS[action](actor=user, report=report, comment=form.cleaned_data["comment"])
        except NotPermittedError:
            raise
        except ApplicationError as error:
            form.add_service_error(error)
            return self.render_page(request, report, form, status=400, action=action)
        messages.success(request, f"已{ACTION_LABELS[action]}：{report_title(report)}。")
        return redirect(safe_next(request, reverse("reporting:report-detail", args=[pk])))

    def render_page(
        self,
        request: AuthedRequest,
        report: ProgressReport,
        form: CommentForm,
        *,
        status: int = 200,
        action: str = "",
    ) -> HttpResponse:
        user = request.user
        transitions = list(report.transitions.all())
        for t in transitions:
            t.label = ACTION_LABELS.get(t.action, t.action)  # type: ignore[attr-defined]
        versions = list(report.versions.select_related("edited_by"))
        before = None
        for v in versions:
            v.changes = report_changes(before, v)  # type: ignore[attr-defined]
            before = v
        previous = report_previous(report)
        if previous is not None and not can_see_report(user, previous):
            previous = None
        actions = allowed_actions(user, report)
        can = {"edit": "update" in actions, **{a: a in actions for a in REVIEW_ACTIONS}}
        can["any"] = any(can[a] for a in REVIEW_ACTIONS)
        ctx = {
            "report": report,
            "form": form,
            "action": action,
            "can": can,
            "transitions": list(reversed(transitions)),
            "returned": returned_by(report),
            "is_own": is_unit_staff(user) and report.unit_id == user.unit_id,
            "is_office": is_office(user),
            "versions": list(reversed(versions)),
            "previous": previous,
            "changes": [c for c in report_changes(previous, report) if c.field in PERIOD_FIELDS]
            if previous
            else [],
            "drop_from": percent_dropped_from(report),
            "since_return": changes_since_return([report]).get(report.pk),
            "evidence": list(report.evidence.all()),
            "next": safe_next(request, ""),
        }
        return render(request, "reporting/report_detail.html", ctx, status=status)


def report_title(report: ProgressReport) -> str:
    a = report.assignment
    what = f"任务 {a.task.code}" if a.task_id else f"示范工程“{a.demo.name}”"  # type: ignore[union-attr]
    return f"{report.unit.name} · {report.period.code} · {what}"


class EvidenceDownloadView(ReportingView):
    def get(self, request: AuthedRequest, pk: int, eid: int) -> FileResponse:
        report = report_detail(request.user, pk)
        evidence = next((e for e in report.evidence.all() if e.pk == eid), None)
        if evidence is None:
            raise Http404("没有这份佐证材料。")
        return file_response(evidence)


# ---------------------------------------------------------------------------------------------
# Reporting periods
# ---------------------------------------------------------------------------------------------


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
        return render(
            request,
            "reporting/period_detail.html",
            {
                "period": period,
                "records": units,
                "total": total,
                "sees_drafts": is_office(user),
                "can_manage": can_manage_periods(user),
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
        return ctx
