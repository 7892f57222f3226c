"""python manage.py send_reminders [--date YYYY-MM-DD]: the reminders' sweep as of a date
(today by the one clock when left out). The daily beat job calls the same service."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hefei_ai_zone import clock
from tasks.reminders.services import reminders_sweep
from tasks.workdays.selectors import WorkdayYearMissing


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期“{value}”无效，请按 YYYY-MM-DD 填写，如 2021-10-08。") from None


class Command(BaseCommand):
    help = "按工作日规则发送报送提醒、逾期提醒和催办（可重复运行，不会重复发送）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按哪一天发送（YYYY-MM-DD），默认今天。")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = _date(options["date"]) if options.get("date") else clock.today()
        try:
            result = reminders_sweep(as_of=as_of)
        except WorkdayYearMissing as error:
            raise CommandError(error.message) from None
        self.stdout.write(result.summary())
