"""backup and restore (issue 11): one archive of the database and the uploaded files, a round
trip into an emptied database and media folder that gives back every table (row count and a
checksum of its rows in primary-key order) and every file (SHA-256); a missing, corrupt or
tampered archive and one of another schema version refused in Chinese before anything changes."""

import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from tasks.models import Plan, ProgressReport, ReportingPeriod
from tasks.reporting.services import periods_ensure, report_open, report_submit
from tests.plan.factories import assignment_of
from tests.units.factories import make_user
from units.models import Role, User

FILES = {
    "evidence/2021/07/佐证材料（第一批）.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 40,
    "documents/督办〔2023〕1号督办单（市科技局）.docx": b"PK\x03\x04" + b"\x00\xff" * 5000,
    "bulletins/通报.txt": "合肥人工智能试验区督查通报\n".encode(),
}


def fingerprints() -> dict[str, tuple[int, str]]:
    """Every table of the database: its row count and the MD5 of its rows in key order."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            keys = connection.introspection.get_primary_key_columns(cursor, table) or []
            order = ", ".join(f"t.{connection.ops.quote_name(c)}" for c in keys) or "t::text"
            cursor.execute(
                "SELECT count(*), md5(coalesce(string_agg(t::text, '|' "  # noqa: S608
                f"ORDER BY {order}), '')) FROM {connection.ops.quote_name(table)} t"
            )
            count, digest = cursor.fetchone()
            found[table] = (int(count), str(digest))
    return found


def media_digests() -> dict[str, str]:
    root = Path(settings.MEDIA_ROOT)
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def data(committed_plan: None, settings: object, tmp_path: Path) -> None:
    """Committed rows of several kinds and files with Chinese names under MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined]
    periods_ensure(plan=Plan.objects.get(code="hefei-ai-2020-2023"))
    ReportingPeriod.objects.filter(code="2021Q3").update(state="open")
    reporter = make_user("backup_reporter", Role.REPORTER, "市科技局")
    make_user("backup_approver", Role.APPROVER, "市科技局")
    for seq in (1, 2):
        report, _ = report_open(
            actor=reporter,
            assignment=assignment_of(seq, "市科技局"),
            period=ReportingPeriod.objects.get(code="2021Q3"),
            status="on_track",
            percent=30 + seq,
            narrative=f"第{seq}项任务：已完成调研，引号\"'与换行\n都在。",
        )
    report_submit(actor=reporter, report=report)
    for name, content in FILES.items():
        path = Path(settings.MEDIA_ROOT) / name  # type: ignore[attr-defined]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def empty_everything() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    shutil.rmtree(settings.MEDIA_ROOT)
    Path(settings.MEDIA_ROOT).mkdir()
    (Path(settings.MEDIA_ROOT) / "不在备份里.txt").write_text("stray")


@pytest.mark.django_db(transaction=True)
def test_a_round_trip_gives_back_every_table_and_every_file(data: None, tmp_path: Path) -> None:
    tables, files = fingerprints(), media_digests()
    assert len(files) == len(FILES) and tables["tasks_progressreport"][0] == 2
    archive = tmp_path / "backups" / "督查平台.tar.gz"
    out = io.StringIO()
    call_command("backup", "--output", str(archive), stdout=out)
    assert "已备份到" in out.getvalue() and "3 个文件" in out.getvalue()
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    assert manifest["tables"] == {table: rows for table, (rows, _) in tables.items()}
    assert {k: v["sha256"] for k, v in manifest["files"].items()} == files
    assert manifest["versions"]["database"] == "postgresql"
    assert manifest["versions"]["migrations"]["tasks"]

    empty_everything()
    assert connection.introspection.table_names() == []
    out = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)
    assert "已从" in out.getvalue(), out.getvalue()

    assert fingerprints() == tables
    assert media_digests() == files  # the stray file is gone: the folder is the archive's
    # The sequences came back too: new rows get new keys.
    assert make_user("after_restore").pk > max(
        User.objects.exclude(username="after_restore").values_list("pk", flat=True)
    )
    assert ProgressReport.objects.filter(state="submitted").count() == 1


def rewrite(source: Path, target: Path, change: dict[str, bytes]) -> None:
    """A copy of the archive with some members' contents replaced."""
    with tarfile.open(source) as old, tarfile.open(target, "w:gz") as new:
        for member in old:
            content = change.get(member.name)
            if content is None:
                content = old.extractfile(member).read()  # type: ignore[union-attr]
            member.size = len(content)
            new.addfile(member, io.BytesIO(content))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_what_it_cannot_trust_in_chinese_and_changes_nothing(
    data: None, tmp_path: Path
) -> None:
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())  # type: ignore[union-attr]
    tables, files = fingerprints(), media_digests()

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "没有.tar.gz"), "--yes")
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"not an archive" * 100)
    with pytest.raises(CommandError, match="备份文件已损坏或不是本平台的备份"):
        call_command("restore", str(garbage), "--yes")
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CommandError, match="已损坏"):
        call_command("restore", str(truncated), "--yes")
    tampered = tmp_path / "tampered.tar.gz"
    rewrite(archive, tampered, {"media/bulletins/通报.txt": "改过的通报\n".encode()})
    with pytest.raises(CommandError, match="校验值与清单不符"):
        call_command("restore", str(tampered), "--yes")
    newer = tmp_path / "newer.tar.gz"
    manifest["versions"]["migrations"]["tasks"] = "9999_from_a_later_version"
    rewrite(archive, newer, {"manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(CommandError, match=r"数据库结构与当前程序版本不一致.*9999_from_a_later"):
        call_command("restore", str(newer), "--yes")

    assert fingerprints() == tables and media_digests() == files
