"""The browser pages of the achievement ledger (成果台账): the list with its filters and the
record form, an entry's page (correct, verify, reject, download the evidence) and the office's
verification queue.

Thin views: the form below only reads the browser's input; tasks.ledger.services checks every rule
and says what is wrong in Chinese, which goes back next to the field; reads go through
tasks.ledger.selectors (an entry the user may not see is a 404); tasks.ledger.permissions decides
which buttons show.
"""

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from hefei_ai_zone.forms import CommentForm
from hefei_ai_zone.numbers import parse_id
from hefei_ai_zone.web import AuthedRequest, ReportingView, require, safe_next
from hefei_ai_zone.xlsx import (
    Column,
    export_filename,
    form_filters,
    subtitle_of,
    table_workbook,
    xlsx_response,
)
from tasks.files import file_response, too_large_message, upload_too_large
from tasks.ledger import services as svc
from tasks.ledger.filters import EntryFilter
from tasks.ledger.forms import ENTRY_FIELDS, EntryForm
from tasks.ledger.permissions import allowed_actions, can_verify_entry
from tasks.ledger.selectors import (
    entry_counts,
    entry_detail,
    entry_list,
    entry_rows,
    is_cumulative,
    verify_queue,
)
from tasks.models import (
    AchievementEntry,
    EntryState,
    Indicator,
)
from tasks.plan.selectors import plan_current
from units.models import User
from units.permissions import is_office, is_unit_staff

PAGE_SIZE = 50
QUEUE_PAGE_SIZE = 100


def review(user: User, entry: AchievementEntry, action: str, comment: str) -> str:
    """The office's verify or reject button, on the entry page and in the queue alike: the
    message to show."""
    if action == "verify":
        svc.entry_verify(actor=user, entry=entry, comment=comment)
        return f"已核实“{entry.title}”，计入相应指标。"
    if action == "reject":
        svc.entry_reject(actor=user, entry=entry, comment=comment)
        return f"已将“{entry.title}”标为未通过核实。"
    raise ApplicationError("请选择要执行的操作。")


def entry_initial(entry: AchievementEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in ENTRY_FIELDS}


def counted_by(entry: AchievementEntry) -> list[Indicator]:
    """The indicators this entry counts towards once verified."""
    return list(
        Indicator.objects.filter(plan=entry.plan_id, ledger_kind=entry.kind)
        .filter(Q(ledger_domain="") | Q(ledger_domain=entry.domain))
        .order_by("seq")
    )


LEDGER_COLUMNS = [
    Column("日期", 11),
    Column("成果名称", 44, wrap=True),
    Column("类别", 10),
    Column("领域", 9),
    Column("单位", 18, wrap=True),
    Column("编号", 22, wrap=True),
    Column("任务", 10),
    Column("核实状态", 9),
    Column("佐证材料", 8),
]


class LedgerView(ReportingView):
    """Logged-in users; a refusal is the 403 page saying why (as for reporting)."""


# ---------------------------------------------------------------------------------------------
# The list and the record form
# ---------------------------------------------------------------------------------------------


@method_decorator(csrf_exempt, name="dispatch")  # checked in post(), after the size check
class LedgerListView(LedgerView):
    def get(self, request: AuthedRequest) -> HttpResponse:
        user = request.user
        if request.GET.get("format") == "xlsx":
            return self.export(request)
        form = EntryForm(plan=plan_current(), user=user, initial={"domain": "general"})
        return self.render_list(request, form)

    def filtered(self, request: AuthedRequest) -> tuple[EntryFilter, QuerySet[AchievementEntry]]:
        """The entries the list shows: those the user may see, the filters of the URL."""
        filterset = EntryFilter(request.GET, queryset=entry_list(request.user))
        return filterset, filterset.qs if filterset.is_valid() else filterset.queryset.none()

    def export(self, request: AuthedRequest) -> HttpResponse:
        """导出 Excel: every entry the filters select (all pages), in the list's order."""
        filterset, queryset = self.filtered(request)
        rows = [
            [
                e.date,
                e.title,
                e.get_kind_display(),
                "智能语音" if e.domain == "speech" else "",
                e.unit.name,
                e.identifier,
                e.task.code if e.task else "",
                e.get_state_display(),
                "有" if e.file else "",
            ]
            for e in queryset
        ]
        content = table_workbook(
            title="成果台账",
            subtitle=subtitle_of(form_filters(filterset.form)),
            columns=LEDGER_COLUMNS,
            rows=rows,
            sheet_title="成果台账",
        )
        return xlsx_response(export_filename("成果台账"), content)

    def post(self, request: AuthedRequest) -> HttpResponse:
        if upload_too_large(request):
            user = request.user
            form = EntryForm(plan=plan_current(), user=user)
            form.add_error(None, too_large_message() + "本次登记没有保存。")
            return self.render_list(request, form, status=413, open_form=True)
        return csrf_protect(self.record)(request)

    def record(self, request: AuthedRequest) -> HttpResponse:
        user = request.user
        plan = plan_current()
        form = EntryForm(request.POST, request.FILES, plan=plan, user=user)
        if not form.is_valid():
            return self.render_list(request, form, status=400, open_form=True)
        try:
            if plan is None:
                raise ApplicationError("还没有实施方案。")
            entry = svc.entry_create(
                actor=user,
                plan=plan,
                upload=form.cleaned_data.get("file"),
                **form.values(),
            )
        except ApplicationError as error:
            form.add_service_error(error)
            status = 403 if isinstance(error, NotPermittedError) else 400
            return self.render_list(request, form, status=status, open_form=True)
        messages.success(request, f"已登记“{entry.title}”，等待领导小组办公室核实。")
        return redirect("ledger:entry-detail", entry.pk)

    def render_list(
        self, request: AuthedRequest, form: EntryForm, *, status: int = 200, open_form: bool = False
    ) -> HttpResponse:
        user = request.user
        filterset, queryset = self.filtered(request)
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        drill = None
        if filterset.is_valid():
            indicator = filterset.form.cleaned_data.get("indicator")
            year = filterset.form.cleaned_data.get("year")
            if indicator is not None:
                drill = {
                    "indicator": indicator,
                    "year": year,
                    "cumulative": is_cumulative(indicator),
                    "verified_only": filterset.form.cleaned_data.get("state")
                    == EntryState.VERIFIED,
                }
        ctx = {
            "filter": filterset,
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
            "page": page,
            "entries": list(page.object_list),
            "query": query.urlencode(),
            "drill": drill,
            "counts": entry_counts(user),
            "form": form,
            "open_form": open_form,
            "can_record": is_office(user) or is_unit_staff(user),
            "is_office": is_office(user),
            "identifier_required": [k.value for k in svc.IDENTIFIER_REQUIRED],
        }
        return render(request, "ledger/entry_list.html", ctx, status=status)


# ---------------------------------------------------------------------------------------------
# An entry
# ---------------------------------------------------------------------------------------------


@method_decorator(csrf_exempt, name="dispatch")  # checked in post(), after the size check
class EntryDetailView(LedgerView):
    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        user = request.user
        entry = entry_detail(user, pk)
        form = EntryForm(initial=entry_initial(entry), plan=entry.plan, user=user)
        return self.render_page(request, entry, form, CommentForm())

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        if upload_too_large(request):
            user = request.user
            entry = entry_detail(user, pk)
            form = EntryForm(initial=entry_initial(entry), plan=entry.plan, user=user)
            form.add_error(None, too_large_message() + "本次修改没有保存。")
            return self.render_page(request, entry, form, CommentForm(), status=413, open_form=True)
        return csrf_protect(lambda r: self.act(r, pk))(request)

    def act(self, request: AuthedRequest, pk: int) -> HttpResponse:
        user = request.user
        entry = entry_detail(user, pk)
        action = request.POST.get("action", "")
        if action == "update":
            form = EntryForm(request.POST, request.FILES, plan=entry.plan, user=user)
            if not form.is_valid():
                return self.render_page(
                    request, entry, form, CommentForm(), status=400, open_form=True
                )
            values = form.values()
            if form.fixed_unit is not None:
                values.pop("unit")
            try:
                svc.entry_update(
                    actor=user, entry=entry, upload=form.cleaned_data.get("file"), **values
                )
            except NotPermittedError:
                raise
            except ApplicationError as error:
                form.add_service_error(error)
                return self.render_page(
                    request, entry, form, CommentForm(), status=400, open_form=True
                )
            messages.success(request, "已保存修改。")
            return redirect("ledger:entry-detail", pk)
        comment_form = CommentForm(request.POST)
        comment_form.is_valid()
        comment = comment_form.cleaned_data.get("comment", "")
        try:
            messages.success(request, review(user, entry, action, comment))
        except NotPermittedError:
            raise
        except ApplicationError as error:
            comment_form.add_service_error(error)
            form = EntryForm(initial=entry_initial(entry), plan=entry.plan, user=user)
            return self.render_page(request, entry, form, comment_form, status=400)
        return redirect(safe_next(request, reverse("ledger:entry-detail", args=[pk])))

    def render_page(
        self,
        request: AuthedRequest,
        entry: AchievementEntry,
        form: EntryForm,
        comment_form: CommentForm,
        *,
        status: int = 200,
        open_form: bool = False,
    ) -> HttpResponse:
        user = request.user
        actions = allowed_actions(user, entry)
        ctx = {
            "entry": entry,
            "form": form,
            "comment_form": comment_form,
            "open_form": open_form,
            "can_edit": "update" in actions,
            "can_verify": "verify" in actions,
            "can_reject": "reject" in actions,
            "is_office": can_verify_entry(user),
            "counted_by": counted_by(entry),
            "identifier_required": [k.value for k in svc.IDENTIFIER_REQUIRED],
            "next": safe_next(request, ""),
        }
        return render(request, "ledger/entry_detail.html", ctx, status=status)


class EntryFileView(LedgerView):
    """The evidence file, for whoever may see the entry (others get a 404)."""

    def get(self, request: AuthedRequest, pk: int) -> FileResponse:
        entry = entry_detail(request.user, pk)
        if not entry.file:
            raise Http404("该条目没有佐证材料。")
        return file_response(entry)


# ---------------------------------------------------------------------------------------------
# The office's verification queue
# ---------------------------------------------------------------------------------------------


class VerifyQueueView(LedgerView):
    """Pending entries, oldest first: verify each, or reject it with the reason."""

    def check(self, request: AuthedRequest) -> None:
        require(
            can_verify_entry(request.user),
            "核实台账条目是领导小组办公室的工作；本单位登记的成果请在“成果台账”中查看。",
        )

    def get(self, request: AuthedRequest) -> HttpResponse:
        self.check(request)
        return self.render_queue(request)

    def post(self, request: AuthedRequest) -> HttpResponse:
        self.check(request)
        user = request.user
        raw = request.POST.get("entry", "")
        entry = entry_detail(user, parse_id(raw) or 0)
        action = request.POST.get("action", "")
        comment = request.POST.get("comment", "")
        try:
            messages.success(request, review(user, entry, action, comment))
        except NotPermittedError:
            raise
        except ApplicationError as error:
            return self.render_queue(
                request, status=400, row_error=(entry.pk, error.message, comment)
            )
        return redirect(request.get_full_path())

    def render_queue(
        self,
        request: AuthedRequest,
        *,
        status: int = 200,
        row_error: tuple[int, str, str] | None = None,
    ) -> HttpResponse:
        user = request.user
        filterset = EntryFilter(request.GET, queryset=verify_queue(user))
        queryset = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        page = Paginator(queryset, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [
            replace(row, error=row_error[1], comment=row_error[2])
            if row_error and row_error[0] == row.entry.pk
            else row
            for row in entry_rows(user, list(page.object_list))
        ]
        shown = {row.entry.pk for row in rows}
        query = request.GET.copy()
        query.pop("page", None)
        ctx = {
            "queue_error": row_error[1] if row_error and row_error[0] not in shown else "",
            "filter": filterset,
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
        }
        return render(request, "ledger/verify_queue.html", ctx, status=status)
