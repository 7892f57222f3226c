#!/usr/bin/env python
"""Server-time figures for the main reads, on the PostgreSQL that `make bench` starts.

For each path: median and p95 of the time Django takes to answer (test client, no network), over
repeated requests after a warm-up, and the SQL query count. A trivial view (/healthz/) is the
baseline, so the overhead of each page shows as a ratio. Record figures in docs/performance.md.

    make bench                       # the seed plan
    BENCH_REPEAT=200 make bench
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hefei_ai_zone.settings.local")
os.environ.setdefault("DEBUG", "False")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from units.models import Role, Unit, User  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "100"))


def measure(client: Client, path: str) -> tuple[float, float, int]:
    for _ in range(5):
        client.get(path)
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        client.get(path)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], len(ctx.captured_queries)


def main() -> None:
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
    print(f"{connection.vendor} {version} · {REPEAT} requests each after 5 warm-up")
    print(f"{'path':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'× baseline':>11}")
    base = None
    for path, label in paths:
        median, p95, queries = measure(client, path)
        base = base or median
        print(f"{path:34} {median:10.2f} {p95:8.2f} {queries:8d} {median / base:11.1f}   {label}")


if __name__ == "__main__":
    main()
