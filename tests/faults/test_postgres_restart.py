"""PostgreSQL restarted while people work (issue 11, "Faults, and nothing lost"): the app served
by gunicorn on a PostgreSQL cluster of the test's own, with persistent connections. A report save
in flight when the database stops is rolled back whole; while it is down pages answer a Chinese
503 page and the API its one JSON shape; once it is back the same session and token work again,
without restarting the app, and the data is intact."""

import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from hefei_ai_zone.errors import DATABASE_UNAVAILABLE_MESSAGE
from tasks.models import Plan, ReportingPeriod
from tasks.reporting.models import ReportVersion
from tasks.reporting.services import periods_ensure, report_open
from tests.notifications.processes import ROOT, PostgresServer, postgres_bin, stop, wait_for
from tests.notifications.servers import free_port
from tests.plan.factories import assignment_of
from tests.units.factories import make_user
from units.models import Role
from units.services import token_issue

PASSWORD = "pw-for-tests-1"  # tests.units.factories.make_user's


@pytest.fixture
def own_postgres() -> Iterator[PostgresServer]:
    server = PostgresServer(free_port())
    server.start()
    try:
        yield server
    finally:
        server.remove()


def copy_test_database(server: PostgresServer, folder: Path) -> str:
    """The test database's committed rows, copied into ``server`` (pg_dump, pg_restore)."""
    source = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    dump = folder / "db.dump"
    subprocess.run([postgres_bin("pg_dump"), "-Fc", "-f", str(dump), source], check=True)
    subprocess.run(
        [
            postgres_bin("createdb"),
            *("-h", "127.0.0.1", "-p", str(server.port), "-U", "postgres"),
            "faults",
        ],
        check=True,
    )
    subprocess.run(
        [postgres_bin("pg_restore"), "--no-owner", "-d", server.url("faults"), str(dump)],
        check=True,
    )
    return server.url("faults")


def start_gunicorn(database_url: str, port: int, folder: Path) -> subprocess.Popen[bytes]:
    """The app as in production: gunicorn with the project's gunicorn.conf.py, DEBUG off,
    database connections kept 60 s (the local settings: plain HTTP on loopback)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hefei_ai_zone.settings.local",
        "DEBUG": "False",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": "",
        "DATA_DIR": str(folder / "data"),
        "SUPERVISION_TODAY": "",
    }
    return subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "hefei_ai_zone.wsgi", "--workers", "2"),
            *("--bind", f"127.0.0.1:{port}", "--timeout", "60", "--log-level", "info"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def login(site: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{site}/accounts/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    response = session.post(
        f"{site}/accounts/login/",
        data={"csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD},
        headers={"Referer": f"{site}/accounts/login/"},
        timeout=10,
    )
    assert response.status_code == 200 and "sessionid" in session.cookies, response.text[:500]
    return session


def waiting_on_a_lock(database_url: str) -> list[str]:
    with psycopg2.connect(database_url) as db, db.cursor() as cursor:
        cursor.execute("SELECT query FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
        return [row[0] for row in cursor.fetchall()]


def report_row(database_url: str, pk: int) -> tuple[Any, ...]:
    with psycopg2.connect(database_url) as db, db.cursor() as cursor:
        cursor.execute(
            "SELECT version, percent, narrative, (SELECT count(*) FROM "  # noqa: S608
            f"{ReportVersion._meta.db_table} WHERE report_id = %s) "
            "FROM tasks_progressreport WHERE id = %s",
            [pk, pk],
        )
        row = cursor.fetchone()
        assert row is not None
        return tuple(row)


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_restart_answers_503_in_chinese_then_recovers_with_nothing_half_written(
    committed_plan: None, own_postgres: PostgresServer, tmp_path: Path
) -> None:
    periods_ensure(plan=Plan.objects.get(code="hefei-ai-2020-2023"))
    ReportingPeriod.objects.filter(code="2021Q3").update(state="open")
    reporter = make_user("pg_reporter", Role.REPORTER, "市科技局")
    # The app's settings know the production hashers, not the tests' MD5.
    reporter.password = PBKDF2PasswordHasher().encode(PASSWORD, "faultstestsalt")
    reporter.save(update_fields=["password"])
    report, _ = report_open(
        actor=reporter,
        assignment=assignment_of(1, "市科技局"),
        period=ReportingPeriod.objects.get(code="2021Q3"),
        status="on_track",
        percent=30,
        narrative="已完成调研。",
    )
    api_token = token_issue(user=reporter).key
    database_url = copy_test_database(own_postgres, tmp_path)
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    app = start_gunicorn(database_url, port, tmp_path)
    try:
        assert wait_for(lambda: answers(f"{site}/healthz/"), 60), stop(app)
        browser = login(site, "pg_reporter")
        api = requests.Session()
        api.headers["Authorization"] = f"Token {api_token}"
        assert browser.get(f"{site}/my/", timeout=10).status_code == 200
        detail = f"{site}/api/progress-reports/{report.pk}/"
        before = report_row(database_url, report.pk)
        assert before[:2] == (report.version, 30)

        # A save in flight: the report row is updated, then its version row waits on a lock
        # (an administrator's LOCK TABLE) when the database is stopped.
        locker = psycopg2.connect(database_url)
        locker.cursor().execute(
            f"LOCK TABLE {ReportVersion._meta.db_table} IN ACCESS EXCLUSIVE MODE"
        )
        saved: dict[str, requests.Response] = {}
        patch: dict[str, Any] = {
            "percent": 60,
            "narrative": "已完成模型训练。",
            "version": report.version,
        }
        saving = threading.Thread(
            target=lambda: saved.update(response=api.patch(detail, json=patch, timeout=60))
        )
        saving.start()
        assert wait_for(
            lambda: any(
                q.startswith(f'INSERT INTO "{ReportVersion._meta.db_table}"')
                for q in waiting_on_a_lock(database_url)
            ),
            30,
        ), waiting_on_a_lock(database_url)
        own_postgres.stop("fast")  # ends every session, rolling back their transactions
        saving.join(60)
        locker.close()
        in_flight = saved["response"]
        assert in_flight.status_code == 503
        assert in_flight.json() == {"message": DATABASE_UNAVAILABLE_MESSAGE, "extra": {}}

        # Down: a Chinese page and the API's one shape, never a traceback.
        page = browser.get(f"{site}/my/", timeout=10)
        assert page.status_code == 503 and page.headers["Content-Type"].startswith("text/html")
        assert DATABASE_UNAVAILABLE_MESSAGE in page.text and "Traceback" not in page.text
        answer = api.get(detail, timeout=10)
        assert answer.status_code == 503 and answer.headers["Retry-After"] == "30"
        assert answer.json() == {"message": DATABASE_UNAVAILABLE_MESSAGE, "extra": {}}
        assert browser.get(f"{site}/healthz/", timeout=10).status_code == 503

        # Back: the same session and token, no restart of the app; the save left nothing.
        own_postgres.start()
        assert report_row(database_url, report.pk) == before
        for _ in range(4):  # both workers' kept connections are replaced
            assert browser.get(f"{site}/my/", timeout=10).status_code == 200
            assert api.get(detail, timeout=10).status_code == 200
        saved_now = api.patch(detail, json=patch, timeout=30)
        assert saved_now.status_code == 200, saved_now.text
        after = report_row(database_url, report.pk)
        assert after == (report.version + 1, 60, "已完成模型训练。", before[3] + 1)
    finally:
        output = stop(app)
    # No worker died or hung: the same two served before, during and after the outage.
    assert "WORKER TIMEOUT" not in output and output.count("Booting worker") == 2, output
