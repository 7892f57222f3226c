"""The report form and the report page (with its evidence downloads).

Thin views: they read the browser's input, call tasks.reporting.services (every write) and
tasks.reporting.selectors (every read), ask tasks.reporting.permissions which buttons to show, and
put the services' Chinese messages back next to the fields. A report the user may not see is a 404
(selectors.report_detail); an action the user may not take is a 403 page saying why.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from hefei_ai_zone.errors import ApplicationError, ConflictError, NotPermittedError
from hefei_ai_zone.forms import CommentForm
from hefei_ai_zone.numbers import parse_int
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
from tasks.models import (
    Assignment,
    AssignmentRole,
    ProgressReport,
    ProgressStatus,
)
from tasks.reporting import services as svc
from tasks.reporting.forms import ReportForm
from tasks.reporting.models import CONTENT_FIELDS
from tasks.reporting.permissions import (
    allowed_actions,
    can_edit_report,
    can_report_for,
    can_see_report,
    can_write_in_period,
)
from tasks.reporting.selectors import (
    changes_since_return,
    report_changes,
    report_detail,
    report_partners,
    report_previous,
    report_previous_submitted,
)
from tasks.reporting.views.common import (
    ACTION_LABELS,
    REVIEW_ACTIONS,
    period_by_code,
    report_title,
    returned_by,
)
from units.permissions import is_office, is_unit_staff

# ---------------------------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------------------------


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
    number = parse_int(typed, max_digits=3)
    lower = number is not None and number < previous.percent
    return {"drop_from": previous, "drop_shown": lower or bool(form["percent_drop_reason"].errors)}


# ---------------------------------------------------------------------------------------------
# 我的任务
# ---------------------------------------------------------------------------------------------


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
