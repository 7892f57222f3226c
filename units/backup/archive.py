"""One archive of the platform: the database and every file under MEDIA_ROOT, with a manifest.

The archive is a gzip'd tar holding

- ``manifest.json``: when and by which versions it was written (Django, Python, the database
  server, the latest applied migration of each app), each table's row count, and the SHA-256 and
  size of the database dump and of every file;
- ``database.dump`` (PostgreSQL: ``pg_dump -Fc`` with the connection's credentials) or
  ``database.sqlite3`` (SQLite: a consistent copy through sqlite3's backup API);
- ``media/<path>``: the uploaded and generated files.

``backup_write`` writes it (the database as of one snapshot: pg_dump's own transaction; the files
as they are then); ``backup_restore`` checks everything (the manifest, each member's SHA-256, the
migrations against this code's) before it changes anything, then restores the database
(``pg_restore --clean --if-exists --no-owner --single-transaction``: all or nothing; SQLite
through the backup API) and swaps the media folder for the archive's (the old one is kept until
the new one is in place). This module imports nothing of ``tasks/``: it reads the tables through
the database's introspection.
"""

import hashlib
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import django
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from hefei_ai_zone.errors import ApplicationError

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media/"
DUMP_NAMES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024
# All or nothing: the tables dropped and recreated in one transaction.
RESTORE_OPTIONS = ("--clean", "--if-exists", "--no-owner", "--single-transaction")


class BackupError(ApplicationError):
    """A backup or restore that cannot go on; the message says why, in Chinese."""


@dataclass(frozen=True)
class Summary:
    path: Path
    tables: int
    rows: int
    files: int
    size: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _vendor() -> str:
    vendor = connection.vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"不支持备份 {vendor} 数据库（只支持 PostgreSQL 和 SQLite）。")
    return vendor


def table_counts() -> dict[str, int]:
    """Every table's row count (the tables the database has, not only Django's models)."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def applied_migrations() -> dict[str, str]:
    """The latest applied migration of each app (the schema's version)."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    latest: dict[str, str] = {}
    for app, name in sorted(loader.applied_migrations):
        if (app, name) in loader.graph.nodes:
            latest[app] = max(latest.get(app, ""), name)
    return latest


def code_migrations() -> dict[str, str]:
    """The latest migration of each app in this code (the leaves of the migration graph)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    latest: dict[str, str] = {}
    for app, name in loader.graph.leaf_nodes():
        latest[app] = max(latest.get(app, ""), name)
    return latest


def _server_version() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return str(cursor.fetchone()[0])
    return sqlite3.sqlite_version


def _pg_command(program: str) -> tuple[list[str], dict[str, str]]:
    """A PostgreSQL client program with the connection's credentials (the password through the
    environment, never on the command line)."""
    params = connection.settings_dict
    args = [shutil.which(program) or program, "--no-password"]
    if params.get("HOST"):
        args += ["-h", str(params["HOST"])]
    if params.get("PORT"):
        args += ["-p", str(params["PORT"])]
    if params.get("USER"):
        args += ["-U", str(params["USER"])]
    env = {**os.environ}
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return args, env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    try:
        # The programs and arguments come from the settings, not from a request.
        done = subprocess.run(  # noqa: S603
            args, env=env, capture_output=True, check=False, timeout=6 * 3600
        )
    except FileNotFoundError as error:
        raise BackupError(
            f"{what}失败：找不到程序 {args[0]}（请安装 postgresql-client）。"
        ) from error
    if done.returncode != 0:
        detail = done.stderr.decode(errors="replace").strip()[-2000:]
        raise BackupError(f"{what}失败：{detail}")


def _dump_database(target: Path) -> None:
    if connection.vendor == "postgresql":
        args, env = _pg_command("pg_dump")
        name = str(connection.settings_dict["NAME"])
        _run([*args, "-Fc", "-f", str(target), "-d", name], env, "导出数据库")
        return
    connection.ensure_connection()
    source = connection.connection
    with sqlite3.connect(target) as copy:
        source.backup(copy)
    copy.close()


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def backup_write(output: Path) -> Summary:
    """Write the archive to ``output`` (through a temporary file beside it, renamed at the end:
    never a half-written archive under the name)."""
    vendor = _vendor()
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="backup-", dir=output.parent) as folder:
        dump = Path(folder) / DUMP_NAMES[vendor]
        counts = table_counts()
        _dump_database(dump)
        files = {
            path.relative_to(media_root).as_posix(): {
                "sha256": _sha256(path),
                "size": path.stat().st_size,
            }
            for path in _media_files()
        }
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "versions": {
                "django": django.get_version(),
                "python": platform.python_version(),
                "database": vendor,
                "database_server": _server_version(),
                "migrations": applied_migrations(),
            },
            "tables": counts,
            "database": {
                "name": dump.name,
                "sha256": _sha256(dump),
                "size": dump.stat().st_size,
            },
            "files": files,
        }
        partial = Path(folder) / "archive.partial"
        with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            for name in files:
                archive.add(media_root / name, arcname=MEDIA + name)
        os.replace(partial, output)
    return Summary(output, len(counts), sum(counts.values()), len(files), output.stat().st_size)


# --- restore ---------------------------------------------------------------------------------


def _open(path: Path) -> tarfile.TarFile:
    if not path.is_file():
        raise BackupError(f"找不到备份文件：{path}")
    try:
        return tarfile.open(path, "r:*")
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"备份文件已损坏或不是本平台的备份（{path.name}）：{error}") from error


def _manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile(MANIFEST)
        if member is None:
            raise KeyError(MANIFEST)
        manifest = json.loads(member.read())
    except KeyError as error:
        raise BackupError("备份文件中没有清单（manifest.json），不是本平台的备份。") from error
    except (ValueError, tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"备份文件已损坏，清单无法读取：{error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("备份文件的清单格式不对，不是本平台这一版本的备份。")
    return manifest


def _check_versions(manifest: dict[str, Any]) -> None:
    versions = manifest.get("versions", {})
    vendor = _vendor()
    if versions.get("database") != vendor:
        raise BackupError(
            f"备份来自 {versions.get('database')} 数据库，当前是 {vendor}，不能直接恢复。"
        )
    theirs: dict[str, str] = versions.get("migrations", {})
    ours = code_migrations()
    differ = sorted(
        f"{app}（备份 {theirs.get(app, '无')}，当前 {ours.get(app, '无')}）"
        for app in set(theirs) | set(ours)
        if theirs.get(app) != ours.get(app)
    )
    if differ:
        raise BackupError(
            "备份的数据库结构与当前程序版本不一致，请用写出该备份的程序版本恢复："
            + "；".join(differ)
        )


def _extract(archive: tarfile.TarFile, manifest: dict[str, Any], folder: Path) -> Path:
    """Every member into ``folder``, each checked against the manifest's SHA-256 and size;
    nothing else may be in the archive. Returns the database file."""
    expected = {MEDIA + name: meta for name, meta in manifest.get("files", {}).items()}
    database = manifest.get("database", {})
    expected[str(database.get("name"))] = database
    seen = set()
    try:
        for member in archive:
            if member.name == MANIFEST:
                continue
            meta = expected.get(member.name)
            if meta is None or not member.isfile():
                raise BackupError(f"备份文件中有清单之外的内容：{member.name}")
            archive.extract(member, folder, filter="data")
            path = folder / member.name
            if path.stat().st_size != meta.get("size") or _sha256(path) != meta.get("sha256"):
                raise BackupError(f"备份文件已损坏：{member.name} 的校验值与清单不符。")
            seen.add(member.name)
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"备份文件已损坏，无法读出：{error}") from error
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"备份文件不完整，缺少：{'、'.join(missing[:5])}")
    return folder / str(database["name"])


def _restore_database(dump: Path) -> None:
    for alias in connections:
        connections[alias].close()
    if connection.vendor == "postgresql":
        args, env = _pg_command("pg_restore")
        name = str(connection.settings_dict["NAME"])
        _run(
            [*args, *RESTORE_OPTIONS, "-d", name, str(dump)],
            env,
            "恢复数据库",
        )
        return
    target = str(connection.settings_dict["NAME"])
    with sqlite3.connect(dump) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    source.close()
    copy.close()


def _restore_media(extracted: Path) -> None:
    """The media folder becomes the archive's: built beside it, then swapped in."""
    root = Path(settings.MEDIA_ROOT)
    root.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=".media-restore-", dir=root.parent))
    if extracted.is_dir():
        shutil.copytree(extracted, fresh, dirs_exist_ok=True)
    old = root.with_name(f".{root.name}-before-restore")
    shutil.rmtree(old, ignore_errors=True)
    if root.exists():
        os.replace(root, old)
    os.replace(fresh, root)
    shutil.rmtree(old, ignore_errors=True)


def backup_restore(path: Path, stream: IO[str] | None = None) -> Summary:
    """Restore the archive at ``path``: the database and the media folder; checked first."""
    with _open(path) as archive:
        manifest = _manifest(archive)
        _check_versions(manifest)
        with tempfile.TemporaryDirectory(prefix="restore-") as folder:
            dump = _extract(archive, manifest, Path(folder))
            _restore_database(dump)
            _restore_media(Path(folder) / MEDIA.rstrip("/"))
    counts = table_counts()
    differ = sorted(
        table for table, rows in manifest.get("tables", {}).items() if counts.get(table) != rows
    )
    if differ:
        raise BackupError(f"恢复后这些表的行数与备份清单不符：{'、'.join(differ[:10])}")
    files = manifest.get("files", {})
    return Summary(path, len(counts), sum(counts.values()), len(files), path.stat().st_size)
