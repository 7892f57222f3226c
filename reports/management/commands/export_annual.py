"""python manage.py export_annual 2021 --format xlsx|pdf|docx [--output FILE]: the annual
workbook or report of a year of the current plan, built at once by the ``annual`` builder (the
pages build it as a job)."""

import os
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hefei_ai_zone.errors import ApplicationError
from reports.annual import builders


def _target(output: str) -> Path:
    """The file to write, refused before anything is built when it cannot be written."""
    path = Path(output).expanduser()
    if path.is_dir():
        raise CommandError(f"“{output}”是一个文件夹，请给出文件名，如 {path / '年度台账.xlsx'}。")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise CommandError(f"文件夹“{parent}”不存在，无法写入“{output}”。")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise CommandError(f"没有写入“{output}”的权限。")
    return path


class Command(BaseCommand):
    help = "导出年度工作台账（Excel）或年度推进情况报告（PDF / Word）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", help="年度，如 2021（当前实施方案的年度）。")
        parser.add_argument(
            "--format", dest="fmt", default="xlsx", help="格式：xlsx（默认）、pdf 或 docx。"
        )
        parser.add_argument("--output", help="写入的文件，默认当前文件夹下的标准文件名。")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = str(options["fmt"]).lower().lstrip(".")
        if fmt not in builders.FORMATS:
            raise CommandError(f"格式“{options['fmt']}”不支持，只能是 xlsx、pdf 或 docx。")
        try:
            params = builders.parse_params({"year": options["year"]})
        except ApplicationError as error:
            raise CommandError(error.message) from None
        path = _target(options.get("output") or builders.filename(params["year"], fmt))
        started = time.perf_counter()
        verbosity = int(options.get("verbosity", 1))

        def progress(percent: int, stage: str) -> None:
            if verbosity > 1:
                self.stdout.write(f"{percent:3d}% {stage}")

        try:
            built = builders.build(params, fmt, progress)
        except ApplicationError as error:
            raise CommandError(error.message) from None
        try:
            path.write_bytes(built.content)
        except OSError as error:
            raise CommandError(f"无法写入“{path}”：{error.strerror or error}。") from None
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"已写入 {path}（{len(built.content) / 1024:.0f} KB，用时 {elapsed:.1f} 秒）。"
        )
