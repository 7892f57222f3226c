#!/usr/bin/env python
"""督办事项 at a size no office reaches in a year: BENCH_DIRECTIVES (2,000) items of the seed plan's
last year, in every state, each with its units and timeline, then the reads that show them — the
list page and the API list as the office, 总览 and /api/dashboard/ as a leader (the 督办事项 block),
a lead unit's dashboard, and the year's 督查考核 — each timed over repeated requests (test client,
no network) with its query count. The items are written in bulk (the services are timed by the
tests, not here) and removed at the end.

    scripts/with-services.sh .venv/bin/python scripts/bench_directives.py   # alone
    make bench                                                              # a step of it
"""

import os
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hefei_ai_zone.settings.local")
os.environ.setdefault("DEBUG", "False")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

ITEMS = int(os.environ.get("BENCH_DIRECTIVES", "2000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
YEAR = 2023
STATES = ("issued", "in_progress", "in_progress", "closing", "closed", "archived")
STATUSES = ("on_track", "at_risk", "delayed", "on_track", "completed", "completed")


def items_write() -> int:
    """ITEMS issued items (numbered 1…ITEMS of YEAR), a lead and a co unit each, two steps."""
    from tasks.models import (
        Directive,
        DirectiveNumber,
        DirectiveStep,
        DirectiveUnit,
    )
    from units.models import Unit

    tz = ZoneInfo("Asia/Shanghai")
    units = list(Unit.objects.exclude(kind="group").order_by("pk"))
    rows = []
    for i in range(ITEMS):
        issued = date(YEAR, 1, 3) + timedelta(days=i % 340)
        state = STATES[i % len(STATES)]
        due = issued + timedelta(days=20 + i % 40)
        rows.append(
            Directive(
                title=f"压测督办事项 {i + 1}",
                source=("instruction", "meeting", "higher")[i % 3],
                source_leader="领导",
                source_meeting="会议",
                source_authority="机关",
                requirement="按要求办理并反馈。",
                due_workdays=20,
                due_date=due + timedelta(days=10 if i % 7 == 0 else 0),
                original_due_date=due,
                sign_due_date=issued + timedelta(days=1),
                state=state,
                status=STATUSES[i % len(STATUSES)],
                year=YEAR,
                seq=i + 1,
                created_at=datetime(issued.year, issued.month, issued.day, 9, tzinfo=tz),
                issued_at=datetime(issued.year, issued.month, issued.day, 10, tzinfo=tz),
                closed_at=(
                    datetime(due.year, due.month, due.day, 16, tzinfo=tz)
                    if state in ("closed", "archived")
                    else None
                ),
            )
        )
    made = Directive.objects.bulk_create(rows, batch_size=1000)
    DirectiveUnit.objects.bulk_create(
        [
            DirectiveUnit(directive=d, unit=units[i % len(units)], role="lead", order=0)
            for i, d in enumerate(made)
        ]
        + [
            DirectiveUnit(directive=d, unit=units[(i + 7) % len(units)], role="co", order=1)
            for i, d in enumerate(made)
        ],
        batch_size=2000,
    )
    DirectiveStep.objects.bulk_create(
        [
            DirectiveStep(directive=d, action=action, to_state=to, created_at=d.created_at)
            for d in made
            for action, to in (("create", "draft"), ("issue", "issued"))
        ],
        batch_size=2000,
    )
    DirectiveNumber.objects.update_or_create(year=YEAR, defaults={"last": ITEMS})
    return len(made)


def measure(client: Client, path: str) -> tuple[float, float, int]:
    """Median and p95 in ms over REPEAT requests after one warm-up, and the query count."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, len(ctx.captured_queries)


def main() -> None:
    from tasks.models import Directive, DirectiveNumber
    from units.models import Role, Unit, User

    call_command("load_plan", verbosity=0)
    call_command("load_workdays", verbosity=0)
    from tasks.plan.selectors import plan_current
    from tasks.reporting.services import periods_ensure

    plan = plan_current()
    assert plan is not None
    periods_ensure(plan=plan)  # the dashboard needs the plan's periods (no reports: not timed here)
    print()
    print(f"督办事项 at {ITEMS} items (scripts/bench_directives.py), {REPEAT} requests each")
    start = time.perf_counter()
    written = items_write()
    print(f"{written} items written in bulk in {time.perf_counter() - start:.1f} s")
    office = User.objects.filter(username="bench_dir_office").first() or User.objects.create_user(
        "bench_dir_office", role=Role.OFFICE, unit=Unit.objects.get(name="市科技局")
    )
    leader = User.objects.filter(username="bench_dir_leader").first() or User.objects.create_user(
        "bench_dir_leader", role=Role.LEADER
    )
    kjj = Unit.objects.get(name="市科技局")
    as_office, as_leader = Client(), Client()
    as_office.force_login(office)
    as_leader.force_login(leader)
    paths = [
        (as_office, "/directives/", "page: the list (office), first page"),
        (as_office, "/directives/?overdue=1", "page: the list, overdue only"),
        (as_office, "/api/directives/?page_size=100", "API: 100 items"),
        (as_leader, "/dashboard/", "page: 总览 with the 督办事项 block (leader)"),
        (as_leader, "/api/dashboard/", "API: the dashboard with the block"),
        (as_office, f"/dashboard/units/{kjj.pk}/", "page: 市科技局's dashboard"),
        (as_office, f"/assessment/?year={YEAR}", "page: 督查考核 preview"),
        (as_office, f"/api/assessment/?year={YEAR}", "API: 督查考核"),
    ]
    print(f"{'what':44} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    with override_settings(SUPERVISION_TODAY=date(YEAR, 12, 20)):
        for client, path, label in paths:
            median, p95, queries = measure(client, path)
            print(f"{path:44} {median:10.1f} {p95:8.1f} {queries:8d}   {label}")
    Directive.objects.filter(title__startswith="压测督办事项").delete()
    DirectiveNumber.objects.filter(year=YEAR).delete()


if __name__ == "__main__":
    call_command("migrate", verbosity=0)
    main()
