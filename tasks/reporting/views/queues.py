"""The two review queues: 待我审核, a unit's approver's (the unit's submitted reports, the longest
waiting first; the approver lands here after logging in while it is not empty:
hefei_ai_zone.views.home), and 审核, the office's (what the units approved, or submitted without
an approver; filtered, accepted one by one or in bulk). Each row is approved (accepted) or
returned in place, and shows what changed since the report was last sent back.

Thin, like the other reporting pages: reads through tasks.reporting.worklists and selectors, writes
through tasks.reporting.services, who may do what in tasks.reporting.permissions.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from hefei_ai_zone import clock
from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from hefei_ai_zone.numbers import parse_id
from hefei_ai_zone.web import ReportingView, require
from hefei_ai_zone.xlsx import (
    Column,
    export_filename,
    form_filters,
    subtitle_of,
    table_workbook,
    xlsx_response,
)
from tasks.lights import Light, report_light
from tasks.models import ProgressReport, ReportState
from tasks.reporting import services as svc
from tasks.reporting.filters import ReviewFilter
from tasks.reporting.permissions import can_see_approval_queue, reports_written_by
from tasks.reporting.selectors import (
    Duty,
    SinceReturn,
    changes_since_return,
    period_current,
    report_detail,
    report_list,
    review_queue,
    unit_records_for_period,
)
from tasks.reporting.views.common import ACTION_LABELS, REVIEW_ACTIONS, report_title
from tasks.reporting.worklists import approval_queue
from tasks.supervision.permissions import can_urge
from tasks.supervision.selectors import late_units
from units.models import User
from units.permissions import is_office

PAGE_SIZE = 100
ACTIONS = {"approve": svc.report_approve, "return": svc.report_return}
REVIEW_PAGE_SIZE = 100


@dataclass
class QueueRow:
    report: ProgressReport
    duty: Duty
    since_return: SinceReturn | None
    error: str = ""
    comment: str = ""
    own: bool = False  # written by the approver: no approve button (issue 11)

    @property
    def waiting_days(self) -> int:
        submitted = self.report.submitted_at
        return (clock.today() - clock.local_date(submitted)).days if submitted else 0


class ApprovalQueueView(ReportingView):
    """The approver's queue: approve (to the office) or return (a comment is required)."""

    def check(self, request: HttpRequest) -> User:
        user: User = request.user  # type: ignore[assignment]
        require(
            can_see_approval_queue(user),
            "“待我审核”供各责任单位的审核人使用；您的账号不是审核人。",
        )
        return user

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_queue(request, self.check(request))

    def render_queue(
        self,
        request: HttpRequest,
        user: User,
        *,
        status: int = 200,
        row_error: tuple[int, str, str] | None = None,
    ) -> HttpResponse:
        page = Paginator(approval_queue(user), PAGE_SIZE).get_page(request.GET.get("page"))
        reports = list(page.object_list)
        since = changes_since_return(reports)
        own = reports_written_by(user, reports) if reports else set()
        rows = []
        for r in reports:
            row = QueueRow(
                r, Duty(r.assignment, r.unit, r.period, r), since.get(r.pk), own=r.pk in own
            )
            if row_error and row_error[0] == r.pk:
                row.error, row.comment = row_error[1], row_error[2]
            rows.append(row)
        ctx = {"page": page, "rows": rows, "query": request.GET.urlencode()}
        return render(request, "reporting/approvals.html", ctx, status=status)

    def post(self, request: HttpRequest) -> HttpResponse:
        user = self.check(request)
        action = request.POST.get("action", "")
        comment = request.POST.get("comment", "")
        report_id = request.POST.get("report", "")
        report = report_detail(user, parse_id(report_id) or 0)
        if report.state != ReportState.SUBMITTED and report.unit_id == user.unit_id:
            messages.info(
                request,
                f"{report_title(report)} 已不在待审核之列（当前为“{report.get_state_display()}”），"
                "可能已由其他审核人处理。",
            )
            return redirect(request.get_full_path())
        if action not in ACTIONS:
            return self.render_queue(
                request, user, status=400, row_error=(report.pk, "请选择要执行的操作。", comment)
            )
        try:
            ACTIONS[action](actor=user, report=report, comment=comment)
        except NotPermittedError:
            raise
        except ApplicationError as error:
            return self.render_queue(
                request, user, status=400, row_error=(report.pk, error.message, comment)
            )
        messages.success(request, f"已{ACTION_LABELS[action]}：{report_title(report)}。")
        return redirect(request.get_full_path())


# --- the office's review queue --------------------------------------------------------------

REVIEW_COLUMNS = [
    Column("任务编号", 10),
    Column("任务/示范工程", 36, wrap=True),
    Column("填报单位", 16, wrap=True),
    Column("周期", 9),
    Column("角色", 6),
    Column("流程状态", 12),
    Column("灯色", 7),
    Column("进展状态", 11),
    Column("完成进度(%)", 9),
    Column("提交时间", 17),
    Column("逾期提交", 8),
    Column("进展情况", 60, wrap=True),
    Column("进度低于上期的原因", 30, wrap=True),
]


def review_export_row(r: ProgressReport) -> list[Any]:
    """One report of the review queue, in the columns of REVIEW_COLUMNS."""
    a = r.assignment
    duty = Duty(a, r.unit, r.period, r)
    state = (
        "已提交（本单位无审核人）" if r.state == ReportState.SUBMITTED else r.get_state_display()
    )
    return [
        a.task.code if a.task else "示范工程",
        a.task.content if a.task else (a.demo.name if a.demo else ""),
        r.unit.name,
        r.period.code,
        a.get_role_display(),
        state,
        Light(report_light(r)).label,
        r.get_status_display() if r.status else "未选择状态",
        r.percent,
        r.submitted_at,
        "是" if duty.late else "",
        r.narrative,
        r.percent_drop_reason,
    ]


@dataclass
class ReviewRow:
    report: ProgressReport
    duty: Duty
    error: str = ""
    comment: str = ""
    since_return: SinceReturn | None = None  # 退回后的修改, if it was ever sent back


class ReviewView(ReportingView):
    """What waits for the office, filtered; accept or return each, or accept several at once."""

    def get(self, request: HttpRequest) -> HttpResponse:
        self.check(request)
        if request.GET.get("format") == "xlsx":
            return self.export(request)
        return self.render_queue(request)

    def check(self, request: HttpRequest) -> None:
        require(
            is_office(request.user),
            "审核页面供领导小组办公室使用；各单位的审核人请在“待我审核”中审核本单位的报告。",
        )

    def filtered(self, request: HttpRequest) -> tuple[ReviewFilter, QuerySet[ProgressReport]]:
        """The queue as the page shows it: the filters of the URL, the queue's order."""
        user: User = request.user  # type: ignore[assignment]
        filterset = ReviewFilter(request.GET, queryset=review_queue(user))
        return filterset, filterset.qs if filterset.is_valid() else filterset.queryset.none()

    def export(self, request: HttpRequest) -> HttpResponse:
        """导出 Excel: every report the filters select (all pages), in the page's order."""
        filterset, queryset = self.filtered(request)
        rows = [review_export_row(r) for r in queryset]
        period = filterset.form.cleaned_data.get("period") if filterset.is_valid() else None
        content = table_workbook(
            title="待办公室审核的报告",
            subtitle=subtitle_of(form_filters(filterset.form)),
            columns=REVIEW_COLUMNS,
            rows=rows,
            sheet_title="审核队列",
        )
        return xlsx_response(export_filename("审核队列", period.code if period else ""), content)

    def render_queue(
        self,
        request: HttpRequest,
        *,
        status: int = 200,
        row_error: tuple[int, str, str] | None = None,
        bulk_error: str = "",
        refused: list[int] | tuple[int, ...] = (),
        checked: list[str] | tuple[str, ...] = (),
    ) -> HttpResponse:
        user: User = request.user  # type: ignore[assignment]
        filterset, queryset = self.filtered(request)
        page = Paginator(queryset, REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
        since = changes_since_return(list(page.object_list))
        rows = []
        for r in page.object_list:
            row = ReviewRow(
                r, Duty(r.assignment, r.unit, r.period, r), since_return=since.get(r.pk)
            )
            if row_error and row_error[0] == r.pk:
                row.error, row.comment = row_error[1], row_error[2]
            rows.append(row)
        query = request.GET.copy()
        query.pop("page", None)
        ctx = {
            "filter": filterset,
            "filtered": any(v for k, v in request.GET.items() if k != "page"),
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "bulk_error": bulk_error,
            "refused": set(refused),
            "checked": set(checked),
            **self.late_units_context(user),
        }
        return render(request, "reporting/review.html", ctx, status=status)

    def late_units_context(self, user: User) -> dict[str, Any]:
        """The open period's units that have not submitted everything, with the 催办 form: the
        office chases them from here as from the period page (a fixed number of queries)."""
        period = period_current()
        if period is None or not period.is_open:
            return {}
        records, _ = unit_records_for_period(period)
        return {
            "late_units": late_units(period, records),
            "urge_period": period,
            "can_urge": can_urge(user),
        }

    def post(self, request: HttpRequest) -> HttpResponse:
        self.check(request)
        user: User = request.user  # type: ignore[assignment]
        action = request.POST.get("action", "")
        comment = request.POST.get("comment", "")
        if action == "bulk_accept":
            ids = request.POST.getlist("reports")
            valid = [n for n in (parse_id(i) for i in ids) if n is not None]
            reports = list(report_list(user).filter(pk__in=valid))
            try:
                if len(reports) != len(set(ids)):
                    raise ApplicationError("所选报告中有的已不存在，未作任何处理，请刷新后重试。")
                accepted = svc.reports_accept(actor=user, reports=reports, comment=comment)
            except NotPermittedError:
                raise
            except ApplicationError as error:
                return self.render_queue(
                    request,
                    status=400,
                    bulk_error=error.message,
                    refused=error.extra.get("refused", []),
                    checked=ids,
                )
            messages.success(request, f"已批量审核通过 {len(accepted)} 份报告。")
            return redirect(request.get_full_path())
        if action not in ("accept", "return"):
            return self.render_queue(request, status=400, bulk_error="请选择要执行的操作。")
        report_id = request.POST.get("report", "")
        report = report_detail(user, parse_id(report_id) or 0)
        try:
            REVIEW_ACTIONS[action](actor=user, report=report, comment=comment)
        except NotPermittedError:
            raise
        except ApplicationError as error:
            return self.render_queue(
                request, status=400, row_error=(report.pk, error.message, comment)
            )
        messages.success(request, f"已{ACTION_LABELS[action]}：{report_title(report)}。")
        return redirect(request.get_full_path())
