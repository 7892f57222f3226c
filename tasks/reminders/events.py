"""Notices at the moment something happens, called by the services where it happens, inside
their transaction (``notify`` writes the rows; the deliveries are enqueued after the commit).

Each is written once per event: the key names the report and the transition (a report returned
twice is two events), the period, the ledger entry and the moment of its rejection.
"""

from django.urls import reverse

from tasks.ledger.models import AchievementEntry
from tasks.reporting.models import ProgressReport, ReportingPeriod, ReportTransition
from units.models import Role, User
from units.notifications.services import notify


def _last_transition(report: ProgressReport, action: str) -> int:
    return (
        ReportTransition.objects.filter(report=report, action=action)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
        or 0
    )


def _staff(unit_id: int | None, role: str) -> list[User]:
    if unit_id is None:
        return []
    return list(User.objects.filter(is_active=True, unit_id=unit_id, role=role).order_by("id"))


def _title(report: ProgressReport) -> str:
    a = report.assignment
    what = a.task.code if a.task_id and a.task else (a.demo.name if a.demo else "任务")
    return f"{report.period.label} {what}"


def report_returned(report: ProgressReport) -> None:
    """A report returned: its unit's reporters."""
    notify(
        rule="report_returned",
        key=f"report:{report.pk}:return:{_last_transition(report, 'return')}",
        recipients=_staff(report.unit_id, Role.REPORTER),
        title=f"进展报告被退回：{_title(report)}",
        body="请按退回意见修改后重新提交。",
        link=reverse("reporting:report-detail", args=[report.pk]),
    )


def report_submitted(report: ProgressReport) -> None:
    """A report waiting for the unit's approver: the approvers; a unit without one sends its
    reports straight to the office's queue, so the office is told."""
    key = f"report:{report.pk}:submit:{_last_transition(report, 'submit')}"
    approvers = _staff(report.unit_id, Role.APPROVER)
    if not approvers:
        _tell_office(report, rule="report_submitted", key=key)
        return
    notify(
        rule="report_submitted",
        key=key,
        recipients=approvers,
        title=f"待审核：{report.unit.name} {_title(report)}",
        body="本单位填报员已提交进展报告，请审核。",
        link=reverse("reporting:approvals"),
    )


def _tell_office(report: ProgressReport, *, rule: str, key: str) -> None:
    notify(
        rule=rule,
        key=key,
        recipients=User.objects.filter(is_active=True, role=Role.OFFICE).order_by("id"),
        title=f"待办公室审核：{report.unit.name} {_title(report)}",
        body="进展报告已提交，请领导小组办公室审核。",
        link=reverse("reporting:review"),
    )


def report_approved(report: ProgressReport) -> None:
    """A report approved by its unit: the office's queue."""
    key = f"report:{report.pk}:approve:{_last_transition(report, 'approve')}"
    _tell_office(report, rule="report_approved", key=key)


def period_opened(period: ReportingPeriod) -> None:
    """A period opened: every unit's reporters and approvers (once per period)."""
    notify(
        rule="period_opened",
        key=f"period:{period.pk}",
        recipients=User.objects.filter(
            is_active=True, role__in=[Role.REPORTER, Role.APPROVER], unit__isnull=False
        ).order_by("id"),
        title=f"{period.label}进展报告开始填报，截止日期{period.due_date:%Y年%m月%d日}",
        body="请在截止日期前完成本单位各项任务的进展报告。",
        link=reverse("reporting:my-tasks"),
    )


def entry_rejected(entry: AchievementEntry) -> None:
    """A ledger entry rejected: its unit's reporters and the person who entered it."""
    people = _staff(entry.unit_id, Role.REPORTER)
    if entry.created_by is not None:
        people.append(entry.created_by)
    stamp = f"{entry.verified_at:%Y%m%d%H%M%S}" if entry.verified_at else "0"
    notify(
        rule="entry_rejected",
        key=f"entry:{entry.pk}:rejected:{stamp}",
        recipients=people,
        title=f"台账条目未通过核实：{entry.title[:60]}",
        body=entry.review_comment,
        link=reverse("ledger:entry-detail", args=[entry.pk]),
    )
