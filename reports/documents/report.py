"""A single progress report as a PDF (kind ``report``): the unit's report for one period in the
公文 layout (the reporting unit at the head, a 草稿 mark until it is submitted), its fields and
its timeline. Who may request and read it: whoever may see the report
(tasks.reporting.permissions)."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.utils import timezone

from hefei_ai_zone import clock
from hefei_ai_zone.errors import ApplicationError
from tasks.reporting.models import (
    ACTION_LABELS,
    SUBMITTED_STATES,
    ProgressReport,
    ReportTransition,
)
from tasks.reporting.permissions import reports_visible_to
from units.models import User

from .layout import Letterhead, chinese_date, pdf_render
from .registry import CONTENT_TYPES, Builder, BuiltFile, Progress, param_id, register

KIND = "report"


def _report(pk: int) -> ProgressReport | None:
    return (
        ProgressReport.objects.select_related(
            "period", "unit", "assignment__task__plan", "assignment__demo", "assignment__unit"
        )
        .filter(pk=pk)
        .first()
    )


def parse_params(raw: Mapping[str, str]) -> dict[str, Any]:
    value = str(raw.get("report", "")).strip()
    if not value.isascii() or not value.isdigit():
        raise ApplicationError("进展报告编号无效。", {"fields": {"report": ["编号无效。"]}})
    if not ProgressReport.objects.filter(pk=int(value)).exists():
        raise ApplicationError("没有这份进展报告。", {"fields": {"report": ["没有这份报告。"]}})
    return {"report": int(value)}


def may_read(user: User, params: dict[str, Any]) -> bool:
    """The same rule as seeing the report (a unit its own in every state, others' submitted)."""
    return ProgressReport.objects.filter(
        reports_visible_to(user), pk=param_id(params, "report")
    ).exists()


def what(report: ProgressReport) -> str:
    a = report.assignment
    if a.task_id and a.task is not None:
        return f"任务 {a.task.code}"
    return f"示范工程“{a.demo.name}”" if a.demo is not None else "任务"


def describe(params: dict[str, Any]) -> str:
    report = _report(param_id(params, "report"))
    if report is None:
        return "进展报告（已删除）"
    return f"{report.unit.name} · {report.period.label} · {what(report)} 进展报告"


def facts(report: ProgressReport) -> list[tuple[str, str]]:
    a = report.assignment
    subject = f"{what(report)}　{a.task.content}" if a.task is not None else what(report)
    rows = [
        ("任务" if a.task_id else "示范工程", subject),
        ("填报单位", f"{report.unit.full_name or report.unit.name}（{a.get_role_display()}）"),
        ("报送周期", f"{report.period.label}（{report.period.code}）"),
        ("流程状态", f"{report.get_state_display()}（第 {report.version} 版）"),
        (
            "进展状态",
            f"{report.get_status_display() or '未选择'}，完成 {report.percent}%",
        ),
    ]
    if report.submitted_at:
        rows.append(("提交时间", chinese_date(clock.local_date(report.submitted_at))))
    return rows


def moment(value: datetime) -> str:
    local = timezone.localtime(value)
    return f"{chinese_date(local.date())} {local:%H:%M}"


def timeline(report: ProgressReport) -> list[list[str]]:
    steps = ReportTransition.objects.filter(report=report).select_related("actor")
    return [
        [
            moment(t.created_at),
            ACTION_LABELS.get(t.action, t.action),
            t.actor.display_name if t.actor else "—",
            t.comment,
        ]
        for t in steps
    ]


def build(params: dict[str, Any], fmt: str, progress: Progress) -> BuiltFile:
    progress(10, "读取进展报告")
    report = _report(param_id(params, "report"))
    if report is None:
        raise ApplicationError("这份进展报告已不存在。")
    unit = report.unit.full_name or report.unit.name
    head = Letterhead(
        title=f"{report.period.label}{what(report)}进展报告",
        date=clock.local_date(report.submitted_at) if report.submitted_at else None,
        issuer=unit,
        draft=report.state not in SUBMITTED_STATES,
    )
    sections = [
        ("一、进展情况", report.narrative),
        ("二、存在问题", report.problems),
        ("三、下步计划", report.next_steps),
    ]
    if report.percent_drop_reason:
        sections.append(("四、进度下降原因", report.percent_drop_reason))
    progress(40, "排版")
    context = {
        "report": report,
        "facts": facts(report),
        "sections": sections,
        "timeline": timeline(report),
        "evidence": list(report.evidence.values_list("original_name", flat=True)),
    }
    content = pdf_render("documents/report.html", context, head)
    progress(90, "写入文件")
    filename = f"进展报告（{report.unit.name}·{report.period.code}·{what(report)}）.pdf"
    return BuiltFile(filename=filename, content=content, content_type=CONTENT_TYPES[fmt])


register(
    Builder(
        kind=KIND,
        label="进展报告",
        formats=("pdf",),
        parse_params=parse_params,
        may_request=may_read,
        may_read=may_read,
        build=build,
        describe=describe,
    )
)
