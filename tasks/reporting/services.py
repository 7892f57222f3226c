"""Writes of the reporting workflow: periods, progress reports, transitions, evidence.

Every function takes the acting user, checks tasks.reporting.permissions (refusing exactly what
its ``allowed_actions`` leaves out), runs in one transaction and locks the report row it changes,
so that the browser, the API, the Excel import and the jobs all follow the same rules. Errors are
raised as hefei_ai_zone.errors types with Chinese messages.
"""

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from hefei_ai_zone import clock
from hefei_ai_zone.db import locked
from hefei_ai_zone.errors import ApplicationError, ConflictError, NotPermittedError
from hefei_ai_zone.numbers import parse_int
from tasks.evidence import check_upload
from tasks.models import (
    Assignment,
    Evidence,
    PeriodState,
    Plan,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    ReportState,
    ReportTransition,
    ReportVersion,
)
from tasks.reminders import events as reminders
from tasks.reporting.models import CONTENT_FIELDS, FIELD_LABELS, PERCENT_DROP_REASON_MAX
from tasks.reporting.permissions import (
    can_accept_report,
    can_approve_report,
    can_edit_report,
    can_manage_periods,
    can_reopen_report,
    can_report_for,
    can_return_report,
    can_submit_report,
    can_write_in_period,
    may_approve_in_workflow,
    other_approvers,
    self_approval_refused,
)
from tasks.reporting.selectors import period_open_other, report_previous_submitted
from tasks.workdays.selectors import add_workdays
from units.models import Role, User
from units.notifications.services import notify
from units.permissions import is_office, is_unit_staff


def _field_error(field: str, message: str, *, summary: str | None = None) -> ApplicationError:
    return ApplicationError(summary or message, {"fields": {field: [message]}})


# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------


def quarter_dates(year: int, quarter: int) -> tuple[date, date, date]:
    """A quarter's first and last day and its due date: the PERIOD_DUE_WORKDAYS-th working day
    after the last (2023Q4: 2024-01-08, New Year's Day not counted), or PERIOD_DUE_DAYS calendar
    days after it when PERIOD_DUE_RULE is "days". WorkdayYearMissing when the due date falls in a
    year whose working days are not known."""
    start = date(year, 3 * quarter - 2, 1)
    end = (date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)) - timedelta(1)
    if settings.PERIOD_DUE_RULE == "days":
        return start, end, end + timedelta(days=settings.PERIOD_DUE_DAYS)
    return start, end, add_workdays(end, settings.PERIOD_DUE_WORKDAYS)


@transaction.atomic
def periods_ensure(*, plan: Plan) -> list[ReportingPeriod]:
    """The quarterly periods of the plan's years (2020Q1 … 2023Q4), created where missing; an
    existing period keeps its dates. A due date in a year whose working days are missing raises
    WorkdayYearMissing, naming the year, before anything is written."""
    existing = {p.code: p for p in ReportingPeriod.objects.filter(plan=plan)}
    periods = []
    for year in plan.years:
        for quarter in range(1, 5):
            code = f"{year}Q{quarter}"
            period = existing.get(code)
            if period is None:
                start, end, due = quarter_dates(year, quarter)
                period, _ = ReportingPeriod.objects.get_or_create(
                    plan=plan,
                    code=code,
                    defaults={
                        "year": year,
                        "quarter": quarter,
                        "start_date": start,
                        "end_date": end,
                        "due_date": due,
                    },
                )
            periods.append(period)
    return periods


def _one_open_period(period: ReportingPeriod, other: ReportingPeriod) -> ApplicationError:
    return _field_error(
        "period",
        f"{other.label}（{other.code}）正在填报中，同一实施方案同时只能开放一个报送周期："
        f"请先关闭{other.label}，再开放{period.label}。",
    )


@transaction.atomic
def period_open(*, actor: User, period: ReportingPeriod) -> ReportingPeriod:
    """Open a period (or reopen a closed one). One period per plan is open at a time: opening a
    second one is refused, naming the open one (and the database refuses it too)."""
    if not can_manage_periods(actor):
        raise NotPermittedError("只有领导小组办公室可以开放报送周期。")
    # the plan's row serialises the openings of its periods, so two offices opening two
    # periods at once hear which one is open rather than meeting the constraint
    list(Plan.objects.select_for_update().filter(pk=period.plan_id).values_list("pk"))
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.state == PeriodState.OPEN:
        return period
    other = period_open_other(period)
    if other is not None:
        raise _one_open_period(period, other)
    period.state = PeriodState.OPEN
    period.opened_at = clock.now()
    period.closed_at = None
    try:
        with transaction.atomic():
            period.save(update_fields=["state", "opened_at", "closed_at"])
    except IntegrityError as error:  # opened behind the application's back
        other = period_open_other(period)
        if other is None:
            raise
        raise _one_open_period(period, other) from error
    reminders.period_opened(period)
    return period


@transaction.atomic
def period_close(*, actor: User, period: ReportingPeriod) -> ReportingPeriod:
    if not can_manage_periods(actor):
        raise NotPermittedError("只有领导小组办公室可以关闭报送周期。")
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.state != PeriodState.CLOSED:
        period.state = PeriodState.CLOSED
        period.closed_at = clock.now()
        period.save(update_fields=["state", "closed_at"])
    return period


def _require_open(period: ReportingPeriod) -> None:
    if not can_write_in_period(period):
        state = "尚未开放" if period.state == PeriodState.PLANNED else "已关闭"
        raise _field_error("period", f"{period.label}（{period.code}）{state}，不能填报或提交。")


# ---------------------------------------------------------------------------------------------
# Reports
# ---------------------------------------------------------------------------------------------


def _snapshot(report: ProgressReport) -> dict[str, Any]:
    return {f: getattr(report, f) for f in CONTENT_FIELDS}


def _clean_content(changes: dict[str, Any]) -> dict[str, Any]:
    """Validate the content fields given; every error names its field, in Chinese."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for field, value in changes.items():
        if value is None:
            continue
        if field == "percent":
            text = str(value).strip()
            parsed = parse_int(value, max_digits=6)
            if parsed is None:
                errors[field] = ["完成进度必须是 0 到 100 之间的整数。"]
                continue
            number = parsed
            if not 0 <= number <= 100:
                errors[field] = [f"完成进度必须在 0 到 100 之间，收到的是 {number}。"]
                continue
            clean[field] = number
        elif field == "status":
            if value not in ProgressStatus.values and value != "":
                errors[field] = ["进展状态无效，应为：" + "、".join(ProgressStatus.labels) + "。"]
                continue
            clean[field] = value
        else:
            text = str(value).replace("\r\n", "\n").strip()
            if field == "percent_drop_reason" and len(text) > PERCENT_DROP_REASON_MAX:
                errors[field] = [
                    f"进度下降原因不能超过 {PERCENT_DROP_REASON_MAX} 字，当前 {len(text)} 字。"
                ]
                continue
            if len(text) > settings.REPORT_TEXT_MAX_CHARS:
                errors[field] = [
                    f"{FIELD_LABELS[field]}不能超过 {settings.REPORT_TEXT_MAX_CHARS}"
                    f" 字，当前 {len(text)} 字。"
                ]
                continue
            clean[field] = text
    if errors:
        names = "、".join(FIELD_LABELS[f] for f in errors)
        raise ApplicationError(f"以下内容有误：{names}。", {"fields": errors})
    return clean


def _completed_needs_100(status: str, percent: int) -> str:
    """The message when the status says 已完成 and the percent does not, else ""."""
    if status == ProgressStatus.COMPLETED and percent != 100:
        return (
            f"进展状态为“已完成”时，完成进度应为 100%，当前填的是 {percent}%；"
            "尚未全部完成的，请选择“按计划推进”等其他状态。"
        )
    return ""


def _check_completed(status: str, percent: int) -> None:
    message = _completed_needs_100(status, percent)
    if message:
        raise _field_error("percent", message)


def _percent_drop(
    *, assignment_id: int, unit_id: int, period: ReportingPeriod, percent: int
) -> ProgressReport | None:
    """The earlier submitted report whose percent this one falls below, if any."""
    previous = report_previous_submitted(
        assignment_id=assignment_id, unit_id=unit_id, period=period
    )
    return previous if previous is not None and percent < previous.percent else None


def _drop_reason_missing(report: ProgressReport) -> str:
    """The message when the percent is lower than the last submitted report's and no reason
    is given, else ""."""
    if report.percent_drop_reason.strip():
        return ""
    previous = _percent_drop(
        assignment_id=report.assignment_id,
        unit_id=report.unit_id,
        period=report.period,
        percent=report.percent,
    )
    if previous is None:
        return ""
    return (
        f"完成进度 {report.percent}% 低于上期（{previous.period.label}）报送的"
        f" {previous.percent}%，请说明进度下降的原因。"
    )


def _keep_reason_only_on_a_drop(
    clean: dict[str, Any], *, report: ProgressReport | None, parts: dict[str, Any]
) -> None:
    """A reason for a drop is kept only while the percent is below the last submitted one."""
    reason = clean.get("percent_drop_reason", report.percent_drop_reason if report else "")
    if reason and _percent_drop(**parts) is None:
        clean["percent_drop_reason"] = ""


def _record_version(report: ProgressReport, actor: User) -> None:
    ReportVersion.objects.create(
        report=report, version=report.version, edited_by=actor, **_snapshot(report)
    )


def _refuse_edit(actor: User, report: ProgressReport) -> None:
    if not is_unit_staff(actor) or report.unit_id != actor.unit_id:
        raise NotPermittedError("只有本单位的填报员或审核人可以修改本单位的报告。")
    raise ApplicationError(
        f"报告当前状态为“{report.get_state_display()}”，不能修改；"
        "如需修改，请由审核人或领导小组办公室退回。"
    )


def report_start(
    *, actor: User, assignment: Assignment, period: ReportingPeriod, **content: Any
) -> ProgressReport:
    """The actor's unit's report on the assignment for the period (see report_open)."""
    return report_open(actor=actor, assignment=assignment, period=period, **content)[0]


@transaction.atomic
def report_open(
    *, actor: User, assignment: Assignment, period: ReportingPeriod, **content: Any
) -> tuple[ProgressReport, bool]:
    """The actor's unit's report on the assignment for the period, and whether it was created:
    created as a draft when it does not exist yet (with any content given), returned as it is
    otherwise."""
    if not can_report_for(actor, assignment):
        raise NotPermittedError(
            "您所在的单位不承担这项任务，不能为它填报。",
            {"fields": {"assignment": ["不是本单位承担的任务或示范工程。"]}},
        )
    owner = assignment.task or assignment.demo
    if owner is None or owner.plan_id != period.plan_id:
        raise _field_error("assignment", "这项分工不属于该报送周期所在的实施方案。")
    _require_open(period)
    clean = _clean_content(content)
    _check_completed(clean.get("status", ""), clean.get("percent", 0))
    parts = {"assignment_id": assignment.pk, "unit_id": actor.unit_id, "period": period}
    _keep_reason_only_on_a_drop(
        clean, report=None, parts=parts | {"percent": clean.get("percent", 0)}
    )
    report, created = ProgressReport.objects.get_or_create(
        period=period,
        assignment=assignment,
        unit=actor.unit,
        defaults={"created_by": actor, "updated_by": actor, **clean},
    )
    if created:
        _record_version(report, actor)
    return report, created


@transaction.atomic
def report_update(
    *, actor: User, report: ProgressReport, version: int | None, **changes: Any
) -> ProgressReport:
    """Save new content if the actor loaded the latest version; otherwise refuse and show the
    other person's change (ConflictError, HTTP 409)."""
    report = locked(report, "period", "assignment__unit", "unit")
    if not can_edit_report(actor, report):
        _refuse_edit(actor, report)
    _require_open(report.period)
    if version is None:
        raise _field_error("version", "缺少版本号：请先读取报告，再提交修改。")
    if int(version) != report.version:
        editor = report.updated_by.display_name if report.updated_by else "他人"
        when = timezone.localtime(report.updated_at).strftime("%Y-%m-%d %H:%M")
        raise ConflictError(
            f"{editor}已于 {when} 修改了这份报告（当前为第 {report.version} 版），您的修改"
            "没有保存。请查看对方的修改，再在最新版本上修改。",
            {
                "version": report.version,
                "updated_by": editor,
                "updated_at": report.updated_at.isoformat(),
                "current": _snapshot(report),
            },
        )
    clean = _clean_content(changes)
    percent = clean.get("percent", report.percent)
    _check_completed(clean.get("status", report.status), percent)
    parts = {
        "assignment_id": report.assignment_id,
        "unit_id": report.unit_id,
        "period": report.period,
        "percent": percent,
    }
    _keep_reason_only_on_a_drop(clean, report=report, parts=parts)
    if all(getattr(report, f) == v for f, v in clean.items()):
        return report
    for field, value in clean.items():
        setattr(report, field, value)
    report.version += 1
    report.updated_by = actor
    report.save()
    _record_version(report, actor)
    return report


def _transition(
    report: ProgressReport, *, actor: User, action: str, to_state: str, comment: str = ""
) -> None:
    ReportTransition.objects.create(
        report=report,
        action=action,
        from_state=report.state,
        to_state=to_state,
        actor=actor,
        comment=comment,
        version=report.version,
    )
    report.state = to_state


def _comment(comment: str) -> str:
    """An optional review comment, at most COMMENT_MAX_CHARS characters."""
    comment = (comment or "").strip()
    limit = settings.COMMENT_MAX_CHARS
    if len(comment) > limit:
        raise _field_error("comment", f"意见不能超过 {limit} 字，当前 {len(comment)} 字。")
    return comment


def _require_comment(comment: str, what: str) -> str:
    comment = _comment(comment)
    if not comment:
        raise _field_error("comment", f"{what}时必须填写意见，说明原因。")
    return comment


@transaction.atomic
def report_submit(*, actor: User, report: ProgressReport) -> ProgressReport:
    report = locked(report, "period", "assignment__unit", "unit")
    if not can_submit_report(actor, report):
        _refuse_edit(actor, report)
    _require_open(report.period)
    errors = {}
    if not report.status:
        errors["status"] = ["提交前必须选择进展状态。"]
    if not report.narrative.strip():
        errors["narrative"] = ["提交前必须填写进展情况。"]
    rules = {
        "percent": _completed_needs_100(report.status, report.percent),
        "percent_drop_reason": _drop_reason_missing(report),
    }
    if errors:
        names = "、".join(FIELD_LABELS[f] for f in errors)
        errors |= {field: [message] for field, message in rules.items() if message}
        raise ApplicationError(f"报告还不完整，不能提交：请填写{names}。", {"fields": errors})
    broken = {field: [message] for field, message in rules.items() if message}
    if broken:
        summary = "".join(message for [message] in broken.values())
        raise ApplicationError(f"报告不能提交：{summary}", {"fields": broken})
    _transition(report, actor=actor, action="submit", to_state=ReportState.SUBMITTED)
    report.submitted_at = clock.now()
    report.save(update_fields=["state", "submitted_at", "updated_at"])
    reminders.report_submitted(report)
    return report


def report_approve(*, actor: User, report: ProgressReport, comment: str = "") -> ProgressReport:
    _self_approval_check(actor, report)
    return _report_approve(actor=actor, report=report, comment=comment)


def _self_approval_check(actor: User, report: ProgressReport) -> None:
    """The person who wrote a report does not approve it (issue 11), unless the office allows it
    for the unit (``Unit.self_approval_allowed``). When nobody else in the unit can approve, the
    reason says so and the office is told, once per report — in a transaction of its own, since
    the refusal rolls back the caller's."""
    if not (may_approve_in_workflow(actor, report) and self_approval_refused(actor, report)):
        return
    if other_approvers(actor, report):
        raise NotPermittedError(
            "您参与撰写或提交了这份报告，不能审核自己的报告；请本单位其他审核人审核。"
        )
    unit = report.unit
    with transaction.atomic():
        notify(
            rule="self_approval",
            key=f"self_approval:{report.pk}",
            recipients=User.objects.filter(role=Role.OFFICE, is_active=True).order_by("pk"),
            title=f"{unit.name}没有其他审核人，报告无法审核",
            body=(
                f"{unit.name}的报告（{report.assignment}，{report.period.label}）由本单位唯一的"
                "审核人撰写或提交，按规定不能本人审核。请为该单位增加审核人，或在单位页面允许"
                "本人审核。"
            ),
            link=reverse("reporting:report-detail", args=[report.pk]),
        )
    raise NotPermittedError(
        "您参与撰写或提交了这份报告，不能审核自己的报告；本单位没有其他审核人，"
        "已通知领导小组办公室处理（增加审核人或允许本单位本人审核）。"
    )


@transaction.atomic
def _report_approve(*, actor: User, report: ProgressReport, comment: str) -> ProgressReport:
    report = locked(report, "period", "assignment__unit", "unit")
    if not can_approve_report(actor, report):
        if may_approve_in_workflow(actor, report):
            raise NotPermittedError("您参与撰写或提交了这份报告，不能审核自己的报告。")
        raise NotPermittedError("只有本单位的审核人可以审核待审核的报告。")
    _transition(
        report,
        actor=actor,
        action="approve",
        to_state=ReportState.APPROVED,
        comment=_comment(comment),
    )
    report.save(update_fields=["state", "updated_at"])
    reminders.report_approved(report)
    return report


@transaction.atomic
def report_return(*, actor: User, report: ProgressReport, comment: str) -> ProgressReport:
    report = locked(report, "period", "assignment__unit", "unit")
    if not can_return_report(actor, report):
        raise NotPermittedError(
            "只有本单位审核人（待单位审核时）或领导小组办公室（待办公室审核时）可以退回这份报告。"
        )
    comment = _require_comment(comment, "退回")
    _transition(
        report, actor=actor, action="return", to_state=ReportState.RETURNED, comment=comment
    )
    report.save(update_fields=["state", "updated_at"])
    reminders.report_returned(report)
    return report


def _accept(report: ProgressReport, actor: User, comment: str) -> None:
    _transition(
        report,
        actor=actor,
        action="accept",
        to_state=ReportState.ACCEPTED,
        comment=_comment(comment),
    )
    report.accepted_at = clock.now()
    report.save(update_fields=["state", "accepted_at", "updated_at"])


@transaction.atomic
def report_accept(*, actor: User, report: ProgressReport, comment: str = "") -> ProgressReport:
    report = locked(report, "period", "assignment__unit", "unit")
    if not can_accept_report(actor, report):
        if not is_office(actor):
            raise NotPermittedError("只有领导小组办公室可以审核通过报告。")
        raise ApplicationError(
            f"报告当前状态为“{report.get_state_display()}”，不在待办公室审核之列。"
        )
    _accept(report, actor, comment)
    return report


@transaction.atomic
def reports_accept(
    *, actor: User, reports: list[ProgressReport], comment: str = ""
) -> list[ProgressReport]:
    """Accept several reports at once: all of them, or (if any cannot be) none."""
    if not is_office(actor):
        raise NotPermittedError("只有领导小组办公室可以审核通过报告。")
    if not reports:
        raise _field_error("reports", "请至少选择一份报告。")
    comment = _comment(comment)
    locked = list(
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("period", "unit", "assignment__task")
        .filter(pk__in=[r.pk for r in reports])
        .order_by("pk")
    )
    refused = [r for r in locked if not can_accept_report(actor, r)]
    if refused:
        names = "；".join(
            f"{r.unit.name} {r.period.code}（{r.get_state_display()}）" for r in refused[:5]
        )
        raise ApplicationError(
            f"有 {len(refused)} 份报告不在待办公室审核之列，未作任何处理：{names}。",
            {"refused": [r.pk for r in refused]},
        )
    for report in locked:
        _accept(report, actor, comment)
    return locked


@transaction.atomic
def report_reopen(*, actor: User, report: ProgressReport, comment: str) -> ProgressReport:
    report = locked(report, "period", "assignment__unit", "unit")
    if not can_reopen_report(actor, report):
        if not is_office(actor):
            raise NotPermittedError("只有领导小组办公室可以重新打开已通过的报告。")
        raise ApplicationError("只有已通过的报告才需要重新打开。")
    comment = _require_comment(comment, "重新打开")
    _transition(
        report, actor=actor, action="reopen", to_state=ReportState.RETURNED, comment=comment
    )
    report.accepted_at = None
    report.save(update_fields=["state", "accepted_at", "updated_at"])
    return report


# ---------------------------------------------------------------------------------------------
# Evidence
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def evidence_add(*, actor: User, report: ProgressReport, upload: UploadedFile) -> Evidence:
    report = locked(report, "period", "assignment__unit", "unit")
    if not can_edit_report(actor, report):
        _refuse_edit(actor, report)
    _require_open(report.period)
    checked = check_upload(upload)
    evidence = Evidence(
        report=report,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    evidence.file.save(checked.name, upload, save=False)
    stored = evidence.file.name
    try:
        evidence.save()
    except Exception:
        evidence.file.storage.delete(stored)  # type: ignore[arg-type]  # saved: it has a name
        raise
    return evidence


@transaction.atomic
def evidence_remove(*, actor: User, evidence: Evidence) -> None:
    report = locked(evidence.report, "period", "assignment__unit", "unit")
    if not can_edit_report(actor, report):
        _refuse_edit(actor, report)
    _require_open(report.period)
    storage, name = evidence.file.storage, evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))  # type: ignore[arg-type]  # it has a name


def report_save(
    *,
    actor: User,
    report: ProgressReport,
    version: int | None,
    content: dict[str, Any],
    upload: UploadedFile | None = None,
    remove: Evidence | None = None,
    submit: bool = False,
) -> ProgressReport:
    """One press of the report form's button, all or nothing: save the text, add or remove a
    file, and submit. A refused submission leaves neither the text nor a new file behind (a file
    already written to storage is deleted when the transaction rolls back)."""
    stored: list[str] = []
    try:
        with transaction.atomic():
            report = report_update(actor=actor, report=report, version=version, **content)
            if remove is not None:
                evidence_remove(actor=actor, evidence=remove)
            if upload is not None:
                stored.append(evidence_add(actor=actor, report=report, upload=upload).file.name)  # type: ignore[arg-type]
            if submit:
                report = report_submit(actor=actor, report=report)
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise
    return report
