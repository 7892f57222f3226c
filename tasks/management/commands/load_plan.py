from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tasks.plan.services import DEFAULT_FIXTURES, PlanFixtureError, plan_load


class Command(BaseCommand):
    help = "从 fixtures/ 载入实施方案（单位、任务分工、示范工程、目标指标）；可重复执行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fixtures",
            type=Path,
            default=DEFAULT_FIXTURES,
            help="数据目录（默认为项目的 fixtures/）。",
        )
        parser.add_argument("--plan", dest="plan_code", help="只载入该代码的方案。")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = plan_load(fixtures_dir=options["fixtures"], plan_code=options["plan_code"])
        except PlanFixtureError as exc:
            raise CommandError(f"载入失败，数据库未作任何修改。{exc.message}") from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
