from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hefei_ai_zone.errors import ApplicationError
from units.models import User
from units.services import user_create

DEFAULT_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo_accounts.yaml"


class Command(BaseCommand):
    help = "创建演示账号（仅限开发环境，DEBUG 开启时），并打印用户名和密码；可重复执行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("演示账号的密码是公开的，只能在开发环境（DEBUG 开启）中创建。")
        accounts = yaml.safe_load(options["file"].read_text(encoding="utf-8"))["accounts"]
        self.stdout.write("演示账号（演示数据，密码公开，切勿用于正式环境）：")
        for a in accounts:
            if not User.objects.filter(username=a["username"]).exists():
                try:
                    user_create(
                        username=a["username"],
                        role=a["role"],
                        unit_name=a.get("unit"),
                        password=a["password"],
                        display_name=a.get("display_name", ""),
                    )
                except ApplicationError as exc:
                    raise CommandError(exc.message) from exc
            self.stdout.write(
                f"  {a['username']:<14} 密码 {a['password']:<20} {a.get('display_name', '')}"
            )
