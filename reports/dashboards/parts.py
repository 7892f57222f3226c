"""The dashboard's parts, each computed from one kind of rows and cached under the versions of
those rows (reports.dashboards.cache): after a report is saved only the report part is counted
again. Everything is aggregated in the database: a fixed number of queries whatever the number
of reports (GROUP BY over indexed columns, read from the indexes alone where it pays)."""

from collections import defaultdict
from datetime import date
from typing import Any

from django.db.models import Count, Max, Q

from tasks import lights
from tasks.ledger.selectors import indicator_progress
from tasks.models import (
    SUBMITTED_STATES,
    Assignment,
    AssignmentRole,
    Milestone,
    Plan,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    ReportState,
)
from units.models import Unit, UnitKind

from .cache import LEDGER_VERSION_KEY, MILESTONE_VERSION_KEY, PLAN_VERSION_KEY, cached
from .periods import raw_rows

MILESTONE_COUNTS = ("due", "done", "overdue", "due_in_period", "done_in_period")
REPORT_COUNTS = ("submitted", "late", "green", "draft", "returned")
# 按计划推进占比 on the scorecard: the submitted reports saying 按计划推进 or 已完成
GREEN_STATUSES = (ProgressStatus.ON_TRACK, ProgressStatus.COMPLETED)


def plan_structure(plan_id: int) -> dict[str, Any]:
    """Who holds which duty of the plan: the assignments with their units (a group's assignment
    is a duty of each member, never of the group itself), tasks, sections and demo projects, in
    plain tuples, lists and dicts (it is cached). Two queries."""
    rows = raw_rows(
        Assignment.objects.filter(Q(task__plan=plan_id) | Q(demo__plan=plan_id))
        .values_list(
            "id",
            "role",
            "task_id",
            "demo_id",
            "unit_id",
            "unit__name",
            "unit__kind",
            "unit__sort_order",
            "task__section_id",
            "task__section__code",
            "task__section__number",
            "task__section__title",
            "task__section__seq",
            "demo__seq",
            "demo__name",
            "demo__field",
            "demo__start_year",
            "demo__end_year",
        )
        .order_by("order", "id")
    )
    members: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for group_id, unit_id, name, order in Unit.members.through.objects.values_list(
        "from_unit_id", "to_unit_id", "to_unit__name", "to_unit__sort_order"
    ):
        members[group_id].append((unit_id, name, order))
    units: dict[int, tuple[int, str, int]] = {}
    duties: list[tuple[int, int, int | None, int | None]] = []
    tasks: dict[int, tuple[int, list[int]]] = {}
    sections: dict[int, dict[str, Any]] = {}
    demos: dict[int, dict[str, Any]] = {}
    for row in rows:
        aid, role, task_id, demo_id, unit_id, unit_name, kind, order, sec_id = row[:9]
        holders = (
            members.get(unit_id, []) if kind == UnitKind.GROUP else [(unit_id, unit_name, order)]
        )
        for holder in holders:
            units.setdefault(holder[0], holder)
            duties.append((aid, holder[0], task_id, sec_id))
        if task_id is not None:
            tasks.setdefault(task_id, (sec_id, []))[1].append(aid)
            if sec_id not in sections:
                sec_code, sec_number, sec_title, sec_seq = row[9:13]
                sections[sec_id] = {
                    "id": sec_id,
                    "code": sec_code,
                    "label": f"{sec_number}{sec_title}",
                    "seq": sec_seq,
                }
        if demo_id is not None:
            seq, name, field, start_year, end_year = row[13:18]
            demo = demos.setdefault(
                demo_id,
                {
                    "id": demo_id,
                    "seq": seq,
                    "name": name,
                    "field": field,
                    "start_year": start_year,
                    "end_year": end_year,
                    "units": [],
                    "assignments": [],
                },
            )
            demo["units"].append(unit_name + ("（牵头）" if role == AssignmentRole.LEAD else ""))
            demo["assignments"].append(aid)
    return {
        "duties": duties,
        "units": sorted(units.values(), key=lambda u: (u[2], u[0])),
        "tasks": tasks,
        "sections": sorted(sections.values(), key=lambda s: s["seq"]),
        "demos": sorted(demos.values(), key=lambda d: d["seq"]),
    }


def milestone_part(period: ReportingPeriod, plan_id: int) -> dict[str, Any]:
    """The confirmed milestones of the plan on the period's as-of day, counted in the database:
    per unit and in total, those due this year up to the as-of day and done by then (``due``,
    ``done``; 年度工作安排: the annual assessment counts the year's milestones), those overdue on
    that day whatever their year (``overdue``), those due within the period and done by the
    as-of day (``due_in_period``, ``done_in_period``); and per assignment the severity its
    overdue milestones give (tasks.lights.milestone_severity_expression). Two queries, over this
    year's milestones and the overdue ones (indexed: never done, or done after the day), never
    every milestone to date."""
    as_of = lights.period_as_of(period)
    year_start = date(as_of.year, 1, 1)
    done_after = lights.done_after(as_of)
    done_by = Q(done_at__lt=done_after)
    this_year = Q(due_date__gte=year_start, due_date__lte=as_of)
    in_period = Q(due_date__gte=period.start_date, due_date__lte=period.end_date)
    plan_assignments = Assignment.objects.filter(
        Q(task__plan=plan_id) | Q(demo__plan=plan_id)
    ).values("pk")
    confirmed = Milestone.objects.filter(
        arrangement_confirmed=True, assignment__in=plan_assignments
    )
    # the year's and the period's milestones: a range of due dates, read from the index alone
    counts = raw_rows(
        confirmed.filter(
            due_date__gte=min(year_start, period.start_date), due_date__lte=period.end_date
        )
        .values_list("unit_id")
        .annotate(
            due=Count("id", filter=this_year),
            done=Count("id", filter=this_year & done_by),
            due_in_period=Count("id", filter=in_period),
            done_in_period=Count("id", filter=in_period & done_by),
        )
        .order_by()
    )
    # the overdue ones, whatever their year: never done (a partial index) or done after the day
    overdue_rows = raw_rows(
        confirmed.filter(lights.overdue_q(as_of))
        .values_list("assignment_id", "unit_id")
        .annotate(sev=Max(lights.milestone_severity_expression(as_of)), n=Count("id"))
        .order_by()
    )
    per_unit: dict[int, dict[str, int]] = {}
    for unit_id, due, done, due_in_period, done_in_period in counts:
        per_unit[unit_id] = {
            "due": due,
            "done": done,
            "overdue": 0,
            "due_in_period": due_in_period,
            "done_in_period": done_in_period,
        }
    severity: dict[int, int] = {}
    for aid, unit_id, sev, n in overdue_rows:
        if sev:
            severity[aid] = max(severity.get(aid, 0), sev)
        per_unit.setdefault(unit_id, dict.fromkeys(MILESTONE_COUNTS, 0))["overdue"] += n
    total = {field: sum(u[field] for u in per_unit.values()) for field in MILESTONE_COUNTS}
    return {"units": per_unit, "total": total, "severity": severity}


def report_part(period: ReportingPeriod) -> dict[str, Any]:
    """The period's reports counted in the database per (assignment, unit): per unit how many
    are submitted, late, on track (按计划推进 or 已完成), drafts and returned; per assignment the
    severity its counted reports give (tasks.lights.status_severity_expression: submitted
    reports only). One query."""
    submitted = Q(state__in=SUBMITTED_STATES)
    rows = raw_rows(
        ProgressReport.objects.filter(period=period)
        .values_list("assignment_id", "unit_id")
        .annotate(
            sev=Max(lights.status_severity_expression()),
            submitted=Count("id", filter=submitted),
            late=Count("id", filter=submitted & Q(submitted_at__date__gt=period.due_date)),
            green=Count("id", filter=submitted & Q(status__in=GREEN_STATUSES)),
            draft=Count("id", filter=Q(state=ReportState.DRAFT)),
            returned=Count("id", filter=Q(state=ReportState.RETURNED)),
        )
        .order_by()
    )
    per_unit: dict[int, list[int]] = {}
    severity: dict[int, int] = {}
    for aid, unit_id, sev, *counts in rows:
        if sev:
            severity[aid] = max(severity.get(aid, 0), sev)
        unit = per_unit.setdefault(unit_id, [0] * len(REPORT_COUNTS))
        for i, n in enumerate(counts):
            unit[i] += n
    return {
        "units": {u: dict(zip(REPORT_COUNTS, c, strict=True)) for u, c in per_unit.items()},
        "severity": severity,
    }


def indicator_values(plan: Plan) -> list[dict[str, Any]]:
    """Each indicator's actual (verified ledger entries) and target per year: three queries."""
    return [
        {
            "id": ip.indicator.pk,
            "code": ip.indicator.code,
            "name": ip.indicator.name,
            "measure": ip.indicator.measure,
            "years": [
                {
                    "year": y.year,
                    "actual": y.actual,
                    "target": y.target.min_value if y.target else None,
                    "target_max": y.target.max_value if y.target else None,
                    "cumulative": bool(y.target and y.target.cumulative),
                    "met": y.met,
                }
                for y in ip.years
            ],
        }
        for ip in indicator_progress(plan)
    ]


def cached_structure(plan_id: int) -> dict[str, Any]:
    return cached(f"plan:{plan_id}", lambda: plan_structure(plan_id), (PLAN_VERSION_KEY,))


def cached_milestones(period: ReportingPeriod, plan_id: int) -> dict[str, Any]:
    return cached(
        f"milestones:{period.pk}:{lights.period_as_of(period)}",
        lambda: milestone_part(period, plan_id),
        (PLAN_VERSION_KEY, MILESTONE_VERSION_KEY),
    )


def cached_indicators(plan: Plan) -> list[dict[str, Any]]:
    return cached(
        f"indicators:{plan.pk}",
        lambda: indicator_values(plan),
        (PLAN_VERSION_KEY, LEDGER_VERSION_KEY),
    )


def severities(milestones: dict[str, Any], reports: dict[str, Any]) -> dict[int, int]:
    """Each assignment's severity: the worst of its counted reports' and its overdue
    milestones' (absent: grey)."""
    sev = dict(milestones["severity"])
    for aid, s in reports["severity"].items():
        if s > sev.get(aid, 0):
            sev[aid] = s
    return sev
