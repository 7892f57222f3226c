"""python manage.py audit_verify: walk the audit log's hash chain and report the first broken
link (a non-zero exit), or that the log is intact."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from units.audit.selectors import chain_verify


class Command(BaseCommand):
    help = "校验审计日志的哈希链：报告第一处断裂，或确认日志完整。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=2000, help="每批读取的记录数")

    def handle(self, *args: Any, **options: Any) -> None:
        report = chain_verify(batch=max(1, options["batch"]))
        if report.broken is not None:
            broken = report.broken
            raise CommandError(
                f"审计日志在第 {broken.entry_id} 号记录处断裂（此前 {report.checked} 条完好）："
                f"{broken.problem}"
            )
        self.stdout.write(f"审计日志完整：共 {report.checked} 条")
