"""The pages of 领导批示: writing one (the 批示 button of the task, report, unit and 灯色明细
pages posts here), the office's inbox with 转为督办事项 and 归档, a leader's own 批示 and
setting."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from hefei_ai_zone.errors import ApplicationError
from hefei_ai_zone.web import AuthedRequest, ReportingView, require, safe_next
from tasks.lights import Light
from tasks.plan.models import Task
from tasks.reporting.models import ProgressReport, ReportingPeriod
from tasks.reporting.permissions import reports_visible_to
from units.models import Unit

from . import selectors, services
from .forms import FileForm, PreferenceForm, WriteForm
from .models import InstructionState, LeaderInstruction
from .permissions import can_handle, can_write

NOT_OFFICE = "只有领导小组办公室可以办理领导批示。"
NOT_LEADER = "只有领导可以写批示。"


def _targets(request: AuthedRequest, data: dict[str, Any]) -> dict[str, Any]:
    """The objects the ids name (404 for one that does not exist or is not visible)."""
    found: dict[str, Any] = {"task": None, "report": None, "unit": None, "period": None}
    target = data["target"]
    if data.get("task") and target in ("task", "light"):
        found["task"] = get_object_or_404(Task, pk=data["task"])
    if target == "report":
        found["report"] = get_object_or_404(
            ProgressReport.objects.filter(reports_visible_to(request.user)).select_related(
                "unit", "period", "assignment__task"
            ),
            pk=data["report"],
        )
    if data.get("unit") and target in ("unit", "light"):
        found["unit"] = get_object_or_404(Unit, pk=data["unit"])
    if target == "light":
        found["period"] = get_object_or_404(ReportingPeriod, pk=data["period"])
        if data["light"] not in Light.values:
            raise Http404("没有这个灯色。")
    return found


class WriteView(ReportingView):
    """POST a 批示 (from the 批示 button of a page); back to that page, or the form again with
    the problem (400)."""

    def post(self, request: AuthedRequest) -> HttpResponse:
        require(can_write(request.user), NOT_LEADER)
        form = WriteForm(request.POST)
        back = safe_next(request, reverse("instructions:mine"))
        if form.is_valid():
            data = form.cleaned_data
            found = _targets(request, data)
            try:
                instruction = services.instruction_write(
                    actor=request.user,
                    text=data["text"],
                    light=data["light"] if data["target"] == "light" else "",
                    **found,
                )
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                if instruction.direct and instruction.directive:
                    messages.success(
                        request, f"批示已直接交办承办单位（{instruction.directive.number}）。"
                    )
                else:
                    messages.success(request, "批示已送领导小组办公室办理。")
                return redirect(back)
        ctx = {"form": form, "next": back}
        return render(request, "instructions/write.html", ctx, status=400)


class InboxView(ReportingView):
    """The office's inbox: every 批示, new ones first, with what it is written on."""

    def get(self, request: AuthedRequest) -> HttpResponse:
        require(can_handle(request.user), NOT_OFFICE)
        state = request.GET.get("state", "")
        if state and state not in InstructionState.values:
            ctx = {
                "error": "状态只能是待办理、已转为督办事项或已归档。",
                "states": InstructionState.choices,
                "office": True,
            }
            return render(request, "instructions/inbox.html", ctx, status=400)
        rows = selectors.inbox(request.user, state=state)
        ctx = {
            "rows": [(i, selectors.target_label(i)) for i in rows],
            "state": state,
            "states": InstructionState.choices,
            "office": True,
        }
        return render(request, "instructions/inbox.html", ctx)


class MineView(ReportingView):
    """我的批示: a leader's own, with what became of each."""

    def get(self, request: AuthedRequest) -> HttpResponse:
        require(can_write(request.user), NOT_LEADER)
        rows = selectors.inbox(request.user)
        ctx = {
            "rows": [(i, selectors.target_label(i)) for i in rows],
            "preference": selectors.preference_of(request.user),
            "office": False,
        }
        return render(request, "instructions/inbox.html", ctx)


class FileView(ReportingView):
    """归档: the office files a 批示 that needs no item, with a note."""

    def _instruction(self, pk: int) -> LeaderInstruction:
        require(can_handle(self.request.user), NOT_OFFICE)
        return get_object_or_404(
            LeaderInstruction.objects.select_related(
                "author", "task", "report__unit", "report__period", "unit", "period"
            ),
            pk=pk,
        )

    def _page(self, instruction: LeaderInstruction, form: FileForm, status: int) -> HttpResponse:
        what = selectors.target_label(instruction)
        ctx = {"instruction": instruction, "what": what, "form": form}
        return render(self.request, "instructions/file.html", ctx, status=status)

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        instruction = self._instruction(pk)
        return self._page(instruction, FileForm(), 200)

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        instruction = self._instruction(pk)
        form = FileForm(request.POST)
        if form.is_valid():
            try:
                services.instruction_file(
                    actor=request.user, instruction=instruction, note=form.cleaned_data["note"]
                )
            except ApplicationError as error:
                if error.status_code == 403:
                    raise
                form.add_service_error(error)
            else:
                messages.success(request, "批示已归档，已告知批示领导。")
                return redirect("instructions:inbox")
        return self._page(instruction, form, 400)


class PreferenceView(ReportingView):
    """A leader's setting: whether their 批示 go straight to the units, and the deadline."""

    def _page(self, form: PreferenceForm, status: int = 200) -> HttpResponse:
        return render(self.request, "instructions/settings.html", {"form": form}, status=status)

    def get(self, request: AuthedRequest) -> HttpResponse:
        require(can_write(request.user), NOT_LEADER)
        pref = selectors.preference_of(request.user)
        initial = {"direct_to_units": pref.direct_to_units, "due_workdays": pref.due_workdays}
        return self._page(PreferenceForm(initial=initial))

    def post(self, request: AuthedRequest) -> HttpResponse:
        require(can_write(request.user), NOT_LEADER)
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                services.preference_set(actor=request.user, **form.cleaned_data)
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, "设置已保存。")
                return redirect("instructions:mine")
        return self._page(form, 400)
