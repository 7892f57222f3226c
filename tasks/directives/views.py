"""Pages of 督办事项: the list (filters in the URL, 导出 Excel), 立项 (also from a leader's 批示),
the item's page with its units, feedback, 延期, closing report, files and timeline, and the
lifecycle's actions POSTed to /directives/<pk>/<action>/. Views only translate: who may see
and do what is asked of tasks.directives.permissions, the writes are its services'."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_protect

from hefei_ai_zone import clock
from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from hefei_ai_zone.forms import CommentForm
from hefei_ai_zone.numbers import parse_id
from hefei_ai_zone.web import AuthedRequest, ReportingView, require
from hefei_ai_zone.xlsx import (
    Column,
    export_filename,
    form_filters,
    subtitle_of,
    table_workbook,
    xlsx_response,
)
from tasks.files import attachment_response, too_large_message, upload_too_large
from tasks.lights import light_of_directive
from units.models import User
from units.permissions import is_office

from . import permissions as perms
from . import selectors as sel
from . import services as svc
from .forms import (
    CloseApplyForm,
    DirectiveForm,
    ExtensionForm,
    FeedbackForm,
    ListFilterForm,
    ReopenForm,
    ReviewForm,
)
from .models import (
    Directive,
    DirectiveAttachment,
    DirectiveExtension,
    DirectiveFeedback,
    ExtensionState,
    FeedbackKind,
    FeedbackState,
)

PAGE_SIZE = 50

# ---------------------------------------------------------------------------------------------
# /directives/
# ---------------------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    Column("编号", 18),
    Column("事项名称", 36, wrap=True),
    Column("来源", 12),
    Column("牵头单位", 16),
    Column("配合单位", 24, wrap=True),
    Column("状态", 10),
    Column("灯", 6),
    Column("办结时限", 12),
    Column("原定办结时限", 12),
    Column("交办时间", 16),
]
LIGHT_NAMES = {"green": "绿", "yellow": "黄", "red": "红", "grey": "灰"}


def units_of(directive: Directive) -> tuple[str, str]:
    """The lead's name and the co units' names (the list's prefetched ``units``)."""
    rows = list(directive.units.all())
    lead = next((u.unit.name for u in rows if u.role == "lead"), "")
    co = "、".join(u.unit.name for u in rows if u.role != "lead")
    return lead, co


class DirectiveListView(ReportingView):
    def get(self, request: AuthedRequest) -> HttpResponse:
        user = request.user
        require(perms.can_see_list(user), "督办事项供领导小组办公室、领导和承办单位查看。")
        form = ListFilterForm(request.GET)
        valid = form.is_valid()
        data = form.cleaned_data if valid else {}
        unit = data.get("unit")
        queryset = sel.directive_list(
            user,
            source=data.get("source") or None,
            state=data.get("state") or None,
            unit=unit.pk if unit else None,
            overdue=True if data.get("overdue") == "1" else None,
            q=data.get("q") or "",
        )
        if request.GET.get("format") == "xlsx":
            return self.export(user, list(queryset), form)
        query = QueryDict(mutable=True)
        for key in ("source", "state", "unit", "overdue", "q"):
            if request.GET.get(key):
                query[key] = request.GET[key]
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        today = clock.today()
        rows = [(d, light_of_directive(d), units_of(d)) for d in page.object_list]
        ctx = {
            "form": form,
            "page": page,
            "rows": rows,
            "today": today,
            "query": query.urlencode(),
            "filtered": bool(query),
            "can_register": perms.can_register(user),
        }
        return render(request, "directives/list.html", ctx)

    def export(self, user: User, items: list[Directive], form: ListFilterForm) -> HttpResponse:
        rows = []
        for d in items:
            lead, co = units_of(d)
            light = light_of_directive(d)
            rows.append(
                [
                    d.number,
                    d.title,
                    d.get_source_display(),
                    lead,
                    co,
                    d.get_state_display(),
                    LIGHT_NAMES.get(light or "", ""),
                    d.due_date,
                    d.original_due_date if d.extended else None,
                    d.issued_at,
                ]
            )
        content = table_workbook(
            title="督办事项",
            subtitle=subtitle_of(form_filters(form)),
            columns=EXPORT_COLUMNS,
            rows=rows,
            sheet_title="督办事项",
        )
        return xlsx_response(export_filename("督办事项"), content)


# ---------------------------------------------------------------------------------------------
# /directives/new/
# ---------------------------------------------------------------------------------------------


def instruction_initial(user: User, raw: str | None) -> tuple[dict[str, Any], int | None]:
    """The form's initial values from a leader's 批示 (``?instruction=<id>``), when the
    批示 slice is there and the user may turn it into an item."""
    pk = parse_id(raw)
    if pk is None:
        return {}, None
    try:
        from tasks.instructions.selectors import instruction_prefill  # type: ignore[import-not-found,unused-ignore]
    except ImportError:  # the 批示 slice not merged yet
        return {}, None
    try:
        found = instruction_prefill(user, pk)
    except (ApplicationError, ObjectDoesNotExist, LookupError, ValueError):
        return {}, None  # a 批示 the user may not turn into an item, or none: an empty form
    if not found:
        return {}, None
    initial = {k: v for k, v in found.items() if k not in ("co_units", "task", "lead_unit")}
    initial["source"] = found.get("source") or "instruction"
    if found.get("task") is not None:
        initial["task"] = found["task"].pk
    if found.get("lead_unit") is not None:
        initial["lead_unit"] = found["lead_unit"].pk
    initial["co_units"] = [u.pk for u in found.get("co_units") or []]
    return initial, pk


def instruction_converted(user: User, instruction_id: int | None, directive: Directive) -> None:
    if instruction_id is None:
        return
    try:
        from tasks.instructions.services import instruction_convert  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return
    instruction_convert(actor=user, instruction_id=instruction_id, directive=directive)


class DirectiveNewView(ReportingView):
    def get(self, request: AuthedRequest) -> HttpResponse:
        require(perms.can_register(request.user), "只有领导小组办公室可以登记督办事项。")
        initial, instruction = instruction_initial(request.user, request.GET.get("instruction"))
        return self.page(request, DirectiveForm(initial=initial), instruction)

    def post(self, request: AuthedRequest) -> HttpResponse:
        user = request.user
        require(perms.can_register(user), "只有领导小组办公室可以登记督办事项。")
        form = DirectiveForm(request.POST)
        instruction = parse_id(request.POST.get("instruction"))
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["co_units"] = list(data["co_units"])
            try:
                with transaction.atomic():  # the item and its 批示 marked converted, or neither
                    directive = svc.directive_create(actor=user, **data)
                    instruction_converted(user, instruction, directive)
            except NotPermittedError:
                raise
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, f"已登记督办事项“{directive.title}”，请核对后交办。")
                return redirect("directives:detail", pk=directive.pk)
        return self.page(request, form, instruction, status=400)

    def page(
        self,
        request: AuthedRequest,
        form: DirectiveForm,
        instruction: int | None,
        status: int = 200,
    ) -> HttpResponse:
        ctx = {"form": form, "instruction": instruction}
        return render(request, "directives/new.html", ctx, status=status)


FORM_FIELDS = tuple(DirectiveForm.base_fields)


def draft_initial(directive: Directive) -> dict[str, Any]:
    """The 立项 form's values of a draft, to change it before it is issued."""
    initial = {name: getattr(directive, name) for name in FORM_FIELDS if hasattr(directive, name)}
    duties = list(directive.units.all())
    initial["lead_unit"] = next((d.unit_id for d in duties if d.role == "lead"), None)
    initial["co_units"] = [d.unit_id for d in duties if d.role != "lead"]
    initial["task"] = directive.task_id
    return initial


class DirectiveEditView(ReportingView):
    """The office changes a draft (立项 not issued yet) with the 立项 form."""

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        directive = visible_directive(request, pk)
        require(
            perms.can_edit_draft(request.user, directive),
            "只有领导小组办公室可以修改未交办的督办事项。",
        )
        return self.page(request, directive, DirectiveForm(initial=draft_initial(directive)))

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        directive = visible_directive(request, pk)
        require(
            perms.can_edit_draft(request.user, directive),
            "只有领导小组办公室可以修改未交办的督办事项。",
        )
        form = DirectiveForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            data["co_units"] = list(data["co_units"])
            try:
                svc.directive_update(actor=request.user, directive=directive, **data)
            except NotPermittedError:
                raise
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, "已保存修改，请核对后交办。")
                return redirect("directives:detail", pk=pk)
        return self.page(request, directive, form, status=400)

    def page(
        self, request: AuthedRequest, directive: Directive, form: DirectiveForm, status: int = 200
    ) -> HttpResponse:
        ctx = {"form": form, "instruction": None, "editing": directive}
        return render(request, "directives/new.html", ctx, status=status)


# ---------------------------------------------------------------------------------------------
# /directives/<pk>/
# ---------------------------------------------------------------------------------------------


def visible_directive(request: AuthedRequest, pk: int) -> Directive:
    """The item with what its page shows; a 404 when the user may not see it."""
    return sel.directive_detail(request.user, pk)


def feedback_rows(user: User, directive: Directive) -> list[dict[str, Any]]:
    """The feedback, newest first: the lead's consolidated feedback with the co units' beside it,
    each with its files and whether the user may review it."""
    rows = []
    for fb in reversed(list(directive.feedback.all())):
        rows.append(
            {
                "fb": fb,
                "lead": fb.unit_id in lead_ids(directive),
                "closing": fb.kind == FeedbackKind.CLOSING,
                "may_review": fb.state == FeedbackState.SUBMITTED
                and fb.kind == FeedbackKind.PROGRESS
                and perms.can_review_feedback(user, fb),
            }
        )
    return rows


def lead_ids(directive: Directive) -> set[int]:
    return {u.unit_id for u in directive.units.all() if u.role == "lead"}


def extension_rows(user: User, directive: Directive) -> list[dict[str, Any]]:
    rows = []
    for ext in directive.extensions.all():
        rows.append(
            {
                "ext": ext,
                "may_review": ext.state == ExtensionState.PENDING
                and perms.can_review_extension(user, ext),
                "may_decide": ext.state == ExtensionState.LEADER
                and perms.can_decide_extension(user, ext),
            }
        )
    return rows


class DirectiveDetailView(ReportingView):
    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        return self.page(request, visible_directive(request, pk))

    def page(
        self,
        request: AuthedRequest,
        directive: Directive,
        *,
        forms: dict[str, Any] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        user = request.user
        forms = forms or {}
        units = list(directive.units.all())
        ctx = {
            "d": directive,
            "light": light_of_directive(directive),
            "units": units,
            "lead": next((u for u in units if u.role == "lead"), None),
            "feedback": feedback_rows(user, directive),
            "extensions": extension_rows(user, directive),
            "source_files": [a for a in directive.attachments.all() if not a.feedback_id],
            "steps": list(directive.steps.all()),
            "can": perms.allowed_actions(user, directive),
            "is_office": is_office(user),
            "feedback_form": forms.get("feedback") or FeedbackForm(),
            "extension_form": forms.get("extend") or ExtensionForm(),
            "close_form": forms.get("apply-close") or CloseApplyForm(),
            "reopen_form": forms.get("reopen") or ReopenForm(),
            "comment_form": forms.get("comment") or CommentForm(),
            "review_form": forms.get("review") or ReviewForm(),
            "error_at": next(iter(forms), ""),
        }
        return render(request, "directives/detail.html", ctx, status=status)


Handler = Callable[[AuthedRequest, Directive], tuple[str, Any]]


class DirectiveActionView(DirectiveDetailView):
    """POST issue | sign | feedback | feedback-accept | feedback-return | extend |
    extension-review | extension-decide | apply-close | close | return | archive | reopen.
    Errors are shown on the item's page (400), a refusal is the 403 page."""

    http_method_names = ["post"]
    UPLOADS = ("feedback", "apply-close")

    def post(self, request: AuthedRequest, pk: int, action: str) -> HttpResponse:
        if action in self.UPLOADS and upload_too_large(request):  # before anything reads the body
            form = FeedbackForm(data={}) if action == "feedback" else CloseApplyForm(data={})
            form.is_valid()
            form.errors.clear()  # nothing was read: only the size is wrong
            form.add_error("files", too_large_message() + "本次提交没有被读取。")
            directive = visible_directive(request, pk)
            return self.page(request, directive, forms={action: form}, status=413)
        return csrf_protect(lambda r: self.act(r, pk, action))(request)

    def act(self, request: AuthedRequest, pk: int, action: str) -> HttpResponse:
        directive = visible_directive(request, pk)
        handler = ACTIONS.get(action)
        if handler is None:
            raise Http404("没有这个操作。")
        form: Any = None
        try:
            form, done = handler(request, directive)
        except NotPermittedError:
            raise
        except ApplicationError as error:
            key = FORM_OF.get(action, "comment")
            form = form_of(key, request)
            form.is_valid()
            form.add_service_error(error)
            return self.page(request, directive, forms={key: form}, status=400)
        if done is None:  # the form itself was invalid
            return self.page(
                request, directive, forms={FORM_OF.get(action, "comment"): form}, status=400
            )
        messages.success(request, done)
        return redirect("directives:detail", pk=pk)


FORM_OF = {
    "feedback": "feedback",
    "extend": "extend",
    "apply-close": "apply-close",
    "reopen": "reopen",
    "feedback-accept": "review",
    "feedback-return": "review",
    "extension-review": "review",
    "extension-decide": "review",
}


def form_of(key: str, request: AuthedRequest) -> Any:
    files = request.FILES
    return {
        "feedback": lambda: FeedbackForm(request.POST, files),
        "extend": lambda: ExtensionForm(request.POST),
        "apply-close": lambda: CloseApplyForm(request.POST, files),
        "reopen": lambda: ReopenForm(request.POST),
        "review": lambda: ReviewForm(request.POST),
        "comment": lambda: CommentForm(request.POST),
    }[key]()


def comment_of(request: AuthedRequest) -> tuple[CommentForm, str]:
    form = CommentForm(request.POST)
    form.is_valid()
    return form, form.cleaned_data.get("comment", "")


def do_issue(request: AuthedRequest, d: Directive) -> tuple[Any, str]:
    form, comment = comment_of(request)
    d = svc.directive_issue(actor=request.user, directive=d, comment=comment)
    return form, f"已交办 {d.number}，办结时限 {d.due_date:%Y-%m-%d}。"


def do_sign(request: AuthedRequest, d: Directive) -> tuple[Any, str]:
    svc.directive_sign(actor=request.user, directive=d)
    return None, f"已签收 {d.number}。"


def do_feedback(request: AuthedRequest, d: Directive) -> tuple[Any, str | None]:
    form = FeedbackForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    svc.feedback_submit(
        actor=request.user,
        directive=d,
        content=data["content"],
        status=data["status"],
        files=data["files"],
    )
    return form, f"已提交 {d.number} 的办理情况反馈。"


def review_target(
    request: AuthedRequest, model: type[DirectiveFeedback] | type[DirectiveExtension], d: Directive
) -> tuple[ReviewForm, Any]:
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return form, None
    target = model.objects.filter(pk=form.cleaned_data["target"], directive=d).first()
    if target is None:
        raise ApplicationError("没有这条记录，请刷新页面后重试。")
    return form, target


def do_feedback_review(accept: bool) -> Handler:
    def handler(request: AuthedRequest, d: Directive) -> tuple[Any, str | None]:
        form, fb = review_target(request, DirectiveFeedback, d)
        if fb is None:
            return form, None
        comment = form.cleaned_data.get("comment", "")
        if accept:
            svc.feedback_accept(actor=request.user, feedback=fb, comment=comment)
            return form, f"已审核通过{fb.unit.name}的反馈。"
        svc.feedback_return(actor=request.user, feedback=fb, comment=comment)
        return form, f"已退回{fb.unit.name}的反馈。"

    return handler


def do_extension(decide: bool) -> Handler:
    def handler(request: AuthedRequest, d: Directive) -> tuple[Any, str | None]:
        form, ext = review_target(request, DirectiveExtension, d)
        if ext is None:
            return form, None
        approve = request.POST.get("approve") == "1"
        comment = form.cleaned_data.get("comment", "")
        service = svc.extension_decide if decide else svc.extension_review
        ext = service(actor=request.user, extension=ext, approve=approve, comment=comment)
        return form, f"延期申请：{ext.get_state_display()}。"

    return handler


def do_extend(request: AuthedRequest, d: Directive) -> tuple[Any, str | None]:
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    svc.extension_apply(
        actor=request.user, directive=d, to_date=data["to_date"], reason=data["reason"]
    )
    return form, f"已申请延期至 {data['to_date']:%Y-%m-%d}，等待办公室审核。"


def do_apply_close(request: AuthedRequest, d: Directive) -> tuple[Any, str | None]:
    form = CloseApplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    svc.close_apply(actor=request.user, directive=d, content=data["content"], files=data["files"])
    return form, f"已提交 {d.number} 的办结申请。"


def do_close(request: AuthedRequest, d: Directive) -> tuple[Any, str]:
    form, comment = comment_of(request)
    svc.directive_close(actor=request.user, directive=d, comment=comment)
    return form, f"{d.number} 已办结。"


def do_return(request: AuthedRequest, d: Directive) -> tuple[Any, str]:
    form, comment = comment_of(request)
    svc.directive_return(actor=request.user, directive=d, comment=comment)
    return form, f"已退回 {d.number} 的办结申请，请承办单位重新办理。"


def do_archive(request: AuthedRequest, d: Directive) -> tuple[Any, str]:
    form, comment = comment_of(request)
    svc.directive_archive(actor=request.user, directive=d, comment=comment)
    return form, f"{d.number} 已销号。"


def do_reopen(request: AuthedRequest, d: Directive) -> tuple[Any, str | None]:
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    svc.directive_reopen(
        actor=request.user,
        directive=d,
        instruction=data["instruction"],
        due_workdays=data["due_workdays"],
    )
    return form, f"已重新督办 {d.number}。"


def do_urge(request: AuthedRequest, d: Directive) -> tuple[Any, str]:
    form, comment = comment_of(request)
    svc.directive_urge(actor=request.user, directive=d, message=comment)
    return form, f"已催办 {d.number}。"


ACTIONS: dict[str, Handler] = {
    "issue": do_issue,
    "sign": do_sign,
    "feedback": do_feedback,
    "feedback-accept": do_feedback_review(True),
    "feedback-return": do_feedback_review(False),
    "extend": do_extend,
    "extension-review": do_extension(False),
    "extension-decide": do_extension(True),
    "apply-close": do_apply_close,
    "close": do_close,
    "return": do_return,
    "archive": do_archive,
    "reopen": do_reopen,
    "urge": do_urge,
}


class AttachmentView(ReportingView):
    """A file of the item (its source document, a feedback's evidence) as a download."""

    def get(self, request: AuthedRequest, pk: int, file_pk: int) -> HttpResponseBase:
        directive = visible_directive(request, pk)
        found = DirectiveAttachment.objects.filter(pk=file_pk, directive=directive).first()
        if found is None or not found.file:
            raise Http404("没有这个文件。")
        return attachment_response(found.file, found.file_name, found.file_type)
