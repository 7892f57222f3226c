"""Lights in bulk, in the database: one statement for any number of periods (the trend) or for
one period's assignments (a unit's dashboard), built from the rule's definitions in tasks.lights
(the counted states, the status and milestone severities, the thresholds), never restating them.
tests/dashboards/test_dashboard.py checks it against tasks.lights.assignment_lights."""

from collections import defaultdict
from typing import Any

from django.db import connection
from django.utils import timezone

from demos.models import DemoProject
from tasks import lights
from tasks.models import Assignment, Milestone, ProgressReport, ReportingPeriod, Task

from ..models import LightsVersion, TrendPoint

# The kept trend points are the same for every reader since the lights count submitted reports
# only (tasks.lights, rule 2): they are kept under one audience.
TREND_AUDIENCE = "all"


def _lights_sql(
    periods: list[ReportingPeriod],
    plan_id: int,
    *,
    by_task: bool,
    assignment_ids: list[int] | None = None,
    kept: str | None = None,
) -> tuple[str, list[Any]]:
    """SQL giving, for the assignments that reported or have an overdue milestone, the rows
    (period id, assignment id, severity) (by_task False), or per period and severity the number
    of tasks (by_task True; a task's severity is its assignments' worst): tasks.lights'
    severities (3 red, 2 yellow, 1 green, 0 grey) of the worst status of the period's counted
    reports and of the milestones past due on the period's as-of day and not done by then.
    ``assignment_ids`` limits it to those assignments (one unit's, say).

    ``kept`` (the rule key; by_task only) reads the kept TrendPoints still valid instead of
    counting their periods again; the rows are then (period id, severity, tasks, kept), plus for
    each period counted a row (period id, -1, lights version read in the same statement, 0).
    Portable between PostgreSQL and SQLite."""
    ops = connection.ops
    rows, params = [], []
    for p in periods:
        as_of = lights.period_as_of(p)
        red_before, yellow_before = lights.overdue_before(as_of)
        rows.append("(%s, %s, %s, %s, %s)")
        params += [
            p.pk,
            ops.adapt_datefield_value(as_of),
            ops.adapt_datefield_value(red_before),
            ops.adapt_datefield_value(yellow_before),
            ops.adapt_datetimefield_value(lights.done_after(as_of)),
        ]
    latest = max(lights.period_as_of(p) for p in periods)
    earliest_done = lights.done_after(min(lights.period_as_of(p) for p in periods))
    report_t = ProgressReport._meta.db_table
    milestone_t = Milestone._meta.db_table
    assignment_t = Assignment._meta.db_table
    task_t = Task._meta.db_table
    demo_t = DemoProject._meta.db_table
    point_t, version_t = TrendPoint._meta.db_table, LightsVersion._meta.db_table
    states = lights.COUNTED_STATES
    in_states = ", ".join(["%s"] * len(states))
    status_sev, status_params = lights.status_severity_sql("r.status")
    milestone_sev = lights.milestone_severity_sql("c.due_date", "p.red_before", "p.yellow_before")
    only_r = only_ms = ""
    if assignment_ids is not None:
        ids = ", ".join(["%s"] * len(assignment_ids)) or "NULL"
        only_r, only_ms = f"AND r.assignment_id IN ({ids})", f"AND ms.assignment_id IN ({ids})"
    # Only milestones never done, or done after their due date, can ever be overdue: pick them
    # once (a superset; the join below applies each period's exact as-of day), instead of
    # walking every milestone for every period.
    materialized = "MATERIALIZED" if connection.vendor == "postgresql" else ""
    key = "a.task_id" if by_task else "a.id"
    final = (
        "SELECT pid, sev, COUNT(*) FROM t GROUP BY pid, sev"
        if by_task
        else "SELECT pid, k, sev FROM t"
    )
    owner = (
        f"a.task_id IN (SELECT id FROM {task_t} WHERE plan_id = %s)"  # noqa: S608 (table names, placeholders)
        if by_task
        else f"(a.task_id IN (SELECT id FROM {task_t} WHERE plan_id = %s)"  # noqa: S608 (table names, placeholders)
        f" OR a.demo_id IN (SELECT id FROM {demo_t} WHERE plan_id = %s))"
    )
    periods_cte = (
        f"p (pid, as_of, red_before, yellow_before, done_after) AS (VALUES {', '.join(rows)})"
    )
    if kept is not None:
        periods_cte = f"""
        req (pid, as_of, red_before, yellow_before, done_after) AS (VALUES {", ".join(rows)}),
        kept AS (
            SELECT tp.period_id AS pid, tp.red, tp.yellow, tp.green
            FROM {point_t} tp JOIN req ON req.pid = tp.period_id AND req.as_of = tp.as_of
            LEFT JOIN {version_t} v ON v.period_id = tp.period_id
            WHERE tp.audience = %s AND tp.rule = %s AND tp.version = COALESCE(v.version, 0)
        ),
        p AS (SELECT * FROM req WHERE pid NOT IN (SELECT pid FROM kept))"""  # noqa: S608 (table names, placeholders)
        params += [TREND_AUDIENCE, kept]
        final = f"""
            SELECT pid, sev, COUNT(*), 0 FROM t GROUP BY pid, sev
            UNION ALL SELECT p.pid, -1, COALESCE(v.version, 0), 0
                      FROM p LEFT JOIN {version_t} v ON v.period_id = p.pid
            UNION ALL SELECT pid, 3, red, 1 FROM kept
            UNION ALL SELECT pid, 2, yellow, 1 FROM kept
            UNION ALL SELECT pid, 1, green, 1 FROM kept"""  # noqa: S608 (table names)
    sql = f"""
        WITH {periods_cte},
        s AS (
            SELECT r.period_id AS pid, r.assignment_id AS aid, MAX({status_sev}) AS sev
            FROM {report_t} r
            WHERE r.period_id IN (SELECT pid FROM p) AND r.state IN ({in_states})
              AND r.status <> '' {only_r}
            GROUP BY r.period_id, r.assignment_id
        ),
        c AS {materialized} (
            SELECT ms.assignment_id, ms.due_date, ms.done_at FROM {milestone_t} ms
            WHERE ms.arrangement_confirmed = %s AND ms.due_date < %s
              AND (ms.done_at IS NULL OR (ms.done_at > ms.due_date AND ms.done_at >= %s))
              {only_ms}
        ),
        m AS (
            SELECT p.pid AS pid, c.assignment_id AS aid, MAX({milestone_sev}) AS sev
            FROM c JOIN p ON c.due_date < p.as_of
            WHERE c.done_at IS NULL OR c.done_at >= p.done_after
            GROUP BY p.pid, c.assignment_id
        ),
        u AS (SELECT pid, aid, sev FROM s UNION ALL SELECT pid, aid, sev FROM m),
        t AS (
            SELECT u.pid AS pid, {key} AS k, MAX(u.sev) AS sev
            FROM u JOIN {assignment_t} a ON a.id = u.aid
            WHERE {owner}
            GROUP BY u.pid, {key}
        )
        {final}
    """  # noqa: S608 (table names from the models; every value is a parameter)
    only = list(assignment_ids or [])
    params += [*status_params, *states, *only]
    params += [
        True,  # confirmed arrangements only (tasks.lights.overdue_milestones)
        ops.adapt_datefield_value(latest),
        ops.adapt_datetimefield_value(earliest_done),
        *only,
    ]
    params += [plan_id] if by_task else [plan_id, plan_id]
    return sql, params


def light_counts_by_period(
    periods: list[ReportingPeriod], plan_id: int
) -> dict[int, dict[str, int]]:
    """Per period, how many tasks are red, yellow and green (the rest are grey): one query,
    counted in the database."""
    if not periods:
        return {}
    sql, params = _lights_sql(periods, plan_id, by_task=True)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pid, sev, n in cursor.fetchall():
            counts[pid][lights.SEVERITY_LIGHT[sev]] = n
    return counts


def light_rule() -> str:
    """The rule and thresholds a kept trend point was counted under (tasks.lights.rule_key)."""
    return lights.rule_key()


def trend_counts(periods: list[ReportingPeriod], plan_id: int) -> dict[int, dict[str, int]]:
    """What light_counts_by_period gives, from the kept TrendPoints whose period's lights
    version has not moved since, counting only the other periods: one query, and one more to
    keep what was counted."""
    if not periods:
        return {}
    rule = light_rule()
    sql, params = _lights_sql(periods, plan_id, by_task=True, kept=rule)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    counted: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pid, sev, n, _kept in cursor.fetchall():
            if sev < 0:
                counted[pid] = n  # the period's lights version, read with its rows
            else:
                counts[pid][lights.SEVERITY_LIGHT[sev]] = n
    # Keep what was counted: one INSERT … ON CONFLICT statement (no transaction of its own),
    # in period order so that concurrent requests lock the rows in the same order.
    ops, now = connection.ops, timezone.now()
    rows, params = [], []
    for p in sorted(periods, key=lambda p: p.pk):
        if p.pk not in counted:
            continue
        rows.append("(%s, %s, %s, %s, %s, %s, %s, %s, %s)")
        params += [
            p.pk,
            TREND_AUDIENCE,
            ops.adapt_datefield_value(lights.period_as_of(p)),
            rule,
            counted[p.pk],
            *(counts[p.pk].get(light, 0) for light in ("red", "yellow", "green")),
            ops.adapt_datetimefield_value(now),
        ]
    if rows:
        columns = ("as_of", "rule", "version", "red", "yellow", "green", "computed_at")
        table = TrendPoint._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (period_id, audience, {', '.join(columns)})"  # noqa: S608 (table and column names)
                f" VALUES {', '.join(rows)} ON CONFLICT (period_id, audience) DO UPDATE SET "
                + ", ".join(f"{c} = EXCLUDED.{c}" for c in columns),
                params,
            )
    return counts


def assignment_light_map(
    period: ReportingPeriod, plan_id: int, assignment_ids: list[int] | None = None
) -> dict[int, str]:
    """Each assignment's light in the period (absent: grey), of the plan's assignments or of
    ``assignment_ids`` only: one query."""
    sql, params = _lights_sql([period], plan_id, by_task=False, assignment_ids=assignment_ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {aid: lights.SEVERITY_LIGHT[sev] for _pid, aid, sev in cursor.fetchall()}
