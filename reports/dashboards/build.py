"""The one entry point: ``dashboard_data``, every number of the dashboard for a period as one
JSON-serialisable dict, cached per period, audience and day."""

from typing import Any

from hefei_ai_zone import clock
from reports.assessment.rules import scorecard_rule
from reports.assessment.selectors import rules_in_force
from tasks.lights import period_as_of
from tasks.models import ReportingPeriod
from tasks.reminders.selectors import escalated_unit_ids
from tasks.supervision.selectors import SupervisionCounts, supervision_counts
from units.models import User

from . import charts
from .cache import cached
from .directives import directive_block
from .parts import (
    cached_indicators,
    cached_milestones,
    cached_structure,
    report_part,
    severities,
)
from .periods import LIGHTS, audience_of, dashboard_periods, period_dict


def _dashboard_compute(
    period: ReportingPeriod, periods: list[ReportingPeriod], audience: str
) -> dict[str, Any]:
    """The numbers, in a fixed number of queries whatever the size; the Python loops run over
    duties, tasks and units with lights as severities (0 grey … 3 red), never over reports.
    The plan's structure, the milestones and the indicators come from their own caches, which
    a report saved does not make stale."""
    plan = period.plan
    as_of = period_as_of(period)
    past_due = clock.today() > period.due_date

    structure = cached_structure(plan.pk)
    milestones = cached_milestones(period, plan.pk)
    reports = report_part(period)
    sev = severities(milestones, reports)

    sections = charts.sections_chart(structure, sev)
    task_tile = {light: sum(s[light] for s in sections) for light in LIGHTS}
    n_tasks = len(structure["tasks"])
    rules = rules_in_force(period.year)
    scorecard = charts.scorecard_chart(
        structure, sev, reports, milestones, past_due=past_due, rules=rules
    )
    demo_list = charts.demos_chart(structure, sev)
    return {
        "audience": audience,
        "plan": {"code": plan.code, "name": str(plan), "years": list(plan.years)},
        "period": {**period_dict(period), "as_of": as_of.isoformat()},
        "periods": [period_dict(p, getattr(p, "has_reports", False)) for p in periods],
        "tiles": {
            "tasks": {**task_tile, "total": n_tasks},
            "reports": charts.reports_tile(
                structure, scorecard, reports, audience=audience, past_due=past_due
            ),
            "milestones": charts.milestones_tile(milestones),
            "demos": charts.demos_tile(demo_list),
        },
        "sections": sections,
        "scorecard_rule": scorecard_rule(rules),
        "scorecard": scorecard,
        "matrix": charts.matrix_chart(structure, sev),
        "trend": charts.trend_chart(period, periods, task_tile, n_tasks),
        "indicators": cached_indicators(plan),
        "demos": demo_list,
    }


def dashboard_data(
    *, user: User, period: ReportingPeriod, periods: list[ReportingPeriod] | None = None
) -> dict[str, Any]:
    """Every number of the dashboard for the period, as the user may see it (cached); the
    督办事项 block as of today, outside the cache (two queries: an item's write counts at once)."""
    audience = audience_of(user)
    periods = periods if periods is not None else dashboard_periods()
    data = cached(
        f"data:{period.pk}:{audience}:{clock.today()}",
        lambda: _dashboard_compute(period, periods, audience),
    )
    return {**with_supervision(data, period), "directives": directive_block()}


def with_supervision(data: dict[str, Any], period: ReportingPeriod) -> dict[str, Any]:
    """Beside the scorecard, each unit's 催办 and 督办单 of the as-of day's year (one grouped
    query), and whether the sweep escalated (已催办) the unit in the period, counted on the
    reports tile (one query); both outside the cache: a 催办 sent counts at once. Never logins
    or clicks."""
    year = int(data["period"]["as_of"][:4])
    counts = supervision_counts(year)
    escalated = escalated_unit_ids(period)
    none = SupervisionCounts()
    scorecard = [
        {
            **s,
            "urges": counts.get(s["unit_id"], none).urges,
            "orders": counts.get(s["unit_id"], none).orders,
            "supervision_year": year,
            "escalated": s["unit_id"] in escalated,
        }
        for s in data["scorecard"]
    ]
    tiles = {**data["tiles"], "reports": {**data["tiles"]["reports"], "escalated": len(escalated)}}
    return {**data, "tiles": tiles, "scorecard": scorecard}
