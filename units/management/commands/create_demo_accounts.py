from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hefei_ai_zone.errors import ApplicationError
from units.services import demo_accounts_ensure, demo_accounts_read

DEFAULT_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo_accounts.yaml"


class Command(BaseCommand):
    help = "创建演示账号（仅限开发环境，DEBUG 开启时），并打印用户名和密码；可重复执行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("演示账号的密码是公开的，只能在开发环境（DEBUG 开启）中创建。")
        try:
            accounts = demo_accounts_ensure(accounts=demo_accounts_read(options["file"]))
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        created = sum(1 for _, new in accounts if new)
        self.stdout.write(
            f"演示账号（演示数据，密码公开，切勿用于正式环境；本次新建 {created} 个）："
        )
        for a, _ in accounts:
            unit = a.get("unit", "")
            self.stdout.write(
                f"  {a['username']:<14} 密码 {a['password']:<20} {a.get('display_name', '')}"
                + (f"（{unit}）" if unit and unit not in a.get("display_name", "") else "")
            )
