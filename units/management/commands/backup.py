from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from units.backup.archive import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "备份整个平台：数据库（PostgreSQL 用 pg_dump，SQLite 用其备份接口）和上传文件目录"
        "（MEDIA_ROOT），写成一个归档文件，附清单（时间、版本、各表行数、文件校验值）。"
        "例：backup --output /backup/督查平台-20240101.tar.gz"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", required=True, help="归档文件的路径（.tar.gz）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = backup_write(Path(options["output"]))
        except BackupError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"已备份到 {summary.path}：{summary.tables} 张表 {summary.rows} 行，"
            f"{summary.files} 个文件，归档 {summary.size / 1024 / 1024:.1f} MB。"
        )
