#!/usr/bin/env python
"""Server-time figures for the main reads, on the PostgreSQL that `make bench` starts.

For each path: median and p95 of the time Django takes to answer (test client, no network), over
repeated requests after a warm-up, and the SQL query count. A trivial view (/healthz/) is the
baseline, so the overhead of each page shows as a ratio. Record figures in docs/performance.md.

    make bench                       # the seed plan
    BENCH_REPEAT=200 make bench
    make bench-scale                 # the same as BENCH_SCALE=1 make bench: see below

The scale mode (``--scale``) generates the default scale data set into the throwaway database
(``generate_scale_data --replace --current``: 2,000 tasks, 300 units, 10,000 assignments,
40 periods, about 400,000 reports, 200,000 milestones, 100,000 ledger entries) and measures, as
a leader, the dashboard page and /api/dashboard/ for the latest period: after a report of the
period is saved (its signals replace the cache token and move the period's lights version, so
the dashboard is recomputed with the earlier periods' trend points kept), with an empty cache
(cache.clear(), as after a Redis restart), warm, and after a bulk command (every kept trend point
stale: the worst case); a busy unit's dashboard, the task list, and the raw GROUP BY queries the
dashboard needs, timed with a cursor, as the floor: the "× SQL" column is each row's median over
the raw aggregate SQL's. BENCH_REPEAT defaults to 50 there. Paths that do not exist (yet) are
skipped with a note.
"""

import logging
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hefei_ai_zone.settings.local")
os.environ.setdefault("DEBUG", "False")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import Resolver404, resolve  # noqa: E402

from units.models import Role, Unit, User  # noqa: E402

if TYPE_CHECKING:
    from tasks.models import ReportingPeriod

SCALE = "--scale" in sys.argv or os.environ.get("BENCH_SCALE", "") not in ("", "0")
REPEAT = int(os.environ.get("BENCH_REPEAT", "50" if SCALE else "100"))
WARMUP = 5 if not SCALE else 3


def percentile95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[max(math.ceil(len(ordered) * 0.95) - 1, 0)]


def timed(run: Callable[[], object], before: Callable[[], object] | None = None) -> list[float]:
    for _ in range(WARMUP):
        if before:
            before()
        run()
    times = []
    for _ in range(REPEAT):
        if before:
            before()
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def measure(
    client: Client, path: str, before: Callable[[], object] | None = None
) -> tuple[float, float, int] | None:
    """Median and p95 ms and the query count of one request; None if the path is missing."""
    try:
        resolve(path.split("?")[0])
    except Resolver404:
        return None

    def run() -> None:
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")

    times = timed(run, before)
    # The query count of one more request after the warm-up, read at once (the captured list is
    # a slice of the connection's log taken when it is asked for).
    if before:
        before()
    with CaptureQueriesContext(connection) as ctx:
        run()
    queries = len(ctx.captured_queries)
    return statistics.median(times), percentile95(times), queries


HEADER = f"{'what':46} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'× base':>7}"


def row(
    name: str, figures: tuple[float, float, int], base: float, label: str, sql: float = 0
) -> None:
    median, p95, queries = figures
    ratio = f" {median / sql:7.1f}" if sql else " " * 8
    print(f"{name:46} {median:10.2f} {p95:8.2f} {queries:8d} {median / base:7.1f}{ratio}   {label}")


def seed_main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_plan", verbosity=0)
    user = User.objects.filter(username="bench").first() or User.objects.create_user(
        "bench", role=Role.OFFICE, unit=Unit.objects.get(name="市科技局")
    )
    client = Client()
    client.force_login(user)
    unit = Unit.objects.get(name="市科技局")
    paths = [
        ("/healthz/", "baseline: trivial view"),
        ("/api/tasks/?page_size=1000", "API: all tasks with units"),
        ("/plan/", "page: plan browser"),
        (f"/units/{unit.pk}/", "page: unit 市科技局"),
        ("/demos/", "page: demo projects"),
    ]
    version = getattr(connection, "pg_version", "")
    print(f"{connection.vendor} {version} · {REPEAT} requests each after {WARMUP} warm-up")
    print(HEADER)
    base = None
    for path, label in paths:
        figures = measure(client, path)
        if figures is None:
            print(f"{path:46} skipped: no such URL here")
            continue
        base = base or figures[0]
        row(path, figures, base, label)


# ---------------------------------------------------------------------------------------------
# Scale mode
# ---------------------------------------------------------------------------------------------


def raw_aggregates(period_id: int, plan_id: int, as_of: str, done_after: str) -> list[tuple]:
    """The GROUP BY queries the dashboard cannot do without, as plain SQL (name, sql, params):
    reports of the period per unit and state; the worst status per assignment (its light);
    overdue milestones per assignment; the trend: worst status per assignment in every period,
    counted per period and severity."""
    return [
        (
            "reports per unit × state (period)",
            "SELECT unit_id, state, COUNT(*) FROM tasks_progressreport WHERE period_id = %s "
            "GROUP BY unit_id, state",
            [period_id],
        ),
        (
            "worst status per assignment (period)",
            "SELECT assignment_id, "
            "MAX(CASE status WHEN 'delayed' THEN 3 WHEN 'at_risk' THEN 2 ELSE 1 END) "
            "FROM tasks_progressreport WHERE period_id = %s "
            "AND state <> 'draft' AND status <> '' GROUP BY assignment_id",
            [period_id],
        ),
        (
            "overdue milestones per assignment",
            "SELECT m.assignment_id, MIN(m.due_date) FROM tasks_milestone m "
            "JOIN tasks_assignment a ON a.id = m.assignment_id "
            "JOIN tasks_task t ON t.id = a.task_id WHERE t.plan_id = %s "
            "AND m.due_date < %s AND m.arrangement_confirmed "
            "AND (m.done_at IS NULL OR m.done_at >= %s) GROUP BY m.assignment_id",
            [plan_id, as_of, done_after],
        ),
        (
            "trend: worst status per assignment × period",
            "SELECT period_id, sev, COUNT(*) FROM (SELECT period_id, assignment_id, "
            "MAX(CASE status WHEN 'delayed' THEN 3 WHEN 'at_risk' THEN 2 ELSE 1 END) AS sev "
            "FROM tasks_progressreport WHERE period_id IN "
            "(SELECT id FROM tasks_reportingperiod WHERE plan_id = %s) "
            "AND state <> 'draft' AND status <> '' GROUP BY period_id, assignment_id) t "
            "GROUP BY period_id, sev",
            [plan_id],
        ),
    ]


def time_sql(sql: str, params: list) -> tuple[float, float, int]:
    def run() -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    times = timed(run)
    return statistics.median(times), percentile95(times), 1


def scale_main() -> None:
    from tasks.models import Assignment, Plan, ProgressReport, ReportingPeriod

    call_command("migrate", verbosity=0)
    call_command("load_plan", verbosity=0)
    call_command("load_workdays", verbosity=0)  # the scale data's due dates are working days
    started = time.perf_counter()
    call_command("generate_scale_data", replace=True, current=True)
    generation = time.perf_counter() - started
    plan = Plan.objects.get(code="scale")
    period = ReportingPeriod.objects.filter(plan=plan).order_by("-start_date").first()
    assert period is not None, "generate_scale_data makes periods"
    leader = User.objects.filter(username="bench-leader").first() or User.objects.create_user(
        "bench-leader", role=Role.LEADER
    )
    client = Client()
    client.force_login(leader)
    busy = (
        Unit.objects.organisations()
        .annotate(n=Count("assignments", filter=Q(assignments__task__plan=plan)))
        .order_by("-n")
        .first()
    )
    assert busy is not None
    n_busy = Assignment.objects.filter(Q(unit=busy) | Q(unit__members=busy), task__plan=plan)
    reports = ProgressReport.objects.filter(period__plan=plan).count()
    version = getattr(connection, "pg_version", "")
    print(
        f"\n{connection.vendor} {version} · scale plan: {reports} reports, period {period.code}"
        f" · generated in {generation:.1f} s · {REPEAT} requests each after {WARMUP} warm-up"
    )
    print(f"{HEADER} {'× SQL':>7}")

    base = measure(client, "/healthz/")
    assert base is not None
    row("/healthz/", base, base[0], "baseline: trivial view")

    as_of = period.end_date.isoformat()
    done_after = f"{period.end_date.isoformat()} 24:00:00+08"
    sql_total = [0.0, 0.0]
    figures: tuple[float, float, int] | None
    for name, sql, params in raw_aggregates(period.pk, plan.pk, as_of, done_after):
        figures = time_sql(sql, params)
        sql_total[0] += figures[0]
        sql_total[1] += figures[1]
        row(f"SQL {name}", figures, base[0], "raw aggregate, cursor")
    sql_median = sql_total[0]
    row(
        "SQL: the four together",
        (sql_total[0], sql_total[1], 4),
        base[0],
        "the floor for the dashboard",
    )

    from reports.dashboards import everything_changed

    written = ProgressReport.objects.filter(period=period).order_by("pk").first()
    assert written is not None, "generate_scale_data makes reports"

    def after_a_write() -> None:
        """What follows any report saved in the period: its signals replace the cache token and
        move the period's lights version (outside a transaction: at once)."""
        written.percent = (written.percent or 0) % 100 + 1
        written.save(update_fields=["percent"])

    def stale_everything() -> None:
        """After a command writing in bulk: no cached dashboard, no kept trend point."""
        everything_changed()
        cache.clear()

    q = f"?period={period.code}"
    paths: list[tuple[str, Callable[[], object] | None, str]] = [
        (f"/dashboard/{q}", after_a_write, "page: dashboard, after a report is saved"),
        (f"/dashboard/{q}", cache.clear, "page: dashboard, empty cache"),
        (f"/dashboard/{q}", None, "page: dashboard, warm cache"),
        (f"/api/dashboard/{q}", after_a_write, "API: dashboard, after a report is saved"),
        (f"/api/dashboard/{q}", cache.clear, "API: dashboard, empty cache"),
        (f"/api/dashboard/{q}", None, "API: dashboard, warm cache"),
        (f"/dashboard/{q}", stale_everything, "page: dashboard, after a bulk command"),
        (
            f"/dashboard/units/{busy.pk}/{q}",
            None,
            f"page: unit dashboard {busy.name} ({n_busy.count()} assignments)",
        ),
        (
            f"/dashboard/units/{busy.pk}/{q}",
            after_a_write,
            "page: unit dashboard, after a report is saved",
        ),
        ("/api/tasks/?plan=scale&page_size=100", None, "API: task list, first 100"),
        ("/plan/", None, "page: plan browser, all 2,000 tasks"),
    ]
    try:
        from reports import dashboards
    except ImportError:
        dashboards = None  # type: ignore[assignment]
    if dashboards is not None:
        periods = dashboards.dashboard_periods()

        def compute() -> None:
            dashboards._dashboard_compute(period, periods, dashboards.LEADER)

        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            compute()
        queries = len(ctx.captured_queries)
        times = timed(compute, cache.clear)
        row(
            "dashboards._dashboard_compute (no HTTP)",
            (statistics.median(times), percentile95(times), queries),
            base[0],
            "the numbers alone, leader, empty cache",
            sql_median,
        )
    for path, before, label in paths:
        figures = measure(client, path, before)
        if figures is None:
            print(f"{path:46} skipped: no such URL yet")
            continue
        row(path, figures, base[0], label, sql_median if "dashboard" in path else 0)
    print(
        "after a report is saved: its signals replace the cache token and move its period's lights"
        " version;\nempty cache: cache.clear() (a Redis restart), the kept trend points remain;"
        "\nafter a bulk command: everything_changed() and cache.clear(): every period recounted."
    )


# ---------------------------------------------------------------------------------------------
# Notifications: the daily sweep and deliveries to a local SMTP server
# ---------------------------------------------------------------------------------------------

SWEEP_REPEAT = int(os.environ.get("BENCH_SWEEP_REPEAT", "5"))
DELIVERIES = int(os.environ.get("BENCH_DELIVERIES", "1000"))


def reporters_for(period: "ReportingPeriod") -> set[int]:
    """A reporter with an address in every unit with an open duty in the period (so that the
    sweep has someone to tell); the units."""
    from tasks.reporting.selectors import duties_for_period

    units = {d.unit.pk for d in duties_for_period(period) if not d.is_submitted}
    reporters = User.objects.filter(unit_id__in=units, role=Role.REPORTER)
    have = set(reporters.values_list("unit_id", flat=True))
    User.objects.bulk_create(
        [
            User(username=f"bench-r{u}", role=Role.REPORTER, unit_id=u, email=f"r{u}@bench.local")
            for u in sorted(units - have)
        ]
    )
    return units


def sweep_bench(period: "ReportingPeriod", label: str) -> None:
    """reminders_sweep as of the first working day after the period's due date (the overdue
    step): median over SWEEP_REPEAT runs, each after the notices of the previous one are deleted
    (so that each run writes them all), and the queries of one run."""
    from tasks.reminders.models import Escalation
    from tasks.reminders.services import reminders_sweep
    from tasks.reporting.selectors import duties_for_period
    from tasks.workdays.selectors import WorkdayYearMissing, add_workdays
    from units.notifications.models import Notice

    units = reporters_for(period)
    assignments = len(duties_for_period(period))
    try:
        as_of = add_workdays(period.due_date, 1)
    except WorkdayYearMissing as error:
        print(f"sweep ({label}): skipped: {error.message}")
        return

    def clear() -> None:
        Notice.objects.all().delete()
        Escalation.objects.all().delete()

    times = []
    notices = 0
    for _ in range(SWEEP_REPEAT):
        clear()
        start = time.perf_counter()
        notices = reminders_sweep(as_of=as_of).notices
        times.append((time.perf_counter() - start) * 1000)
    clear()
    with CaptureQueriesContext(connection) as ctx:
        told = reminders_sweep(as_of=as_of).units
    queries = len(ctx.captured_queries)
    print(
        f"sweep ({label}) as of {as_of}: {assignments} duties, {len(units)} units with open ones,"
        f" {notices} notices · median {statistics.median(times):.0f} ms"
        f" (min {min(times):.0f}, max {max(times):.0f}, {SWEEP_REPEAT} runs)"
        f" · {queries} queries, {queries / max(told, 1):.1f} per unit told"
    )


def deliveries_bench() -> None:
    """DELIVERIES mails sent one by one through delivery_attempt (in process, no worker) to a
    local aiosmtpd server: per-delivery time and queries."""
    from aiosmtpd.controller import Controller
    from django.test import override_settings

    from units.notifications.models import Channel, Delivery, DeliveryState, Notice
    from units.notifications.services import delivery_attempt

    class Sink:
        received = 0

        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
            Sink.received += 1
            return "250 OK"

    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's per-session lines
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    user = User.objects.filter(username="bench-mail").first() or User.objects.create_user(
        "bench-mail", role=Role.REPORTER, unit=Unit.objects.organisations().first()
    )
    notices = Notice.objects.bulk_create(
        [
            Notice(recipient=user, rule="bench", key=f"bench:{i}", title=f"压测通知 {i}", link="/")
            for i in range(DELIVERIES)
        ]
    )
    deliveries = Delivery.objects.bulk_create(
        [Delivery(notice=n, channel=Channel.EMAIL, target=f"r{n.pk}@bench.local") for n in notices]
    )
    ids = [d.pk for d in deliveries]
    times = []
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
        ):
            with CaptureQueriesContext(connection) as ctx:
                delivery_attempt(delivery_id=ids[0], may_retry=False)
            queries = len(ctx.captured_queries)
            total = time.perf_counter()
            for delivery_id in ids[1:]:
                start = time.perf_counter()
                delivery_attempt(delivery_id=delivery_id, may_retry=False)
                times.append((time.perf_counter() - start) * 1000)
            total = time.perf_counter() - total
    finally:
        controller.stop()
    sent = Delivery.objects.filter(pk__in=ids, state=DeliveryState.SENT).count()
    print(
        f"deliveries: {len(ids)} mails to a local SMTP server (aiosmtpd), {sent} sent,"
        f" {Sink.received} received · per delivery median {statistics.median(times):.2f} ms,"
        f" p95 {percentile95(times):.2f} ms · {len(times) / total:.0f} per second"
        f" · {queries} queries each"
    )
    Notice.objects.filter(rule="bench").delete()


def seed_sweep_period() -> "ReportingPeriod":
    """The seed plan's 2021Q3 open (the only open period), the working-day calendar loaded."""
    from tasks.models import Plan, ReportingPeriod
    from tasks.reporting.services import periods_ensure

    call_command("load_workdays", verbosity=0)
    plan = Plan.objects.get(code="hefei-ai-2020-2023")
    periods_ensure(plan=plan)
    ReportingPeriod.objects.filter(plan=plan).update(state="planned")
    ReportingPeriod.objects.filter(plan=plan, code="2021Q3").update(state="open")
    return ReportingPeriod.objects.get(plan=plan, code="2021Q3")


def notifications_main() -> None:
    print()
    seed = seed_sweep_period()
    if SCALE:  # one open period at a time: the scale plan's sweep first
        seed.state = "planned"
        seed.save(update_fields=["state"])
        from tasks.models import Plan, ReportingPeriod

        ReportingPeriod.objects.exclude(plan__code="scale").update(state="planned")
        period = ReportingPeriod.objects.filter(plan=Plan.objects.get(code="scale"), state="open")
        sweep_bench(period.get(), "scale plan")
        ReportingPeriod.objects.filter(plan__code="scale").update(state="closed")
        seed.state = "open"
        seed.save(update_fields=["state"])
    sweep_bench(seed, "seed plan")
    deliveries_bench()


if __name__ == "__main__":
    scale_main() if SCALE else seed_main()
    notifications_main()
    __import__("bench_imports").main()
    __import__("bench_bulletin").main()  # scripts/bench_bulletin.py: the 督查通报's builds
    __import__("bench_annual").main()  # the annual workbook at 100,000 reports (reports.annual)
    __import__("bench_load").main()  # 50 people for 60 s against gunicorn (scripts/locustfile.py)
    __import__("bench_audit").main()  # scripts/bench_audit.py: the audit log's writes and verify
    __import__("bench_directives").main()  # scripts/bench_directives.py: 督办事项 at 2,000 items
