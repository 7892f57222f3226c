from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hefei_ai_zone.errors import ApplicationError
from tasks.workdays.services import workdays_load


def year_span(value: str) -> list[int]:
    """'2019-2026' or '2024' as a list of years."""
    try:
        first, _, last = value.partition("-")
        years = list(range(int(first), int(last or first) + 1))
    except ValueError:
        years = []
    if not years:
        raise CommandError(f"--years 应为年份或年份区间，如 2024 或 2019-2026；现在是“{value}”。")
    return years


class Command(BaseCommand):
    help = (
        "从 chinese-calendar 软件包载入工作日安排（法定节假日与调休上班日）；可重复执行，"
        "办公室在后台修改或录入的内容不会被覆盖。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--years",
            help="只载入这些年份，如 2024 或 2019-2026（默认为软件包包含的全部年份）。",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        years = year_span(options["years"]) if options["years"] else None
        try:
            result = workdays_load(years=years)
        except ApplicationError as exc:
            raise CommandError(f"载入失败，数据库未作任何修改。{exc.message}") from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
