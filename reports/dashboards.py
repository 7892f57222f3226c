"""The dashboard (总览): every number it shows, as one JSON-serialisable dict.

``dashboard_data`` is the whole plan for the office, the administrator and the leader (the leader's
numbers come from submitted reports only: drafts and returned reports are "not submitted", never
counted apart); one unit's page is reports.unit_dashboard. Pages and /api/dashboard/ both read from
here, so they show the same numbers under the same rules.

Everything is aggregated in the database: the number of queries is fixed whatever the number of
reports (GROUP BY over indexed columns, read from the indexes alone where it pays), and the
Python loops run over duties, tasks and units, never over reports. What is counted is kept:

- the whole dashboard per (period, audience, day) in the cache, and its parts apart under the
  versions of the rows they read (the plan's structure; the milestones; the ledger), so that a
  report saved recounts only that period's reports (``reports.signals`` replaces the versions on
  every write, at once and after the commit);
- the trend's points of the earlier periods in the database (``reports.models.TrendPoint``),
  valid while their period's lights version has not moved.

docs/architecture.md explains when each is stale, docs/performance.md what each saves.
"""

import uuid
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, Exists, Max, OuterRef, Q, Subquery, When
from django.utils import timezone

from demos.models import DemoProject
from hefei_ai_zone.errors import NotPermittedError
from tasks.ledger.selectors import indicator_progress
from tasks.lights import period_as_of
from tasks.models import (
    SUBMITTED_STATES,
    Assignment,
    AssignmentRole,
    Light,
    Milestone,
    Plan,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    ReportState,
    Task,
)
from units.models import Unit, UnitKind, User
from units.permissions import is_leader, is_office

from .models import LightsVersion, TrendPoint

# Every write through the ORM replaces the versions and the commands writing in bulk call
# everything_changed(), so a cached value is never stale; the expiry only frees the memory of
# old versions. Values that depend on the day (the running period's as-of day) have it in
# their key.
CACHE_TTL = 24 * 60 * 60
# Cache versions: what is cached under a version is stale once the version is replaced, which
# reports.signals does on every write to the rows named here.
VERSION_KEY = "dashboard:version"  # any row the dashboard counts: the whole dashboard, periods
# plans, sections, tasks, assignments, demo projects, units and their members
PLAN_VERSION_KEY = "dashboard:plan-version"
MILESTONE_VERSION_KEY = "dashboard:milestone-version"  # milestones
LEDGER_VERSION_KEY = "dashboard:ledger-version"  # ledger entries, indicators, targets
VERSION_KEYS = (VERSION_KEY, PLAN_VERSION_KEY, MILESTONE_VERSION_KEY, LEDGER_VERSION_KEY)
OFFICE, LEADER = "office", "leader"
LIGHTS = ("green", "yellow", "red", "grey")
SEVERITY_LIGHT = {0: "grey", 1: "green", 2: "yellow", 3: "red"}
GREEN_STATUSES = (ProgressStatus.ON_TRACK, ProgressStatus.COMPLETED)


# ---------------------------------------------------------------------------------------------
# Audience and cache
# ---------------------------------------------------------------------------------------------


def audience_of(user: User) -> str:
    """office (office and administrator: every state) or leader (submitted reports only);
    anyone else may not see the whole dashboard."""
    if is_office(user):
        return OFFICE
    if is_leader(user):
        return LEADER
    raise NotPermittedError("总览供领导小组办公室和领导查看；本单位的情况请看本单位总览。")


def counted_states(audience: str) -> tuple[str, ...]:
    """The report states whose status feeds the lights: not drafts; for the leader only what
    has been submitted (a returned report is "not submitted" to the leader)."""
    if audience == LEADER:
        return tuple(SUBMITTED_STATES)
    return tuple(s for s in ReportState.values if s != ReportState.DRAFT)


def _versions(keys: tuple[str, ...]) -> list[str]:
    """The current cache versions of the keys (one round trip; new ones where missing)."""
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key)
    return [found[key] for key in keys]


def versions_replace(*keys: str) -> None:
    """New cache versions for the keys: what was cached under the old ones is stale now."""
    cache.set_many({key: uuid.uuid4().hex for key in keys}, None)


def _cached(key: str, compute: Any, versions: tuple[str, ...] = (VERSION_KEY,)) -> Any:
    """The value cached under ``key`` and the current versions, computed if missing."""
    full = f"dashboard:{':'.join(_versions(versions))}:{key}"
    value = cache.get(full)
    if value is None:
        value = compute()
        cache.set(full, value, CACHE_TTL)
    return value


# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------


def _period_dict(p: ReportingPeriod, has_reports: bool = False) -> dict[str, Any]:
    return {
        "id": p.pk,
        "code": p.code,
        "label": p.label,
        "state": p.state,
        "state_label": p.get_state_display(),
        "start_date": p.start_date.isoformat(),
        "end_date": p.end_date.isoformat(),
        "due_date": p.due_date.isoformat(),
        "has_reports": has_reports,
    }


def dashboard_periods(audience: str) -> list[ReportingPeriod]:
    """The current plan's periods in order, each with ``has_reports`` (reports the audience
    counts): one query, cached."""

    def compute() -> list[ReportingPeriod]:
        plan = Plan.objects.filter(is_current=True).order_by("-start_year", "code").values("pk")
        reports = ProgressReport.objects.filter(
            period=OuterRef("pk"), state__in=counted_states(audience)
        )
        return list(
            ReportingPeriod.objects.filter(plan=Subquery(plan[:1]))
            .select_related("plan")
            .annotate(has_reports=Exists(reports))
            .order_by("start_date")
        )

    return _cached(f"periods:{audience}", compute)


def period_default(periods: list[ReportingPeriod]) -> ReportingPeriod | None:
    """The latest period with reports, else the open one, else the latest that has started."""
    with_reports = [p for p in periods if getattr(p, "has_reports", False)]
    if with_reports:
        return with_reports[-1]
    today = timezone.localdate()
    open_ = [p for p in periods if p.is_open]
    started = [p for p in periods if p.start_date <= today]
    return (open_ or started or periods)[-1] if periods else None


# ---------------------------------------------------------------------------------------------
# Lights in bulk: one statement for any number of periods
# ---------------------------------------------------------------------------------------------


def _lights_sql(
    periods: list[ReportingPeriod],
    plan_id: int,
    states: tuple[str, ...],
    *,
    by_task: bool,
    assignment_ids: list[int] | None = None,
    kept: tuple[str, str] | None = None,
) -> tuple[str, list[Any]]:
    """SQL giving, for the assignments that reported or have an overdue milestone, the rows
    (period id, assignment id, severity) (by_task False), or per period and severity the number
    of tasks (by_task True; a task's severity is its assignments' worst): severity 3 red,
    2 yellow, 1 green, 0 grey. The rule is tasks.lights':
    the worst self-reported status of the period's counted reports, and milestones past due on
    the period's as-of day and not done by then (red beyond LIGHT_RED_OVERDUE_DAYS days, yellow
    beyond LIGHT_YELLOW_OVERDUE_DAYS). ``assignment_ids`` limits it to those assignments (one
    unit's, say).

    ``kept`` (audience, rule; by_task only) reads the kept TrendPoints still valid instead of
    counting their periods again; the rows are then (period id, severity, tasks, kept), plus for
    each period counted a row (period id, -1, lights version read in the same statement, 0).
    Portable between PostgreSQL and SQLite."""
    ops = connection.ops
    rows, params = [], []
    for p in periods:
        as_of = period_as_of(p)
        done_after = timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time.min))
        rows.append("(%s, %s, %s, %s, %s)")
        params += [
            p.pk,
            ops.adapt_datefield_value(as_of),
            ops.adapt_datefield_value(as_of - timedelta(days=settings.LIGHT_RED_OVERDUE_DAYS)),
            ops.adapt_datefield_value(as_of - timedelta(days=settings.LIGHT_YELLOW_OVERDUE_DAYS)),
            ops.adapt_datetimefield_value(done_after),
        ]
    latest = max(period_as_of(p) for p in periods)
    earliest_done = timezone.make_aware(
        datetime.combine(min(period_as_of(p) for p in periods) + timedelta(days=1), time.min)
    )
    report_t = ProgressReport._meta.db_table
    milestone_t = Milestone._meta.db_table
    assignment_t = Assignment._meta.db_table
    task_t = Task._meta.db_table
    demo_t = DemoProject._meta.db_table
    point_t, version_t = TrendPoint._meta.db_table, LightsVersion._meta.db_table
    in_states = ", ".join(["%s"] * len(states))
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
        params += list(kept)
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
            SELECT r.period_id AS pid, r.assignment_id AS aid,
                   MAX(CASE r.status WHEN %s THEN 3 WHEN %s THEN 2 ELSE 1 END) AS sev
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
            SELECT p.pid AS pid, c.assignment_id AS aid,
                   MAX(CASE WHEN c.due_date < p.red_before THEN 3
                            WHEN c.due_date < p.yellow_before THEN 2 ELSE 0 END) AS sev
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
    params += [ProgressStatus.DELAYED.value, ProgressStatus.AT_RISK.value, *states, *only]
    params += [
        True,
        ops.adapt_datefield_value(latest),
        ops.adapt_datetimefield_value(earliest_done),
        *only,
    ]
    params += [plan_id] if by_task else [plan_id, plan_id]
    return sql, params


def light_counts_by_period(
    periods: list[ReportingPeriod], plan_id: int, states: tuple[str, ...]
) -> dict[int, dict[str, int]]:
    """Per period, how many tasks are red, yellow and green (the rest are grey): one query,
    counted in the database."""
    if not periods:
        return {}
    sql, params = _lights_sql(periods, plan_id, states, by_task=True)
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pid, sev, n in cursor.fetchall():
            counts[pid][SEVERITY_LIGHT[sev]] = n
    return counts


def light_rule() -> str:
    return f"{settings.LIGHT_RED_OVERDUE_DAYS}/{settings.LIGHT_YELLOW_OVERDUE_DAYS}"


def trend_counts(
    periods: list[ReportingPeriod], plan_id: int, audience: str
) -> dict[int, dict[str, int]]:
    """What light_counts_by_period gives, from the kept TrendPoints whose period's lights
    version has not moved since, counting only the other periods: one query, and one more to
    keep what was counted."""
    if not periods:
        return {}
    rule = light_rule()
    sql, params = _lights_sql(
        periods, plan_id, counted_states(audience), by_task=True, kept=(audience, rule)
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    counted: dict[int, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for pid, sev, n, _kept in cursor.fetchall():
            if sev < 0:
                counted[pid] = n  # the period's lights version, read with its rows
            else:
                counts[pid][SEVERITY_LIGHT[sev]] = n
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
            audience,
            ops.adapt_datefield_value(period_as_of(p)),
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


def lights_changed(
    *, period_ids: list[int] | None = None, ending_from: date | None = None, every: bool = False
) -> None:
    """Move the lights version of the periods a write may have changed (the given ones, or those
    ending on or after ``ending_from``, or every period): their kept trend points are stale
    from now on. One statement; called after the writer's commit (reports.signals) and by the
    commands that write in bulk."""
    period_t, version_t = ReportingPeriod._meta.db_table, LightsVersion._meta.db_table
    params: list[Any]
    if every:
        where, params = "1 = 1", []
    elif ending_from is not None:
        where, params = "end_date >= %s", [connection.ops.adapt_datefield_value(ending_from)]
    elif period_ids:
        where, params = f"id IN ({', '.join(['%s'] * len(period_ids))})", list(period_ids)
    else:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {version_t} (period_id, version)"  # noqa: S608 (table names)
            f" SELECT id, 1 FROM {period_t} WHERE {where} ORDER BY id"
            f" ON CONFLICT (period_id) DO UPDATE SET version = {version_t}.version + 1",
            params,
        )


def everything_changed() -> None:
    """For the commands that write in bulk (COPY, bulk_create and update send no signals):
    every kept trend point and every cached dashboard and indicator value is stale."""
    lights_changed(every=True)
    versions_replace(*VERSION_KEYS)


def assignment_light_map(
    period: ReportingPeriod,
    plan_id: int,
    states: tuple[str, ...],
    assignment_ids: list[int] | None = None,
) -> dict[int, str]:
    """Each assignment's light in the period (absent: grey), of the plan's assignments or of
    ``assignment_ids`` only: one query."""
    sql, params = _lights_sql(
        [period], plan_id, states, by_task=False, assignment_ids=assignment_ids
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {aid: SEVERITY_LIGHT[sev] for _pid, aid, sev in cursor.fetchall()}


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


# ---------------------------------------------------------------------------------------------
# The whole plan's dashboard
# ---------------------------------------------------------------------------------------------

MILESTONE_COUNTS = ("due", "done", "overdue", "due_in_period", "done_in_period")
REPORT_COUNTS = ("submitted", "late", "green", "draft", "returned")


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def dashboard_data(
    *, user: User, period: ReportingPeriod, periods: list[ReportingPeriod] | None = None
) -> dict[str, Any]:
    """Every number of the dashboard for the period, as the user may see it (cached)."""
    audience = audience_of(user)
    periods = periods if periods is not None else dashboard_periods(audience)
    return _cached(
        f"data:{period.pk}:{audience}:{timezone.localdate()}",
        lambda: _dashboard_compute(period, periods, audience),
    )


def _raw_rows(queryset: Any) -> list[tuple[Any, ...]]:
    """The rows of a values_list() queryset of integers and strings as the database driver
    gives them: Django's per-value converters cost more than the query for ten thousand rows
    of counts (they turn ints into ints)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# The dashboard's parts, each computed from one kind of rows and cached under the tokens of
# those rows: after a report is saved only the report part is counted again.


def plan_structure(plan_id: int) -> dict[str, Any]:
    """Who holds which duty of the plan: the assignments with their units (a group's assignment
    is a duty of each member, never of the group itself), tasks, sections and demo projects, in
    plain tuples, lists and dicts (it is cached). Two queries."""
    rows = _raw_rows(
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
    as-of day (``due_in_period``, ``done_in_period``); and per assignment the light its overdue
    milestones give (tasks.lights' rule: 3 red beyond LIGHT_RED_OVERDUE_DAYS days, 2 yellow
    beyond LIGHT_YELLOW_OVERDUE_DAYS). Two queries, over this year's milestones and the
    overdue ones (indexed: never done, or done after the day), never every milestone to date."""
    as_of = period_as_of(period)
    year_start = date(as_of.year, 1, 1)
    done_after = timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time.min))
    done_by = Q(done_at__lt=done_after)
    this_year = Q(due_date__gte=year_start, due_date__lte=as_of)
    in_period = Q(due_date__gte=period.start_date, due_date__lte=period.end_date)
    overdue = Q(due_date__lt=as_of) & (Q(done_at__isnull=True) | Q(done_at__gte=done_after))
    red_before = as_of - timedelta(days=settings.LIGHT_RED_OVERDUE_DAYS)
    yellow_before = as_of - timedelta(days=settings.LIGHT_YELLOW_OVERDUE_DAYS)
    plan_assignments = Assignment.objects.filter(
        Q(task__plan=plan_id) | Q(demo__plan=plan_id)
    ).values("pk")
    confirmed = Milestone.objects.filter(
        arrangement_confirmed=True, assignment__in=plan_assignments
    )
    # the year's and the period's milestones: a range of due dates, read from the index alone
    counts = _raw_rows(
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
    overdue_rows = _raw_rows(
        confirmed.filter(overdue)
        .values_list("assignment_id", "unit_id")
        .annotate(
            sev=Max(
                Case(
                    When(due_date__lt=red_before, then=3),
                    When(due_date__lt=yellow_before, then=2),
                    default=0,
                )
            ),
            n=Count("id"),
        )
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


def report_part(period: ReportingPeriod, states: tuple[str, ...]) -> dict[str, Any]:
    """The period's reports counted in the database per (assignment, unit): per unit how many
    are submitted, late, on track (按计划推进 or 已完成), drafts and returned; per assignment the
    light its counted reports give (3 滞后, 2 存在风险, 1 any other status). One query."""
    counted = Q(state__in=states) & ~Q(status="")
    submitted = Q(state__in=SUBMITTED_STATES)
    rows = _raw_rows(
        ProgressReport.objects.filter(period=period)
        .values_list("assignment_id", "unit_id")
        .annotate(
            sev=Max(
                Case(
                    When(counted & Q(status=ProgressStatus.DELAYED), then=3),
                    When(counted & Q(status=ProgressStatus.AT_RISK), then=2),
                    When(counted, then=1),
                    default=0,
                )
            ),
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


def _dashboard_compute(
    period: ReportingPeriod, periods: list[ReportingPeriod], audience: str
) -> dict[str, Any]:
    """The numbers, in a fixed number of queries whatever the size; the Python loops run over
    duties, tasks and units with lights as severities (0 grey … 3 red), never over reports.
    The plan's structure, the milestones and the indicators come from their own caches, which
    a report saved does not make stale."""
    plan = period.plan
    states = counted_states(audience)
    today = timezone.localdate()
    as_of = period_as_of(period)

    structure = _cached(f"plan:{plan.pk}", lambda: plan_structure(plan.pk), (PLAN_VERSION_KEY,))
    milestones = _cached(
        f"milestones:{period.pk}:{as_of}:{light_rule()}",
        lambda: milestone_part(period, plan.pk),
        (PLAN_VERSION_KEY, MILESTONE_VERSION_KEY),
    )
    reports = report_part(period, states)

    # Each assignment's light: the worst of its reports' and its overdue milestones'.
    sev = dict(milestones["severity"])
    for aid, s in reports["severity"].items():
        if s > sev.get(aid, 0):
            sev[aid] = s

    # Tasks and sections by light (a task's light is the worst of its assignments').
    sections = {
        s["id"]: {**s, **dict.fromkeys(LIGHTS, 0), "total": 0} for s in structure["sections"]
    }
    task_tile = dict.fromkeys(LIGHTS, 0)
    for sec_id, aids in structure["tasks"].values():
        light = SEVERITY_LIGHT[max(sev.get(aid, 0) for aid in aids)]
        task_tile[light] += 1
        sections[sec_id][light] += 1
        sections[sec_id]["total"] += 1
    section_list = list(sections.values())

    # The units × sections matrix: worst light of the unit's tasks in the section.
    cell: dict[tuple[int, int], int] = {}
    tasks_in_cell: dict[tuple[int, int], set[int]] = defaultdict(set)
    unit_lights: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    duty_count: dict[int, int] = defaultdict(int)
    for aid, unit_id, task_id, sec_id in structure["duties"]:
        severity = sev.get(aid, 0)
        unit_lights[unit_id][severity] += 1
        duty_count[unit_id] += 1
        if task_id is not None:
            key = (unit_id, sec_id)
            if severity >= cell.get(key, 0):
                cell[key] = severity
            tasks_in_cell[key].add(task_id)
    unit_order = structure["units"]
    matrix = {
        "units": [{"id": u[0], "name": u[1]} for u in unit_order],
        "sections": [{"id": s["id"], "code": s["code"], "label": s["label"]} for s in section_list],
        "cells": [
            {
                "unit": ui,
                "section": si,
                "light": SEVERITY_LIGHT[cell[(u[0], s["id"])]],
                "tasks": len(tasks_in_cell[(u[0], s["id"])]),
            }
            for ui, u in enumerate(unit_order)
            for si, s in enumerate(section_list)
            if (u[0], s["id"]) in cell
        ],
    }

    # The unit scorecard: on-time rate, share on track, milestones met, overdue milestones.
    past_due = today > period.due_date
    reported, ms_unit, ms_total = reports["units"], milestones["units"], milestones["total"]
    scorecard = []
    for unit_id, unit_name, _order in unit_order:
        n = duty_count[unit_id]
        r = reported.get(unit_id, {})
        submitted, late_n = r.get("submitted", 0), r.get("late", 0)
        on_time = submitted - late_n
        ms = ms_unit.get(unit_id, {})
        on_time_rate = _rate(on_time, n)
        on_track = _rate(r.get("green", 0), n)
        met = _rate(ms.get("done", 0), ms.get("due", 0))
        overdue = ms.get("overdue", 0)
        score = 100 * (
            0.4 * (on_time_rate or 0) + 0.3 * (on_track or 0) + 0.3 * (1 if met is None else met)
        )
        counts = unit_lights[unit_id]
        scorecard.append(
            {
                "unit_id": unit_id,
                "unit": unit_name,
                "duties": n,
                "submitted": submitted,
                "on_time": on_time,
                "late": late_n,
                "not_submitted": n - submitted,
                "overdue_reports": n - submitted if past_due else 0,
                "on_time_rate": on_time_rate,
                "on_track": r.get("green", 0),
                "on_track_share": on_track,
                "milestones_due": ms.get("due", 0),
                "milestones_done": ms.get("done", 0),
                "milestones_rate": met,
                "milestones_overdue": overdue,
                "lights": {SEVERITY_LIGHT[i]: counts[i] for i in (1, 2, 3, 0)},
                "score": round(max(score - 2 * overdue, 0), 1),
            }
        )
    ranked = sorted(scorecard, key=lambda s: (-s["score"], s["unit"]))
    for rank, s in enumerate(ranked, 1):
        s["rank"] = rank

    due_total = len(structure["duties"])
    submitted_total = sum(s["submitted"] for s in scorecard)
    late_total = sum(s["late"] for s in scorecard)
    reports_tile: dict[str, Any] = {
        "due": due_total,
        "submitted": submitted_total,
        "on_time": submitted_total - late_total,
        "late": late_total,
        "not_submitted": due_total - submitted_total,
        "overdue": due_total - submitted_total if past_due else 0,
        "on_time_rate": _rate(submitted_total - late_total, due_total),
    }
    if audience == OFFICE:  # drafts and returned reports: the office's business only
        reports_tile["draft"] = sum(r["draft"] for r in reported.values())
        reports_tile["returned"] = sum(r["returned"] for r in reported.values())

    # The trend: tasks by light in every period up to this one; the earlier periods' points
    # kept while nothing has changed them, this period's from the lights above.
    shown = [p for p in periods if p.start_date <= period.start_date] or [period]
    trend_counts_ = trend_counts([p for p in shown if p.pk != period.pk], plan.pk, audience)
    trend_counts_[period.pk] = {light: task_tile[light] for light in LIGHTS[:3]}
    n_tasks = len(structure["tasks"])
    trend = []
    for p in shown:
        c = trend_counts_.get(p.pk, {})
        point: dict[str, Any] = {"code": p.code, "label": p.label}
        point.update({light: c.get(light, 0) for light in LIGHTS[:3]})
        point[Light.GREY] = n_tasks - sum(point[light] for light in LIGHTS[:3])
        trend.append(point)

    # Demo projects, with their lights.
    demo_list = [
        {
            **{k: v for k, v in d.items() if k != "assignments"},
            "light": SEVERITY_LIGHT[max((sev.get(aid, 0) for aid in d["assignments"]), default=0)],
        }
        for d in structure["demos"]
    ]
    demos_tile = {light: sum(1 for d in demo_list if d["light"] == light) for light in LIGHTS}
    demos_tile["total"] = len(demo_list)
    demos_tile["on_track"] = demos_tile[Light.GREEN]

    # 7–9. Indicators: verified ledger entries against the yearly targets (cached apart: a
    # report written does not change them).
    indicators = _cached(
        f"indicators:{plan.pk}",
        lambda: indicator_values(plan),
        (PLAN_VERSION_KEY, LEDGER_VERSION_KEY),
    )

    return {
        "audience": audience,
        "plan": {"code": plan.code, "name": str(plan), "years": list(plan.years)},
        "period": {**_period_dict(period), "as_of": as_of.isoformat()},
        "periods": [_period_dict(p, getattr(p, "has_reports", False)) for p in periods],
        "tiles": {
            "tasks": {**task_tile, "total": n_tasks},
            "reports": reports_tile,
            "milestones": {
                "due": ms_total["due_in_period"],
                "done": ms_total["done_in_period"],
                "due_this_year": ms_total["due"],
                "done_this_year": ms_total["done"],
                "overdue": ms_total["overdue"],
            },
            "demos": demos_tile,
        },
        "sections": section_list,
        "scorecard": scorecard,
        "matrix": matrix,
        "trend": trend,
        "indicators": indicators,
        "demos": demo_list,
    }
