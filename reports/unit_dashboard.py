"""One unit's dashboard (本单位总览): its assignments with their lights, its milestones, its
on-time record over the periods and what is due, for its own staff, the office and the leader.
Same rules and the same light query as the whole plan's dashboard (reports.dashboards), limited
to the unit's assignments. A fixed number of queries whatever the data size: the milestones are
counted in the database and at most MILESTONE_ROWS of them are listed."""

from datetime import date
from typing import Any

from django.db.models import Count, Q

from hefei_ai_zone.errors import NotPermittedError
from tasks.lights import Light, period_as_of
from tasks.models import (
    SUBMITTED_STATES,
    AssignmentRole,
    Milestone,
    MilestoneState,
    ProgressReport,
    ReportingPeriod,
)
from tasks.reporting.selectors import duties_for_unit, unit_record
from tasks.supervision.selectors import SupervisionCounts, supervision_counts
from units.models import Unit, User
from units.permissions import can_see_unit_record, is_office, is_unit_staff

from .dashboards import LIGHTS, assignment_light_map, period_dict, rate
from .dashboards.directives import unit_directives

# The most milestone rows the page lists; the rest are counted and linked to /milestones/.
MILESTONE_ROWS = 200


def can_see_unit_dashboard(user: User, unit: Unit) -> bool:
    return can_see_unit_record(user, unit)


def unit_dashboard_data(*, user: User, unit: Unit, period: ReportingPeriod) -> dict[str, Any]:
    """A unit's assignments with their lights, its milestones, its on-time record over the
    periods and what is due, and its 督办事项 (lead or co; as of today): for its own staff, the
    office and the leader."""
    if not can_see_unit_dashboard(user, unit):
        raise NotPermittedError("只能查看本单位的总览。")
    sees_drafts = is_office(user) or (is_unit_staff(user) and user.unit_id == unit.pk)
    duties = duties_for_unit(unit, period)
    lights = assignment_light_map(
        period, period.plan_id, assignment_ids=[d.assignment.pk for d in duties]
    )
    as_of = period_as_of(period)

    def state_of(report: ProgressReport | None) -> tuple[str, str]:
        if report is None:
            return "missing", "未填报"
        if not sees_drafts and report.state not in SUBMITTED_STATES:
            return "missing", "未提交"
        return report.state, report.get_state_display()

    assignments = []
    for d in duties:
        a = d.assignment
        state, label = state_of(d.report)
        assignments.append(
            {
                "assignment_id": a.pk,
                "task_id": a.task_id,
                "demo_id": a.demo_id,
                "code": a.task.code if a.task_id else f"示范{a.demo.seq}",  # type: ignore[union-attr]
                "title": a.task.content if a.task_id else a.demo.name,  # type: ignore[union-attr]
                "role": a.role,
                "role_label": a.get_role_display(),
                "via_group": d.via_group.name if d.via_group else "",
                "light": lights.get(a.pk, Light.GREY.value),
                "state": state,
                "state_label": label,
                "report_id": d.report.pk if d.report and state != "missing" else None,
                "submitted": d.is_submitted,
                "late": d.late,
                "overdue": d.overdue,
            }
        )

    milestones = unit_milestones(unit, period.plan_id, as_of)

    record = []
    for pr in unit_record(unit):
        rec = pr.record
        n = rec.total
        record.append(
            {
                "code": pr.period.code,
                "label": pr.period.label,
                "duties": n,
                "submitted": rec.submitted,
                "on_time": rec.on_time,
                "late": rec.late,
                "not_submitted": rec.missing,
                "on_time_rate": rate(rec.on_time, n),
            }
        )

    supervision = supervision_counts(as_of.year, [unit.pk]).get(unit.pk, SupervisionCounts())
    submitted = sum(1 for a in assignments if a["submitted"])
    late_n = sum(1 for a in assignments if a["late"] and a["submitted"])
    return {
        "unit": {"id": unit.pk, "name": unit.name},
        "period": {**period_dict(period), "as_of": as_of.isoformat()},
        "tiles": {
            "assignments": len(assignments),
            "lead": sum(1 for a in assignments if a["role"] == AssignmentRole.LEAD),
            "lights": {
                light: sum(1 for a in assignments if a["light"] == light) for light in LIGHTS
            },
            "submitted": submitted,
            "on_time": submitted - late_n,
            "late": late_n,
            "not_submitted": len(assignments) - submitted,
            "overdue": sum(1 for a in assignments if a["overdue"]),
            "milestones": milestones["counts"]["year"],
            "milestones_done": milestones["counts"]["year_done"],
            "milestones_overdue": milestones["counts"]["overdue"],
            "urges": supervision.urges,
            "orders": supervision.orders,
            "supervision_year": as_of.year,
        },
        "assignments": assignments,
        "due": [a for a in assignments if not a["submitted"]],
        "milestones": milestones["rows"],
        "milestone_summary": {**milestones["counts"], "limit": MILESTONE_ROWS},
        "record": record,
        # 督办事项 as of today, whatever the period (one query)
        "directives": unit_directives(unit),
    }


def unit_milestones(unit: Unit, plan_id: int, as_of: date) -> dict[str, Any]:
    """What an approver needs of the unit's milestones (the ones it owes in the plan) on the
    period's as-of day: the milestones due in the as-of day's year, and the earlier ones still
    overdue then, by due date. Only confirmed arrangements count, and overdue is the rule of
    tasks.lights and Milestone.overdue_days: due before the as-of day and not marked done by
    then. Two queries: the counts, and at most MILESTONE_ROWS rows."""
    first, last = date(as_of.year, 1, 1), date(as_of.year, 12, 31)
    done_by = Q(done_at__isnull=False, done_at__date__lte=as_of)  # marked done by the as-of day
    not_done = Q(done_at__isnull=True) | Q(done_at__date__gt=as_of)  # the same, negated
    in_year = Q(due_date__gte=first, due_date__lte=last)
    earlier_overdue = Q(due_date__lt=first) & not_done  # due before Jan 1, so before the as-of day
    owed = Milestone.objects.filter(
        Q(assignment__task__plan=plan_id) | Q(assignment__demo__plan=plan_id),
        unit=unit,
        arrangement_confirmed=True,
        due_date__lte=last,
    )
    counts = owed.aggregate(
        year=Count("id", filter=in_year),
        year_done=Count("id", filter=in_year & done_by),
        year_overdue=Count("id", filter=in_year & Q(due_date__lt=as_of) & not_done),
        earlier_overdue=Count("id", filter=earlier_overdue),
    )
    counts["overdue"] = counts["year_overdue"] + counts["earlier_overdue"]
    counts["listed"] = counts["year"] + counts["earlier_overdue"]
    counts["as_of_year"] = as_of.year
    values = (
        owed.filter(in_year | earlier_overdue)
        .order_by("due_date", "id")
        .values(
            "id",
            "title",
            "due_date",
            "state",
            "done_at",
            "assignment__task_id",
            "assignment__task__code",
            "assignment__demo__name",
        )[:MILESTONE_ROWS]
    )
    rows = []
    for m in values:
        # the model's own rule on the two fields it reads
        days = Milestone(due_date=m["due_date"], done_at=m["done_at"]).overdue_days(as_of)
        rows.append(
            {
                "id": m["id"],
                "year": m["due_date"].year,
                "title": m["title"],
                "due_date": m["due_date"].isoformat(),
                "earlier": m["due_date"] < first,
                "state": m["state"],
                "state_label": MilestoneState(m["state"]).label,
                "overdue_days": days,
                "done": m["state"] != MilestoneState.PENDING,
                "task_id": m["assignment__task_id"],
                "what": m["assignment__task__code"]
                if m["assignment__task_id"]
                else m["assignment__demo__name"],
            }
        )
    return {"counts": counts, "rows": rows}
