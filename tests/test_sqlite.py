"""The embedded default (`make run`, SQLite) keeps every constraint, and what needs PostgreSQL
says so in Chinese. Each test starts Django in a fresh interpreter with the local settings and a
throwaway SQLite file, as `make run` would (tests/test_runtime.py does the same for settings)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection


def local(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """Run ``python <args>`` with the local settings on an SQLite file of its own."""
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    environment.update(
        DJANGO_SETTINGS_MODULE="hefei_ai_zone.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    return subprocess.run(
        [sys.executable, *args],
        env=environment,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
        timeout=300,
    )


def test_the_system_check_finds_no_constraint_that_sqlite_would_drop(tmp_path: Path) -> None:
    check = ["check", "--database", "default", "--fail-level", "WARNING"]
    result = local(tmp_path, "manage.py", *check)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "W039" not in result.stdout + result.stderr


SAVE_TWICE = """
import django
django.setup()
from django.core.management import call_command
from django.db import IntegrityError, transaction
call_command("migrate", verbosity=0)
call_command("load_workdays", years="2021-2022", verbosity=0)
from tasks.models import Assignment, Plan, ProgressReport, Section, Task
from tasks.reporting.services import periods_ensure
from units.models import Unit
plan = Plan.objects.create(code="p", name="方案", start_year=2021, end_year=2021)
section = Section.objects.create(plan=plan, code="3.1", part="三", number="一", title="t", seq=1)
task = Task.objects.create(plan=plan, section=section, seq=1, code="3.1.1", content="任务")
unit = Unit.objects.create(name="市科技局", full_name="合肥市科学技术局", kind="municipal")
assignment = Assignment.objects.create(task=task, unit=unit, role="lead", order=1)
period = periods_ensure(plan=plan)[0]
ProgressReport.objects.create(period=period, assignment=assignment, unit=unit)
try:
    with transaction.atomic():
        ProgressReport.objects.create(period=period, assignment=assignment, unit=unit)
except IntegrityError as exc:
    print("refused:", exc)
print("reports:", ProgressReport.objects.count())
"""


def test_on_sqlite_the_same_report_cannot_be_saved_twice(tmp_path: Path) -> None:
    result = local(tmp_path, "-c", SAVE_TWICE)
    assert result.returncode == 0, result.stderr
    assert "refused: UNIQUE constraint failed" in result.stdout
    assert "reports: 1" in result.stdout


def test_generating_scale_data_on_sqlite_says_it_needs_postgresql(tmp_path: Path) -> None:
    result = local(tmp_path, "manage.py", "generate_scale_data", "--tasks", "2", "--units", "3")
    assert result.returncode == 1
    assert "CommandError: 生成规模数据需要 PostgreSQL（COPY）" in result.stderr
    assert "SQLite" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.django_db
def test_on_postgresql_the_constraint_is_plain_and_the_counts_come_from_a_covering_index() -> None:
    """The dashboard's counts of a period's reports stay index-only scans (docs/performance.md)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            ["tasks_progressreport"],
        )
        indexes = dict(cursor.fetchall())
    assert indexes["report_once_per_period"].startswith("CREATE UNIQUE INDEX")
    assert "INCLUDE" not in indexes["report_once_per_period"]
    assert indexes["report_period_counts"].endswith(
        "(period_id, assignment_id, unit_id) INCLUDE (state, status, submitted_at, id)"
    )
