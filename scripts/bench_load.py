#!/usr/bin/env python
"""The load bench of `make bench` (issue 11): 50 simulated people for 60 s against gunicorn.

On the PostgreSQL and Redis of scripts/with-services.sh (DATABASE_URL, REDIS_URL), in a database
of its own (``bench_load``, made afresh and dropped at the end):

1. migrate, load_plan, load_workdays, seed_demo (the local settings: seed_demo is for
   development), then ``--prepare`` in a child: 40 reporters of different units (a unit twice
   only when the open period has fewer units with an editable report), 5 office and 5 leader
   accounts, each with a session made in the database and an API token (no login over HTTP:
   the lockout and the token endpoint's throttle are not what is measured), and each reporter's
   own draft report of the open period (2023Q4) with its version;
2. gunicorn with the project's gunicorn.conf.py, 4 workers, **the production settings** on
   plain-HTTP loopback (DEBUG off, JSON-only API, WhiteNoise's manifest after collectstatic,
   kept database connections; only the HTTPS settings turned off: SECURE_SSL_REDIRECT,
   the secure cookies and HSTS; and the second factor, which sessions made in the database
   do not carry), Redis the cache, the demo date 2023-12-20;
3. ``locust -f scripts/locustfile.py --headless -u 50 -r 10 -t 60s`` as a child process (locust
   patches the standard library with gevent), and prints its throughput, p50/p95/p99 and error
   count per request kind and in all. Goal: no error, p95 under 500 ms.

    scripts/with-services.sh .venv/bin/python scripts/bench_load.py
    make bench                                   # the last step of scripts/bench.py

Figures go to docs/performance.md. BENCH_LOAD_USERS and BENCH_LOAD_SECONDS change the load.
"""

import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "bench_load"
DEMO_DATE = "2023-12-20"
USERS = int(os.environ.get("BENCH_LOAD_USERS", "50"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
REPORTERS, OFFICE, LEADERS = 40, 5, 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def recreate_database(base_url: str, drop_only: bool = False) -> str:
    import psycopg2

    db = psycopg2.connect(base_url)
    db.autocommit = True
    with db.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        if not drop_only:
            cursor.execute(f"CREATE DATABASE {DATABASE}")
    db.close()
    return base_url.rsplit("/", 1)[0] + "/" + DATABASE


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(  # noqa: S603 (this script, fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def prepare(path: str) -> None:
    """In the bench's database (the local settings): the accounts, sessions, tokens and each
    reporter's draft report, written to ``path`` as JSON for the locustfile."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from tasks.models import Assignment, ReportingPeriod, Task
    from tasks.reporting.services import report_open
    from units.models import Role, Unit, User
    from units.services import token_issue

    period = ReportingPeriod.objects.get(state="open")
    task_ids = list(Task.objects.filter(plan__is_current=True).values_list("pk", flat=True))
    now = timezone.now()

    def account(username: str, role: str, unit: Any = None) -> tuple[User, dict[str, Any]]:
        user = User.objects.create_user(username, role=role, unit=unit)
        user.password_changed_at = now
        user.save(update_fields=["password_changed_at"])
        client = Client()
        client.force_login(user)
        return user, {
            "username": username,
            "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "token": token_issue(user=user).key,
            "task_ids": task_ids,
            "period": period.code,
        }

    assignments = list(
        Assignment.objects.filter(task__plan__is_current=True)
        .exclude(unit__kind="group")
        .select_related("unit", "task")
        .order_by("unit__name", "task__seq")
    )
    reporters: list[dict[str, Any]] = []
    used: set[int] = set()
    for distinct in (True, False):  # first one per unit, then more of a unit if needed
        units_done: set[int] = set()
        for assignment in assignments:
            if len(reporters) >= REPORTERS:
                break
            if assignment.pk in used or (distinct and assignment.unit_id in units_done):
                continue
            user, data = account(f"load_r{len(reporters) + 1:02d}", Role.REPORTER, assignment.unit)
            report, _ = report_open(actor=user, assignment=assignment, period=period)
            used.add(assignment.pk)
            if not report.is_editable:
                user.delete()
                continue
            units_done.add(assignment.unit_id)
            data["report"] = {"id": report.pk, "version": report.version}
            data["task_ids"] = [assignment.task_id]
            reporters.append(data)
    office_unit = Unit.objects.get(name="市科技局")  # as the demo office account's
    office = [account(f"load_o{i}", Role.OFFICE, office_unit)[1] for i in range(OFFICE)]
    leaders = [account(f"load_l{i}", Role.LEADER)[1] for i in range(LEADERS)]
    Path(path).write_text(
        json.dumps({"reporter": reporters, "office": office, "leader": leaders}), encoding="utf-8"
    )
    units = len({r["report"]["id"] for r in reporters})
    print(f"bench_load: {units} reporters, {len(office)} office, {len(leaders)} leaders")


def wait_healthy(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"bench_load: {url} did not answer 200")


def one_person(host: str, accounts: Path) -> None:
    """The same requests made by one person in a row (10 each, after one): the floor the load's
    figures stand on, on this machine at this moment."""
    people = json.loads(accounts.read_text(encoding="utf-8"))
    reporter, office = people["reporter"][0], people["office"][0]
    paths = [
        ("page: 我的任务", "/my/", {"Cookie": f"sessionid={reporter['session']}"}),
        ("page: dashboard", "/dashboard/", {"Cookie": f"sessionid={office['session']}"}),
        ("api: dashboard", "/api/dashboard/", {"Authorization": f"Token {office['token']}"}),
    ]
    figures = []
    for name, path, headers in paths:
        times = []
        for _ in range(11):
            request = urllib.request.Request(host + path, headers=headers)  # noqa: S310
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                response.read()
            times.append((time.perf_counter() - started) * 1000)
        figures.append(f"{name} {sorted(times[1:])[5]:.0f} ms")
    print("one person alone, median of 10: " + ", ".join(figures))


def report(prefix: Path) -> None:
    with (prefix.parent / f"{prefix.name}_stats.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    print(
        f"{'request':28} {'count':>7} {'errors':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}"
        f" {'p99 ms':>7}"
    )
    total: dict[str, str] = {}
    for row in rows:
        if row["Name"] == "Aggregated":
            total = row
            continue
        print(_line(row["Name"], row))
    print(_line("all", total))
    p95, errors = float(total["95%"]), int(total["Failure Count"])
    verdict = "met" if errors == 0 and p95 < 500 else "MISSED"
    print(f"goal (no error, p95 < 500 ms): {verdict}")
    failures = prefix.parent / f"{prefix.name}_failures.csv"
    if errors and failures.exists():
        print(failures.read_text(encoding="utf-8")[:2000])


def _line(name: str, row: dict[str, str]) -> str:
    return (
        f"{name:28} {int(row['Request Count']):7d} {int(row['Failure Count']):7d}"
        f" {float(row['Requests/s']):7.1f} {float(row['50%']):7.0f} {float(row['95%']):7.0f}"
        f" {float(row['99%']):7.0f}"
    )


def main() -> None:
    base_url, redis_url = os.environ["DATABASE_URL"], os.environ.get("REDIS_URL", "")
    if not base_url.startswith("postgres") or not redis_url:
        raise SystemExit(
            "bench_load 需要 PostgreSQL 和 Redis：请用 scripts/with-services.sh 运行。"
        )
    print(f"\n== load: {USERS} people for {SECONDS} s against gunicorn (4 workers) ==")
    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    database_url = recreate_database(base_url)
    common = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DATA_DIR": str(folder / "data"),
        "SECRET_KEY": secrets.token_urlsafe(50),  # the same for the sessions made and the app
        "SUPERVISION_TODAY": DEMO_DATE,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "LOG_LEVEL": "WARNING",
    }
    local = {**common, "DJANGO_SETTINGS_MODULE": "hefei_ai_zone.settings.local", "DEBUG": "True"}
    production = {
        **common,
        "DJANGO_SETTINGS_MODULE": "hefei_ai_zone.settings.production",
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "SECURE_HSTS_SECONDS": "0",
        # the office's and leaders' sessions are made in the database, without a second factor
        "OTP_REQUIRED_ROLES": "",
    }
    gunicorn = None
    try:
        started = time.perf_counter()
        for command in (["migrate"], ["load_plan"], ["load_workdays"], ["seed_demo"]):
            manage(local, *command, "-v", "0")
        accounts = folder / "accounts.json"
        subprocess.run(  # noqa: S603 (this script, fixed arguments)
            [sys.executable, __file__, "--prepare", str(accounts)], cwd=ROOT, env=local, check=True
        )
        manage(production, "collectstatic", "--noinput")
        print(f"bench_load: data ready in {time.perf_counter() - started:.0f} s")
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        log = (folder / "gunicorn.log").open("wb")
        gunicorn = subprocess.Popen(  # noqa: S603 (this script, fixed arguments)
            [
                *(sys.executable, "-m", "gunicorn", "hefei_ai_zone.wsgi", "--workers", "4"),
                *("--bind", f"127.0.0.1:{port}", "--access-logfile", "-"),
            ],
            cwd=ROOT,
            env=production,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_healthy(f"{host}/healthz/")
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"machine: {os.cpu_count()} CPUs, load average {load} (1, 5, 15 min) at the start")
        one_person(host, accounts)
        prefix = folder / "locust"
        subprocess.run(  # noqa: S603 (this script, fixed arguments)
            [
                *(sys.executable, "-m", "locust", "-f", str(ROOT / "scripts" / "locustfile.py")),
                *("--headless", "-u", str(USERS), "-r", "10", "-t", f"{SECONDS}s", "--host", host),
                *("--csv", str(prefix), "--only-summary", "--loglevel", "ERROR"),
            ],
            cwd=ROOT,
            env={**common, "BENCH_LOAD_ACCOUNTS": str(accounts)},
            check=False,
            stdout=subprocess.DEVNULL,
        )
        report(prefix)
        load = " ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"machine: {os.cpu_count()} CPUs, load average {load} (1, 5, 15 min) at the end")
        errors = [
            line
            for line in (folder / "gunicorn.log").read_text(errors="replace").splitlines()
            if "Traceback" in line or '" 5' in line
        ]
        print(f"gunicorn: {len(errors)} server errors logged")
    finally:
        if gunicorn is not None:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait(timeout=30)
        recreate_database(base_url, drop_only=True)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--prepare":
        prepare(sys.argv[2])
    else:
        main()
