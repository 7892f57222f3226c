#!/usr/bin/env python
"""The Excel import of 2,000 rows, and the 导出 Excel of a long list, on the bench PostgreSQL.

A unit with 2,000 duties in the open period (2,000 tasks added to the current plan, each led by
the unit), its reporter: download the template (server time), fill every row with openpyxl, upload
it (the whole request: size and zip checks, openpyxl reading, 2,000 rows through the reporting
services in one transaction), then upload the same file again (every row 未变化). Then the task
list's export at 2,057 tasks. Nothing wraps the import in a transaction of the bench's, so its
after-commit work (the dashboard's cache and lights versions, reports.signals) is timed too; what
the bench wrote is deleted at the end. Goal: the import of 2,000 rows under 10 s.

    scripts/with-services.sh .venv/bin/python scripts/bench_imports.py   # alone
    make bench                                                           # the last step
"""

import os
import resource
import sys
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hefei_ai_zone.settings.local")
os.environ.setdefault("DEBUG", "False")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from openpyxl import load_workbook  # type: ignore[import-untyped]  # noqa: E402

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "2000"))
BENCH_UNIT = "导入压测单位"


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, call: Callable[[], Any]) -> tuple[Any, float, int]:
    """The call's result, wall time and SQL statements (counted, not logged)."""
    count = [0]

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        result = call()
        seconds = time.perf_counter() - start
    print(f"{label:52} {seconds:7.2f} s  {count[0]:6} queries")
    return result, seconds, count[0]


def run() -> None:
    from tasks.imports.template import FIRST_ROW, HEADERS
    from tasks.models import Assignment, PeriodState, ProgressReport, ReportingPeriod, Task
    from tasks.plan.selectors import plan_current
    from tasks.reporting.services import periods_ensure
    from units.models import Role, Unit, User

    plan = plan_current()
    assert plan is not None, "no plan loaded"
    periods_ensure(plan=plan)
    period = ReportingPeriod.objects.filter(plan=plan).order_by("-start_date").first()
    assert period is not None
    ReportingPeriod.objects.filter(plan=plan, state=PeriodState.OPEN).exclude(pk=period.pk).update(
        state=PeriodState.CLOSED
    )
    period.state = PeriodState.OPEN
    period.save(update_fields=["state"])
    unit = Unit.objects.create(name=BENCH_UNIT, full_name=BENCH_UNIT, kind="bureau")
    user = User.objects.create_user("bench_import", role=Role.REPORTER, unit=unit)
    section = plan.sections.order_by("seq").first()
    last = Task.objects.filter(plan=plan).order_by("-seq").values_list("seq", flat=True).first()
    tasks = Task.objects.bulk_create(
        Task(
            plan=plan,
            seq=(last or 0) + i,
            code=f"B.{i}",
            section=section,
            content=f"压测任务 {i}：推进人工智能应用场景建设，形成可复制推广的经验做法。",
        )
        for i in range(1, ROWS + 1)
    )
    Assignment.objects.bulk_create(
        Assignment(task=t, unit=unit, role="lead", order=1) for t in tasks
    )
    client = Client()
    client.force_login(user)
    print(f"{ROWS} duties of one unit in {period.code} (plan {plan.code})")
    response, _, _ = timed(
        "template download (GET /imports/template/)",
        lambda: client.get("/imports/template/", {"period": period.code}),
    )
    wb = load_workbook(BytesIO(response.content))
    ws = wb["进展填报"]
    col = {h: i + 1 for i, h in enumerate(HEADERS)}
    start = time.perf_counter()
    for n in range(FIRST_ROW, FIRST_ROW + ROWS):
        ws.cell(row=n, column=col["状态"], value="按计划推进")
        ws.cell(row=n, column=col["完成百分比"], value=50)
        ws.cell(row=n, column=col["进展情况"], value=f"第{n}行：本季度完成阶段目标，进展顺利。")
        ws.cell(row=n, column=col["下步计划"], value="继续推进，按期完成年度任务。")
    out = BytesIO()
    wb.save(out)
    data = out.getvalue()
    print(
        f"{'filled with openpyxl (not part of the import)':52} "
        f"{time.perf_counter() - start:7.2f} s  {len(data) // 1024} KiB"
    )

    def post() -> Any:
        return client.post(
            "/imports/", {"period": period.code, "file": SimpleUploadedFile("进展.xlsx", data)}
        )

    before = peak_mb()
    response, seconds, _ = timed(f"import of {ROWS} rows (POST /imports/)", post)
    html = response.content.decode()
    saved = ProgressReport.objects.filter(period=period, unit=unit).count()
    print(
        f"{'':52} status {response.status_code}, {saved} reports saved"
        f", peak RSS {peak_mb():.0f} MB (before {before:.0f} MB)"
        f" · goal under 10 s: {'met' if seconds < 10 and saved == ROWS else 'NOT met'}"
    )
    assert "import-problems" not in html, html[:2000]
    timed(f"the same file again ({ROWS} rows 未变化)", post)
    exporter = Client()
    exporter.force_login(user)
    timed(
        f"导出 Excel of the task list ({Task.objects.filter(plan=plan).count()} tasks)",
        lambda: exporter.get("/plan/", {"format": "xlsx"}),
    )


def main() -> None:
    print()
    print("Excel import and export (scripts/bench_imports.py)")
    from tasks.models import ProgressReport, ReportingPeriod, Task
    from units.models import Unit, User

    states = dict(ReportingPeriod.objects.values_list("pk", "state"))
    try:
        run()
    finally:  # what the bench wrote, deleted; the periods' states as they were
        unit = Unit.objects.filter(name=BENCH_UNIT).first()
        if unit is not None:
            ProgressReport.objects.filter(unit=unit).delete()  # versions, transitions
            Task.objects.filter(assignments__unit=unit).delete()  # and their assignments
            User.objects.filter(unit=unit).delete()
            unit.delete()
        for state in set(states.values()):
            ids = [pk for pk, s in states.items() if s == state]
            ReportingPeriod.objects.filter(pk__in=ids).update(state=state)


if __name__ == "__main__":
    call_command("migrate", verbosity=0)
    call_command("load_plan", verbosity=0)
    call_command("load_workdays", verbosity=0)
    main()
