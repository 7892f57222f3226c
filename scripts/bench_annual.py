#!/usr/bin/env python
"""The annual workbook at 100,000 report rows (goal: under 15 s and under 300 MB peak RSS).

Generates a plan of its own into the throwaway PostgreSQL (``generate_scale_data``, COPY: 5,000
tasks, 300 units, 25,000 assignments, the four quarters of 2025, one report per duty and period,
the last quarter being filled in), then builds the workbook of 2025 in a child process, as the
Celery worker would, and reads its wall time and peak RSS (``ru_maxrss`` of the child) beside a
child that only starts Django (the floor). Also the seed plan's workbook, report PDF and Word.

    scripts/with-services.sh .venv/bin/python scripts/bench_annual.py
    make bench                                   # the last step of scripts/bench.py

Figures go to docs/performance.md.
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hefei_ai_zone.settings.local")
os.environ.setdefault("DEBUG", "False")

PLAN = "annual-bench"
YEAR = 2025
SCALE = {
    "tasks": 5000,
    "units": 300,
    "assignments": 25000,
    "periods": 4,
    "start_year": YEAR,
    "milestones_per_assignment": 2,
    "ledger": 2000,
}


def child(what: str) -> None:
    """Runs in the child: build ``what`` and print its figures as JSON."""
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.annual import report
    from reports.annual.selectors import annual_year
    from reports.annual.workbook import workbook_build
    from tasks.models import Plan, ProgressReport

    started = time.perf_counter()
    size, queries, reports = 0, 0, 0
    if what != "floor":
        code, year, fmt = what.split(":")
        plan = Plan.objects.get(code=code)
        reports = ProgressReport.objects.filter(period__plan=plan, period__year=int(year)).count()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            y = annual_year(int(year), plan)
            if fmt == "xlsx":
                data = workbook_build(y)
            else:
                content = report.annual_content(y)
                data = report.pdf(content) if fmt == "pdf" else report.docx(content)
        size, queries = len(data), len(ctx.captured_queries)
    elapsed = time.perf_counter() - started
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux
    figures = {"seconds": elapsed, "bytes": size, "queries": queries, "reports": reports}
    print(json.dumps({**figures, "rss_mb": rss_mb}))


def measure(what: str) -> dict[str, float]:
    """Run a child and return its figures, its peak RSS (MB) among them."""
    out = subprocess.run(  # noqa: S603 - this script, fixed arguments
        [sys.executable, __file__, "--child", what],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def line(label: str, f: dict[str, float], note: str = "") -> None:
    print(
        f"{label:52} {f['seconds']:7.2f} {f['rss_mb']:8.0f} {f['queries']:8.0f}"
        f" {f['bytes'] / 1024:8.0f}{note}"
    )


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from reports.dashboards import everything_changed
    from tasks.models import Plan

    call_command("migrate", verbosity=0)
    call_command("load_plan", verbosity=0)
    call_command("load_workdays", verbosity=0)
    current = list(Plan.objects.filter(is_current=True).values_list("pk", flat=True))
    print("\nannual export (reports.annual), each built in a child process")
    print(f"{'what':52} {'s':>7} {'peak MB':>8} {'queries':>8} {'size KB':>8}")
    line("child floor: Django started, nothing built", measure("floor"))
    seed = Plan.objects.get(code="hefei-ai-2020-2023")
    from tasks.reporting.services import periods_ensure

    periods_ensure(plan=seed)
    for fmt in ("xlsx", "docx", "pdf"):
        line(f"seed plan 2021 {fmt}", measure(f"{seed.code}:2021:{fmt}"))
    started = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("generate_scale_data", plan_code=PLAN, replace=True, stdout=quiet, **SCALE)
    everything_changed()
    generated = time.perf_counter() - started
    f = measure(f"{PLAN}:{YEAR}:xlsx")
    verdict = "ok" if f["seconds"] < 15 and f["rss_mb"] < 300 else "OVER GOAL"
    label = f"workbook {YEAR}: {int(f['reports']):,} reports, 5,000 tasks"
    line(label, f, f"   goal < 15 s, < 300 MB: {verdict} (data made in {generated:.0f} s)")
    from django.db import transaction

    from tasks.seed.scale import plan_data_delete

    with transaction.atomic():
        plan_data_delete(Plan.objects.get(code=PLAN))
    Plan.objects.filter(pk__in=current).update(is_current=True)
    everything_changed()


if __name__ == "__main__":
    if "--child" in sys.argv:
        child(sys.argv[sys.argv.index("--child") + 1])
    else:
        main()
