"""The browser pages of the annual work arrangements (年度工作安排): /milestones/.

- Unit staff: their unit's milestones by year, marked done with a note and a file; the lead
  unit's proposals awaiting the office.
- The office: every milestone with filters, the confirmation queue (confirm done, or send back
  with a comment) and the proposed arrangements to confirm.
- Everyone logged in reads milestones; the evidence file only the owing unit, the lead unit,
  the office and the leader (tasks.milestones.selectors.can_read_milestone_file).

Thin views: every write is tasks.milestones.services, every read tasks.milestones.selectors, every
"may I" tasks.milestones.permissions; the services' Chinese messages go back beside the fields.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from hefei_ai_zone.forms import CommentForm
from hefei_ai_zone.numbers import parse_int
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
from tasks.milestones import services as svc
from tasks.milestones.filters import MilestoneFilter
from tasks.milestones.forms import DoneForm, MilestoneForm
from tasks.milestones.permissions import (
    can_arrange_milestones,
    can_confirm_arrangement,
    can_edit_arrangement,
    can_read_milestone_file,
    led_by,
)
from tasks.milestones.selectors import (
    MilestoneRow,
    arrangements_awaiting,
    confirmation_queue,
    milestone_detail,
    milestone_list,
    milestone_rows,
    milestone_years,
    milestones_as_of,
    milestones_by_urgency,
    milestones_of_unit,
    milestones_proposed_by_unit,
)
from tasks.models import (
    Assignment,
    Milestone,
    MilestoneState,
)
from units.models import User
from units.permissions import is_office, is_unit_staff

PAGE_SIZE = 100
QUEUE_SIZE = 30  # the oldest first; the next ones once these are done
URGENCY_GROUPS = [
    ("overdue", "逾期未完成"),
    ("pending", "待完成"),
    ("done", "已标记完成，待办公室确认"),
    ("confirmed", "已确认完成"),
]


def urgency_group(row: MilestoneRow) -> str:
    """The unit page's section of a milestone (the order of milestones_by_urgency)."""
    state = row.milestone.state
    if state == MilestoneState.PENDING:
        return "overdue" if row.late_days else "pending"
    return str(state)


# ---------------------------------------------------------------------------------------------
# Forms: they only read the browser's input; the services check it
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# Shared pieces
# ---------------------------------------------------------------------------------------------


def milestone_or_404(pk: int) -> Milestone:
    try:
        return milestone_detail(pk)
    except Milestone.DoesNotExist as exc:
        raise Http404("没有这个节点。") from exc


# ---------------------------------------------------------------------------------------------
# /milestones/
# ---------------------------------------------------------------------------------------------


class MilestoneListView(ReportingView):
    """Unit staff: their unit's milestones by year. Office and leader: all, filtered; the office
    also the confirmation queue and the proposed arrangements."""

    def get(self, request: AuthedRequest) -> HttpResponse:
        user = request.user
        export = request.GET.get("format") == "xlsx"
        if is_unit_staff(user) and request.GET.get("all") != "1":
            if export:
                year = parse_int(request.GET.get("year", ""), max_digits=4)
                return milestone_export(
                    user,
                    self.unit_milestones(request, user),
                    title=f"{user.unit.name}的年度工作安排节点",  # type: ignore[union-attr]
                    filters=[("年度", "" if year is None else str(year))],
                )
            return self.unit_page(request, user)
        if export:
            filterset, queryset = self.filtered(request)
            return milestone_export(
                user, queryset, title="年度工作安排节点", filters=form_filters(filterset.form)
            )
        return self.overview(request, user)

    def unit_milestones(self, request: AuthedRequest, user: User) -> QuerySet[Milestone]:
        """The unit page's milestones: the unit's, most urgent first, of the year chosen."""
        year = parse_int(request.GET.get("year", ""), max_digits=4)
        mine = milestones_by_urgency(milestones_of_unit(user.unit), milestones_as_of())  # type: ignore[arg-type]
        return mine if year is None else mine.filter(year=year)

    def filtered(self, request: AuthedRequest) -> tuple[MilestoneFilter, QuerySet[Milestone]]:
        """The overview's milestones: the filters of the URL, most urgent first."""
        filterset = MilestoneFilter(
            request.GET, queryset=milestones_by_urgency(milestone_list(), milestones_as_of())
        )
        return filterset, filterset.qs if filterset.is_valid() else filterset.queryset.none()

    def unit_page(self, request: AuthedRequest, user: User) -> HttpResponse:
        led, as_of = led_by(user), milestones_as_of()
        years = milestone_years()
        year = parse_int(request.GET.get("year", ""), max_digits=4)
        mine = self.unit_milestones(request, user)
        rows = milestone_rows(user, list(mine), led=led, as_of=as_of)
        groups: dict[str, list[MilestoneRow]] = {key: [] for key, _ in URGENCY_GROUPS}
        for row in rows:
            groups[urgency_group(row)].append(row)
        proposed = milestones_proposed_by_unit(user.unit)  # type: ignore[arg-type]
        states = [row.milestone.state for row in rows]
        return render(
            request,
            "milestones/unit.html",
            {
                "groups": [(key, label, groups[key]) for key, label in URGENCY_GROUPS],
                "years": years,
                "year": year,
                "query": "" if year is None else f"year={year}",
                "proposed": milestone_rows(user, list(proposed), led=led, as_of=as_of),
                "as_of": as_of,
                "summary": {
                    "total": len(rows),
                    "pending": states.count(MilestoneState.PENDING),
                    "overdue": len(groups["overdue"]),
                    "done": states.count(MilestoneState.DONE),
                    "confirmed": states.count(MilestoneState.CONFIRMED),
                },
            },
        )

    def overview(self, request: AuthedRequest, user: User) -> HttpResponse:
        led, as_of = led_by(user), milestones_as_of()
        filterset, queryset = self.filtered(request)
        page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
        office = is_office(user)
        query = request.GET.copy()
        query.pop("page", None)
        ctx: dict[str, Any] = {
            "filter": filterset,
            "filtered": any(v for k, v in request.GET.items() if k not in ("page", "all")),
            "page": page,
            "rows": milestone_rows(user, list(page.object_list), led=led, as_of=as_of),
            "query": query.urlencode(),
            "is_office": office,
            "as_of": as_of,
        }
        if office:
            queue = confirmation_queue()
            ctx["queue"] = milestone_rows(user, list(queue[:QUEUE_SIZE]), led=led, as_of=as_of)
            ctx["queue_total"] = queue.count()
            awaiting = list(arrangements_awaiting())
            ctx["awaiting"] = milestone_rows(user, awaiting, led=led, as_of=as_of)
        return render(request, "milestones/overview.html", ctx)


MILESTONE_COLUMNS = [
    Column("完成时限", 11),
    Column("节点", 40, wrap=True),
    Column("任务/示范工程", 16, wrap=True),
    Column("责任单位", 16, wrap=True),
    Column("年度", 6),
    Column("状态", 14, wrap=True),
    Column("逾期天数", 8),
    Column("完成说明/退回意见", 40, wrap=True),
]


def milestone_state_label(m: Milestone) -> str:
    """The state the lists show (templates/milestones/_state.html)."""
    if not m.arrangement_confirmed:
        return "牵头单位提出·待确认安排"
    return m.get_state_display()


def milestone_export(
    user: User, milestones: QuerySet[Milestone], *, title: str, filters: list[tuple[str, str]]
) -> HttpResponse:
    """导出 Excel of a milestone list, in its order (most urgent first)."""
    rows = []
    for row in milestone_rows(user, list(milestones), led=led_by(user), as_of=milestones_as_of()):
        m, a = row.milestone, row.milestone.assignment
        note = m.done_note if m.state != MilestoneState.PENDING else m.review_comment
        rows.append(
            [
                m.due_date,
                m.title,
                f"任务 {a.task.code}" if a.task else f"示范工程 {a.demo.name if a.demo else ''}",
                m.unit.name,
                m.year,
                milestone_state_label(m),
                row.late_days or "",
                note,
            ]
        )
    content = table_workbook(
        title=title,
        subtitle=subtitle_of(filters),
        columns=MILESTONE_COLUMNS,
        rows=rows,
        sheet_title="年度节点",
    )
    return xlsx_response(export_filename("年度节点"), content)


class MilestoneDetailView(ReportingView):
    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        return self.render_page(request, milestone_or_404(pk))

    def render_page(
        self,
        request: AuthedRequest,
        milestone: Milestone,
        *,
        done_form: DoneForm | None = None,
        comment_form: CommentForm | None = None,
        error: str = "",
        status: int = 200,
    ) -> HttpResponse:
        user = request.user
        (row,) = milestone_rows(user, [milestone])
        return render(
            request,
            "milestones/detail.html",
            {
                "m": milestone,
                "row": row,
                "done_form": done_form
                or DoneForm(initial={"note": milestone.done_note} if milestone.done_note else None),
                "comment_form": comment_form or CommentForm(),
                "error": error,
                "next": safe_next(request, ""),
            },
            status=status,
        )


ACTIONS: dict[str, tuple[Callable[..., Any], str]] = {
    "confirm": (svc.milestone_confirm, "已确认完成"),
    "reject": (svc.milestone_reject, "已退回"),
    "confirm-arrangement": (svc.milestone_confirm_arrangement, "已确认节点安排"),
}


@method_decorator(csrf_exempt, name="dispatch")  # checked in post(), after the size check
class MilestoneActionView(MilestoneDetailView):
    """POST: done (note + file), confirm, reject (comment), confirm-arrangement, delete."""

    http_method_names = ["post"]

    def post(self, request: AuthedRequest, pk: int, action: str) -> HttpResponse:
        if action == "done" and upload_too_large(request):  # before anything reads the body
            milestone = milestone_or_404(pk)
            form = DoneForm()
            form.is_valid()
            form.add_error("file", too_large_message() + "本次提交没有被读取。")
            return self.render_page(request, milestone, done_form=form, status=413)
        return csrf_protect(lambda r: self.act(r, pk, action))(request)

    def act(self, request: AuthedRequest, pk: int, action: str) -> HttpResponse:
        user = request.user
        milestone = milestone_or_404(pk)
        target = safe_next(request, reverse("milestones:detail", args=[pk]))
        if action == "done":
            form = DoneForm(request.POST, request.FILES)
            form.is_valid()
            try:
                svc.milestone_mark_done(
                    actor=user,
                    milestone=milestone,
                    note=form.cleaned_data.get("note", ""),
                    upload=form.cleaned_data.get("file"),
                )
            except NotPermittedError:
                raise
            except ApplicationError as error:
                form.add_service_error(error)
                return self.render_page(request, milestone, done_form=form, status=400)
            messages.success(request, f"已标记完成：{milestone.title}。等待领导小组办公室确认。")
            return redirect(target)
        if action == "delete":
            svc.milestone_delete(actor=user, milestone=milestone)
            messages.success(request, f"已删除节点：{milestone.title}。")
            fallback = (
                reverse("plan:task-detail", args=[milestone.assignment.task_id])
                if milestone.assignment.task_id
                else reverse("milestones:list")
            )
            nxt = safe_next(request, fallback)
            return redirect(fallback if nxt.rstrip("/").endswith(f"/milestones/{pk}") else nxt)
        if action not in ACTIONS:
            raise Http404
        service, done = ACTIONS[action]
        comment_form = CommentForm(request.POST)
        comment_form.is_valid()
        try:
            if action == "confirm-arrangement":
                service(actor=user, milestone=milestone)
            else:
                service(
                    actor=user,
                    milestone=milestone,
                    comment=comment_form.cleaned_data.get("comment", ""),
                )
        except NotPermittedError:
            raise
        except ApplicationError as error:
            comment_form.add_service_error(error)
            return self.render_page(
                request, milestone, comment_form=comment_form, error=error.message, status=400
            )
        messages.success(request, f"{done}：{milestone.unit.name} · {milestone.title}。")
        return redirect(target)


class MilestoneFileView(ReportingView):
    def get(self, request: AuthedRequest, pk: int) -> FileResponse:
        milestone = milestone_or_404(pk)
        if not milestone.file:
            raise Http404("这个节点没有佐证材料。")
        require(
            can_read_milestone_file(request.user, milestone),
            "节点的佐证材料供承担单位、牵头单位、领导小组办公室和领导查看。",
        )
        return file_response(milestone)


# ---------------------------------------------------------------------------------------------
# Adding and editing milestones of an assignment (from the task page)
# ---------------------------------------------------------------------------------------------


class MilestoneFormView(ReportingView):
    """New (``assignment_id``) or edit (``pk``): the office sets, the lead unit proposes."""

    def load(self, request: AuthedRequest, **kwargs: Any) -> tuple[Assignment, Milestone | None]:
        user = request.user
        if "pk" in kwargs:
            milestone = milestone_or_404(kwargs["pk"])
            require(
                can_edit_arrangement(user, milestone),
                "只有领导小组办公室（或提出节点、尚未确认时的牵头单位）可以修改年度节点。",
            )
            return milestone.assignment, milestone
        assignment = get_object_or_404(
            Assignment.objects.select_related("unit", "task", "demo"), pk=kwargs["assignment_id"]
        )
        require(
            can_arrange_milestones(user, assignment),
            "只有领导小组办公室可以安排年度节点；牵头单位可以提出节点，经办公室确认。",
        )
        return assignment, None

    def show(
        self,
        request: AuthedRequest,
        assignment: Assignment,
        milestone: Milestone | None,
        form: MilestoneForm,
        status: int = 200,
    ) -> HttpResponse:
        user = request.user
        for name in form.errors:
            if name in form.fields:
                widget = form.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-describedby"] = f"{name}-error"
        return render(
            request,
            "milestones/form.html",
            {
                "a": assignment,
                "m": milestone,
                "form": form,
                "proposing": not can_confirm_arrangement(user),
                "back": self.back(assignment),
            },
            status=status,
        )

    @staticmethod
    def back(assignment: Assignment) -> str:
        if assignment.task_id:
            return reverse("plan:task-detail", args=[assignment.task_id]) + "#milestones"
        return reverse("milestones:list")

    def get(self, request: AuthedRequest, **kwargs: Any) -> HttpResponse:
        assignment, milestone = self.load(request, **kwargs)
        initial = (
            {"title": milestone.title, "due_date": milestone.due_date, "unit": milestone.unit_id}
            if milestone
            else {"unit": None if assignment.unit.is_group else assignment.unit_id}
        )
        form = MilestoneForm(initial=initial, assignment=assignment)
        return self.show(request, assignment, milestone, form)

    def post(self, request: AuthedRequest, **kwargs: Any) -> HttpResponse:
        user = request.user
        assignment, milestone = self.load(request, **kwargs)
        form = MilestoneForm(request.POST, assignment=assignment)
        if not form.is_valid():
            return self.show(request, assignment, milestone, form, status=400)
        data = form.cleaned_data
        try:
            if milestone is None:
                saved = svc.milestone_create(
                    actor=user,
                    assignment=assignment,
                    title=data["title"],
                    due_date=data["due_date"],
                    unit=data["unit"],
                )
            else:
                saved = svc.milestone_update(
                    actor=user,
                    milestone=milestone,
                    title=data["title"],
                    due_date=data["due_date"],
                    unit=data["unit"],
                )
        except NotPermittedError:
            raise
        except ApplicationError as error:
            form.add_service_error(error)
            return self.show(request, assignment, milestone, form, status=400)
        if milestone is not None:
            messages.success(request, f"已修改节点：{saved.title}。")
        elif saved.arrangement_confirmed:
            messages.success(request, f"已添加节点：{saved.title}。")
        else:
            messages.success(request, f"已提出节点：{saved.title}，等待领导小组办公室确认。")
        return redirect(self.back(assignment))


# ---------------------------------------------------------------------------------------------
# The task page's part: each assignment's milestones and computed light
# ---------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------
# 我的任务's part: computed lights and the milestones due
# ---------------------------------------------------------------------------------------------
