"""The page of a meeting's decisions registered together (/directives/batch/), for the office:

1. the meeting (name, date, minutes, default deadline) and its decisions, pasted or an Excel
   sheet (``action=read``): the rows read, or every problem by row (400);
2. the review list: each decision's title, requirement, lead unit, co units and deadline, a
   box to leave one out; 全部交办 (``action=issue``) issues the chosen ones together, or names
   the row that stopped it (400, nothing issued).
"""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from hefei_ai_zone.errors import ApplicationError
from hefei_ai_zone.web import AuthedRequest, ReportingView, require
from tasks.imports.reading import FileRefusedError, Problem, import_too_large, size_message
from units.models import Unit

from .forms import MeetingForm, RowFormSet, StartForm
from .permissions import can_batch
from .reading import DraftRow, read_paste, read_sheet
from .services import BatchRow, batch_issue

NOT_OFFICE = "只有领导小组办公室可以批量登记会议议定事项。"


class Units:
    """The units for the review list's selects, read once (one query)."""

    def __init__(self) -> None:
        units = list(Unit.objects.filter(is_active=True).order_by("sort_order", "pk"))
        self.by_pk = {u.pk: u for u in units}
        self.leads: list[tuple[int | str, str]] = [(u.pk, u.name) for u in units if not u.is_group]
        self.all = [(u.pk, f"{u.name}（单位集合）" if u.is_group else u.name) for u in units]

    def kwargs(self) -> dict[str, Any]:
        return {"leads": self.leads, "units": self.all}


def _initial(rows: list[DraftRow]) -> list[dict[str, Any]]:
    return [
        {
            "chosen": True,
            "number": r.number,
            "title": r.title,
            "requirement": r.requirement,
            "lead": r.lead.pk if r.lead else None,
            "co": [u.pk for u in r.co],
            "due": r.due,
            "notes": "；".join(r.notes)[:500],
        }
        for r in rows
    ]


@method_decorator(csrf_exempt, name="dispatch")  # checked in post(), after the size check
class BatchView(ReportingView):
    def get(self, request: AuthedRequest) -> HttpResponse:
        require(can_batch(request.user), NOT_OFFICE)
        return self._start(StartForm())

    def post(self, request: AuthedRequest) -> HttpResponse:
        require(can_batch(request.user), NOT_OFFICE)
        if import_too_large(request):  # before anything reads the body
            return self._start(StartForm(), [Problem(size_message())], status=413)
        return csrf_protect(self._post)(request)

    def _post(self, request: AuthedRequest) -> HttpResponse:
        if request.POST.get("action") == "issue":
            return self._issue(request)
        return self._read(request)

    def _start(
        self, form: StartForm, problems: list[Problem] | None = None, status: int = 200
    ) -> HttpResponse:
        ctx = {"form": form, "problems": problems or []}
        return render(self.request, "directive_batches/start.html", ctx, status=status)

    def _review(
        self, meeting: MeetingForm, rows: Any, error: str = "", bad_row: int | None = None
    ) -> HttpResponse:
        ctx = {"meeting": meeting, "rows": rows, "error": error, "bad_row": bad_row}
        status = 400 if error or meeting.errors or rows.total_error_count() else 200
        if not meeting.is_bound:
            status = 200
        return render(self.request, "directive_batches/review.html", ctx, status=status)

    def _read(self, request: AuthedRequest) -> HttpResponse:
        form = StartForm(request.POST, request.FILES)
        if not form.is_valid():
            problems = [Problem(str(e)) for errors in form.errors.values() for e in errors]
            return self._start(form, problems, status=400)
        data = form.cleaned_data
        try:
            if data.get("file"):
                rows = read_sheet(data["file"].read())
            else:
                rows = read_paste(data["decisions"])
        except FileRefusedError as refused:
            return self._start(form, refused.problems, status=400)
        meeting = MeetingForm(initial={k: data[k] for k in MeetingForm.base_fields})
        formset = RowFormSet(initial=_initial(rows), form_kwargs=Units().kwargs())
        return self._review(meeting, formset)

    def _issue(self, request: AuthedRequest) -> HttpResponse:
        units = Units()
        meeting = MeetingForm(request.POST)
        formset = RowFormSet(request.POST, form_kwargs=units.kwargs())
        if not (meeting.is_valid() and formset.is_valid()):
            return self._review(meeting, formset, "请按提示修改后再交办。")
        chosen = [
            BatchRow(
                number=position,
                title=f.cleaned_data["title"],
                requirement=f.cleaned_data["requirement"],
                lead=units.by_pk.get(f.cleaned_data["lead"]) if f.cleaned_data["lead"] else None,
                co=[units.by_pk[pk] for pk in f.cleaned_data["co"]],
                due=f.cleaned_data["due"],
            )
            for position, f in enumerate(formset.forms, start=1)
            if f.cleaned_data.get("chosen")
        ]
        data = meeting.cleaned_data
        try:
            issued = batch_issue(
                actor=request.user,
                meeting=data["meeting"],
                meeting_date=data["meeting_date"],
                minutes=data["minutes"],
                rows=chosen,
                default_due=data["default_due"],
            )
        except ApplicationError as error:
            if error.status_code == 403:
                raise
            return self._review(meeting, formset, error.message, (error.extra or {}).get("row"))
        numbers = "、".join(d.number for d in issued)
        messages.success(request, f"已交办 {len(issued)} 项会议议定事项：{numbers}。")
        return redirect("directive_batches:start")
