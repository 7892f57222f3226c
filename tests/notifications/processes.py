"""Real processes for the integration tests: a Celery worker (solo pool) on the test's database
and a Redis of the test's choosing, its own redis-server when a test stops and starts Redis, and
waiting with a bound. Every process started here is killed by the caller in a ``finally``."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def start_worker(smtp_port: int, **env: str) -> subprocess.Popen[bytes]:
    """A worker on the test database (the transactional test's committed rows), mail to the
    local SMTP server; ``env`` adds or overrides variables (REDIS_URL, SUPERVISION_TODAY...)."""
    database_url = (
        os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    )
    variables = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hefei_ai_zone.settings.local",
        "DATABASE_URL": database_url,
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "SUPERVISION_TODAY": "",
        **env,
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "hefei_ai_zone",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=variables,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def kill(worker: subprocess.Popen[bytes]) -> str:
    if worker.poll() is None:
        worker.send_signal(signal.SIGKILL)
    return worker.communicate(timeout=30)[0].decode(errors="replace")


def stop(worker: subprocess.Popen[bytes]) -> str:
    if worker.poll() is None:
        worker.terminate()
    try:
        return worker.communicate(timeout=30)[0].decode(errors="replace")
    except subprocess.TimeoutExpired:
        return kill(worker)


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


class RedisServer:
    """A redis-server of the test's own on a fixed loopback port, stopped and started again on
    that port (not the suite's Redis)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.dir = tempfile.mkdtemp(prefix="hefei-ai-zone-redis-")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "/usr/bin/redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.dir,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(self.ping, 10), "redis-server did not start"

    def ping(self) -> bool:
        done = subprocess.run(
            [
                shutil.which("redis-cli") or "/usr/bin/redis-cli",
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "ping",
            ],
            capture_output=True,
            check=False,
        )
        return done.stdout.strip() == b"PONG"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


def postgres_bin(name: str) -> str:
    """A PostgreSQL program of the newest installed version (as scripts/with-services.sh)."""
    folders = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return str(folders[-1] / name) if folders else shutil.which(name) or name


class PostgresServer:
    """A PostgreSQL cluster of the test's own (not the suite's), in a temporary folder on a fixed
    loopback port, stopped and started again on that port. initdb and pg_ctl refuse to run as
    root: as root they run as the postgres user (docs: /work/shared/STACK-NOTES.md)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.dir = tempfile.mkdtemp(prefix="hefei-ai-zone-pg-")
        self.data = os.path.join(self.dir, "pg")
        self.as_postgres: list[str] = []
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_postgres = ["runuser", "-u", "postgres", "--"]
        self._run(
            postgres_bin("initdb"),
            *("-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8"),
            *("--locale=C.UTF-8", "--no-sync"),
        )

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str) -> None:
        subprocess.run([*self.as_postgres, *command], check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.dir} -c fsync=off"
        log = os.path.join(self.dir, "pg.log")
        self._run(postgres_bin("pg_ctl"), "-D", self.data, "-l", log, "-w", "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        """``fast``: sessions are ended and their transactions rolled back (a restart by the
        administrator); ``immediate``: as if the server died."""
        self._run(postgres_bin("pg_ctl"), "-D", self.data, "-m", mode, "-w", "stop")

    def remove(self) -> None:
        subprocess.run(
            [*self.as_postgres, postgres_bin("pg_ctl"), "-D", self.data, "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(self.dir, ignore_errors=True)
