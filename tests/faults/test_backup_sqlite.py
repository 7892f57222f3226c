"""backup and restore on the embedded SQLite database (`make run`'s default): the same archive
through sqlite3's backup API, a round trip into a deleted database file and media folder, in
child processes with the local settings (the tests' own settings are PostgreSQL only)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.notifications.processes import ROOT

FINGERPRINTS = """
import hashlib, json
from django.db import connection
found = {}
with connection.cursor() as cursor:
    for table in connection.introspection.table_names(cursor):
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY rowid')
        rows = cursor.fetchall()
        found[table] = [len(rows), hashlib.md5(repr(rows).encode()).hexdigest()]
print(json.dumps(found))
"""


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_a_sqlite_round_trip_gives_back_every_table_and_file(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "hefei_ai_zone.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DATA_DIR": str(tmp_path / "data"),
        "REDIS_URL": "",
    }
    manage(env, "migrate", "-v", "0")
    manage(env, "load_plan", "-v", "0")
    media = tmp_path / "data" / "media" / "evidence"
    media.mkdir(parents=True)
    (media / "佐证材料.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)))
    before = json.loads(manage(env, "shell", "-c", FINGERPRINTS).strip().splitlines()[-1])
    assert before["tasks_task"][0] > 50

    out = manage(env, "backup", "--output", str(tmp_path / "backup.tar.gz"))
    assert "1 个文件" in out
    (tmp_path / "db.sqlite3").unlink()
    shutil.rmtree(tmp_path / "data" / "media")
    out = manage(env, "restore", str(tmp_path / "backup.tar.gz"), "--yes")
    assert "已从" in out

    after = json.loads(manage(env, "shell", "-c", FINGERPRINTS).strip().splitlines()[-1])
    assert after == before
    assert (media / "佐证材料.pdf").read_bytes() == b"%PDF-1.7\n" + bytes(range(256))
