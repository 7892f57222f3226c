"""python manage.py build_bulletin 2021Q3 --format pdf|docx --output FILE

Builds the quarter's 督查通报 at once, in this process (the builder of the document jobs, run
directly): a published bulletin as issued, else a draft from the data as it stands."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hefei_ai_zone.errors import ApplicationError
from reports.bulletins.builder import BULLETIN


class Command(BaseCommand):
    help = "生成某季度的督查通报（PDF 或 Word），写入指定文件。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("period", help="季度代码，如 2021Q3")
        parser.add_argument("--format", dest="fmt", default="pdf", help="pdf 或 docx")
        parser.add_argument("--output", required=True, help="输出文件路径")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = str(options["fmt"]).lower()
        if fmt not in BULLETIN.formats:
            raise CommandError(f"格式“{options['fmt']}”无效，只能是 pdf 或 docx。")
        output = Path(options["output"])
        if output.is_dir():
            raise CommandError(f"输出路径“{output}”是一个目录，请给出文件名。")
        if not output.parent.is_dir():
            raise CommandError(f"输出目录“{output.parent}”不存在。")
        try:
            params = BULLETIN.parse_params({"period": options["period"]})
            built = BULLETIN.build(params, fmt, lambda _percent, _stage: None)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        try:
            output.write_bytes(built.content)
        except OSError as error:
            raise CommandError(f"无法写入“{output}”：{error.strerror or error}。") from error
        self.stdout.write(f"已生成 {built.filename}：{output}（{len(built.content):,} 字节）")
