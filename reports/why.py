"""为什么是这个灯色 (/dashboard/why/): the tasks behind one block of the dashboard, each with its
light and the facts that made it: the counted reports' statuses (unit, status, an excerpt) and the
milestones overdue on the period's as-of day (with the days).

The tasks are selected by the very function the charts count with (dashboards.block_tasks over
the same cached parts), so the page lists exactly as many tasks as the block shows. For the office
and the leader, like the dashboard; reports are listed as the reader may see them
(tasks.reporting.permissions.reports_visible_to). Queries: the dashboard's parts (cached but the
period's reports, one), then the tasks, the reports and the overdue milestones: one each.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.text import Truncator

from tasks import lights
from tasks.models import Milestone, ProgressReport, ReportingPeriod, Section, Task
from tasks.reporting.permissions import reports_visible_to
from units.models import Unit, User

from .dashboards import (
    audience_of,
    block_tasks,
    cached_milestones,
    cached_structure,
    report_part,
    severities,
)

EXCERPT_CHARS = 80


@dataclass
class WhyReport:
    report: ProgressReport
    light: str
    excerpt: str


@dataclass
class WhyMilestone:
    milestone: Milestone
    overdue_days: int
    light: str


@dataclass
class WhyTask:
    task: Task
    light: str
    reports: list[WhyReport] = field(default_factory=list)
    milestones: list[WhyMilestone] = field(default_factory=list)

    @property
    def deciding_reports(self) -> list[WhyReport]:
        """The reports whose status gives the task's light (all of them when it is green)."""
        return [r for r in self.reports if r.light == self.light or self.light == "green"]

    @property
    def other_reports(self) -> list[WhyReport]:
        return [r for r in self.reports if r not in self.deciding_reports]


def _excerpt(report: ProgressReport) -> str:
    text = " ".join((report.problems or report.narrative or "").split())
    return Truncator(text).chars(EXCERPT_CHARS)


def why_data(
    *,
    user: User,
    period: ReportingPeriod,
    section: Section | None = None,
    unit: Unit | None = None,
    light: str | None = None,
) -> dict[str, Any]:
    """The tasks of one block (see dashboards.block_tasks), worst first, with their reasons."""
    audience_of(user)  # the office, the administrator and the leader; NotPermittedError else
    plan_id = period.plan_id
    structure = cached_structure(plan_id)
    sev = severities(cached_milestones(period, plan_id), report_part(period))
    selected = block_tasks(
        structure,
        sev,
        section=section.pk if section else None,
        unit=unit.pk if unit else None,
        light=light,
    )
    # the assignments whose lights the block counts: the task's, or the unit's duties on it
    behind: dict[int, set[int]] = defaultdict(set)
    if unit is None:
        for task_id in selected:
            behind[task_id].update(structure["tasks"][task_id][1])
    else:
        for aid, unit_id, task_id, _sec in structure["duties"]:
            if unit_id == unit.pk and task_id in selected:
                behind[task_id].add(aid)
    task_of = {aid: task_id for task_id, aids in behind.items() for aid in aids}

    as_of = lights.period_as_of(period)
    rows = {
        t.pk: WhyTask(t, lights.SEVERITY_LIGHT[selected[t.pk]])
        for t in Task.objects.filter(pk__in=list(selected)).select_related("section")
    }
    reports = (
        ProgressReport.objects.filter(period=period, assignment_id__in=list(task_of))
        .filter(lights.counted_report_q())
        .filter(reports_visible_to(user))
        .select_related("unit")
        .order_by("unit__sort_order", "id")
    )
    for r in reports:
        rows[task_of[r.assignment_id]].reports.append(
            WhyReport(r, lights.report_light(r), _excerpt(r))
        )
    overdue = (
        lights.overdue_milestones(as_of)
        .filter(assignment_id__in=list(task_of))
        .select_related("unit")
        .order_by("due_date", "id")
    )
    for m in overdue:
        days = (as_of - m.due_date).days
        rows[task_of[m.assignment_id]].milestones.append(
            WhyMilestone(m, days, lights.milestone_light(days))
        )
    for row in rows.values():  # the reports that weigh most first
        row.reports.sort(key=lambda r: -lights.SEVERITY[r.light])
    tasks = sorted(rows.values(), key=lambda r: (-lights.SEVERITY[r.light], r.task.seq))
    return {
        "period": period,
        "as_of": as_of,
        "section": section,
        "unit": unit,
        "light": light,
        "light_label": lights.Light(light).label if light else "",
        "count": len(selected),
        "red_days": settings.LIGHT_RED_OVERDUE_DAYS,
        "tasks": tasks,
    }
