"""One unit's dashboard (本单位总览): its assignments with their lights, its milestones, its
on-time record over the periods and what is due, for its own staff, the office and the leader.
Same rules and the same light query as the whole plan's dashboard (reports.dashboards)."""

from datetime import date
from typing import Any

from django.utils import timezone

from hefei_ai_zone.errors import NotPermittedError
from tasks import permissions as perms
from tasks.lights import period_as_of
from tasks.models import (
    SUBMITTED_STATES,
    AssignmentRole,
    Light,
    Milestone,
    MilestoneState,
    ProgressReport,
    ReportingPeriod,
)
from tasks.selectors import duties_for_unit, unit_record
from units.models import Unit, User

from .dashboards import (
    LEADER,
    LIGHTS,
    OFFICE,
    _period_dict,
    _rate,
    assignment_light_map,
    counted_states,
)


def can_see_unit_dashboard(user: User, unit: Unit) -> bool:
    return perms.can_see_unit_record(user, unit)


def unit_dashboard_data(*, user: User, unit: Unit, period: ReportingPeriod) -> dict[str, Any]:
    """A unit's assignments with their lights, its milestones, its on-time record over the
    periods and what is due: for its own staff, the office and the leader."""
    if not can_see_unit_dashboard(user, unit):
        raise NotPermittedError("只能查看本单位的总览。")
    sees_drafts = perms.is_office(user) or (perms.is_unit_staff(user) and user.unit_id == unit.pk)
    audience = OFFICE if sees_drafts else LEADER
    states = counted_states(audience)
    duties = duties_for_unit(unit, period)
    lights = assignment_light_map(period, period.plan_id, states)
    today = timezone.localdate()
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
                "light": lights.get(a.pk, Light.GREY),
                "state": state,
                "state_label": label,
                "report_id": d.report.pk if d.report and state != "missing" else None,
                "submitted": d.is_submitted,
                "late": d.late,
                "overdue": d.overdue,
            }
        )

    milestones = list(
        Milestone.objects.filter(unit=unit, arrangement_confirmed=True)
        .select_related("assignment__task", "assignment__demo")
        .order_by("due_date", "id")
    )
    milestone_rows = []
    for m in milestones:
        a = m.assignment
        days = m.overdue_days(as_of)
        milestone_rows.append(
            {
                "id": m.pk,
                "year": m.year,
                "title": m.title,
                "due_date": m.due_date.isoformat(),
                "state": m.state,
                "state_label": m.get_state_display(),
                "overdue_days": days,
                "done": m.state != MilestoneState.PENDING,
                "what": a.task.code if a.task_id else a.demo.name,  # type: ignore[union-attr]
            }
        )
    upcoming = [
        m for m in milestone_rows if not m["done"] and date.fromisoformat(m["due_date"]) >= today
    ][:10]

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
                "on_time_rate": _rate(rec.on_time, n),
            }
        )

    submitted = sum(1 for a in assignments if a["submitted"])
    late_n = sum(1 for a in assignments if a["late"] and a["submitted"])
    return {
        "unit": {"id": unit.pk, "name": unit.name},
        "period": {**_period_dict(period), "as_of": as_of.isoformat()},
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
            "milestones": len(milestone_rows),
            "milestones_overdue": sum(1 for m in milestone_rows if m["overdue_days"] > 0),
            "milestones_done": sum(1 for m in milestone_rows if m["done"]),
        },
        "assignments": assignments,
        "due": [a for a in assignments if not a["submitted"]],
        "milestones": milestone_rows,
        "upcoming": upcoming,
        "record": record,
    }
