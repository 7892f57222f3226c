"""What the reporting pages share: action labels, the review actions, a period by its code."""

from collections.abc import Callable

from django.shortcuts import get_object_or_404

from tasks.reporting import services as svc
from tasks.reporting.models import (  # noqa: F401  (ACTION_LABELS: its home is the models)
    ACTION_LABELS,
    ProgressReport,
    ReportingPeriod,
    ReportState,
    ReportTransition,
)
from tasks.reporting.selectors import period_list

REVIEW_ACTIONS: dict[str, Callable[..., ProgressReport]] = {
    "approve": svc.report_approve,
    "return": svc.report_return,
    "accept": svc.report_accept,
    "reopen": svc.report_reopen,
}


def returned_by(report: ProgressReport) -> ReportTransition | None:
    """The transition that sent the report back (its comment is what the reporter must fix)."""
    if report.state != ReportState.RETURNED:
        return None
    back = [
        t
        for t in report.transitions.all()
        if t.to_state == ReportState.RETURNED and t.action != "urge"
    ]
    return back[-1] if back else None


def period_by_code(code: str) -> ReportingPeriod:
    return get_object_or_404(period_list(), code=code)


def report_title(report: ProgressReport) -> str:
    a = report.assignment
    what = f"任务 {a.task.code}" if a.task_id else f"示范工程“{a.demo.name}”"  # type: ignore[union-attr]
    return f"{report.unit.name} · {report.period.code} · {what}"
