#!/usr/bin/env python
"""The 督查通报's build time and peak memory, on the PostgreSQL that `make bench` starts.

    make bench                              # calls main() at the end of scripts/bench.py
    scripts/with-services.sh .venv/bin/python scripts/bench_bulletin.py

1. The seed plan with the demo data (seed_demo): the 2021Q3 bulletin as PDF and as Word
   (goal: under 5 s each).
2. A plan of 2,000 tasks with their reports (generate_scale_data, 4 quarters): the bulletin as PDF
   (its appendix has 2,000 rows) against a plain WeasyPrint table of the same 2,000 rows built in
   the same run, the library's own floor (goal: at most 2× its time, under 600 MB peak). The
   bulletin's appendix is laid out in parts of DOCUMENT_PDF_CHUNK_ROWS rows and joined
   (reports.documents.layout.pdf_render_parts).

Each build runs in a child process of its own (``--child``), which reports its build time and its
peak resident memory (VmHWM of /proc/self/status: Django, the data and the build together), so
that one build's memory never hides in another's. Figures go to docs/performance.md.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hefei_ai_zone.settings.local")
os.environ.setdefault("DEBUG", "False")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

SEED_PERIOD = "2021Q3"
SCALE_PLAN = "bench-bulletin"
SCALE_TASKS = 2000
PLAIN_TABLE = """<!doctype html><html lang="zh-hans"><head><meta charset="utf-8"><style>
@page {{ size: A4 landscape; margin: 20mm; }}
body {{ font-family: "Noto Serif CJK SC", serif; font-size: 9pt; }}
table {{ width: 100%; border-collapse: collapse; }} thead {{ display: table-header-group; }}
th, td {{ border: 0.75pt solid #000; padding: 1.5pt 3pt; vertical-align: top; }}
</style></head><body><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>
</body></html>"""


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(kind: str, fmt: str, period: str) -> None:
    """Build once and print {"seconds", "peak_mb", "bytes"} as JSON."""
    import django

    django.setup()
    from django.utils.html import escape

    from reports.bulletins.builder import APPENDIX_HEADERS, BULLETIN, appendix_rows
    from reports.bulletins.selectors import bulletin_content, period_for_code

    if kind == "bulletin":
        params = BULLETIN.parse_params({"period": period})
        started = time.perf_counter()
        data = BULLETIN.build(params, fmt, lambda _p, _s: None).content
    else:  # the plain table of the same appendix rows: WeasyPrint's own floor
        from weasyprint import HTML  # type: ignore[import-untyped]

        rows = appendix_rows(bulletin_content(period_for_code(period)))
        started = time.perf_counter()
        head = "".join(f"<th>{escape(h)}</th>" for h in APPENDIX_HEADERS)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows
        )
        data = HTML(string=PLAIN_TABLE.format(head=head, body=body)).write_pdf()
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "peak_mb": peak_mb(), "bytes": len(data)}))


def run_child(kind: str, fmt: str, period: str) -> dict[str, float]:
    done = subprocess.run(  # noqa: S603 (this script, fixed arguments)
        [sys.executable, __file__, "--child", kind, fmt, period],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=1800,
    )
    if done.returncode != 0:
        raise SystemExit(f"{kind} {fmt} {period} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def line(label: str, figures: dict[str, float], note: str = "") -> None:
    print(
        f"{label:44} {figures['seconds']:7.2f} s  {figures['peak_mb']:7.0f} MB peak"
        f"  {figures['bytes'] / 1024:8.0f} KB  {note}"
    )


def main() -> None:
    import django

    django.setup()
    import io

    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import override_settings

    from tasks.models import Plan, ProgressReport, ReportingPeriod

    print("\n督查通报 (bulletin): build time and peak memory, one child process per build")
    call_command("migrate", verbosity=0)
    call_command("load_plan", verbosity=0)
    call_command("load_workdays", verbosity=0)
    seed_plan = Plan.objects.get(code="hefei-ai-2020-2023")
    if not ProgressReport.objects.filter(period__plan=seed_plan).exists():
        with override_settings(DEBUG=True):
            call_command("seed_demo", stdout=io.StringIO())
    Plan.objects.exclude(pk=seed_plan.pk).update(is_current=False)
    Plan.objects.filter(pk=seed_plan.pk).update(is_current=True)
    cache.clear()
    for fmt in ("pdf", "docx"):
        figures = run_child("bulletin", fmt, SEED_PERIOD)
        line(f"seed plan {SEED_PERIOD} bulletin {fmt}", figures, "goal < 5 s")

    started = time.perf_counter()
    call_command(
        "generate_scale_data",
        tasks=SCALE_TASKS,
        units=300,
        assignments=SCALE_TASKS * 5,
        periods=4,
        milestones_per_assignment=1,
        ledger=2000,
        plan_code=SCALE_PLAN,
        start_year=2022,
        replace=True,
        current=True,
        stdout=io.StringIO(),
    )
    cache.clear()
    plan = Plan.objects.get(code=SCALE_PLAN)
    period = ReportingPeriod.objects.filter(plan=plan).order_by("-start_date")[1]
    reports = ProgressReport.objects.filter(period=period).count()
    print(
        f"plan of {SCALE_TASKS} tasks generated in {time.perf_counter() - started:.1f} s; "
        f"period {period.code}: {reports} reports"
    )
    try:
        plain = run_child("plain", "pdf", period.code)
        line(f"plain WeasyPrint table, {SCALE_TASKS} rows", plain, "the floor")
        bulletin = run_child("bulletin", "pdf", period.code)
        ratio = bulletin["seconds"] / plain["seconds"]
        from django.conf import settings

        line(
            f"{SCALE_TASKS}-task bulletin pdf (parts of {settings.DOCUMENT_PDF_CHUNK_ROWS} rows)",
            bulletin,
            f"{ratio:.2f}× the plain table (goal ≤ 2×, < 600 MB)",
        )
        docx = run_child("bulletin", "docx", period.code)
        line(f"{SCALE_TASKS}-task bulletin docx", docx)
    finally:
        Plan.objects.filter(code=SCALE_PLAN).update(is_current=False)
        Plan.objects.filter(pk=seed_plan.pk).update(is_current=True)
        cache.clear()


if __name__ == "__main__":
    if "--child" in sys.argv:
        i = sys.argv.index("--child")
        child(*sys.argv[i + 1 : i + 4])
    else:
        main()
