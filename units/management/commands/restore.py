from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from units.backup.archive import BackupError, backup_restore

CONFIRM = (
    "恢复会用备份覆盖当前的整个数据库和上传文件目录，当前数据将被替换。"
    "确认无误后加 --yes 重新运行；建议先用 backup 备份当前数据。"
)


class Command(BaseCommand):
    help = (
        "从 backup 写出的归档恢复数据库和上传文件。先核对清单和每个文件的校验值、"
        "数据库结构版本，全部无误才开始恢复。须加 --yes 确认。例：restore 备份.tar.gz --yes"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="backup 写出的归档文件")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            raise CommandError(CONFIRM)
        try:
            summary = backup_restore(Path(options["archive"]))
        except BackupError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"已从 {summary.path} 恢复：{summary.tables} 张表 {summary.rows} 行，"
            f"{summary.files} 个文件。请重启应用和 Celery 进程。"
        )
