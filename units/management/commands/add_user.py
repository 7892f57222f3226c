from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hefei_ai_zone.errors import ApplicationError
from units.models import Role
from units.services import user_create


class Command(BaseCommand):
    help = (
        "创建一个账号。不指定 --password 时生成一次性密码并只显示这一次，用户首次登录后须修改。"
        "例：add_user zhangsan --unit 市科技局 --role reporter --name 张三"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        roles = "、".join(f"{value}（{label}）" for value, label in Role.choices)
        parser.add_argument("username", help="用户名（登录名）")
        parser.add_argument("--role", required=True, help=f"角色：{roles}")
        parser.add_argument(
            "--unit", default="", help="所属单位的简称，如“市科技局”；填报员、审核人必填"
        )
        parser.add_argument("--email", default="", help="电子邮箱")
        parser.add_argument("--name", default="", help="姓名，如“张三”")
        parser.add_argument(
            "--password",
            default="",
            help="初始密码（须通过密码强度检查；会留在命令历史中）；不指定则生成一次性密码",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            account = user_create(
                username=options["username"],
                role=options["role"],
                unit_name=options["unit"],
                email=options["email"],
                password=options["password"] or None,
                display_name=options["name"],
            )
        except ApplicationError as exc:
            raise CommandError("未创建账号：" + exc.message) from exc
        user = account.user
        where = " · ".join(
            part for part in (user.first_name, user.unit.name if user.unit else "") if part
        )
        self.stdout.write(
            f"已创建账号 {user.username}（{where + ' · ' if where else ''}"
            f"{user.get_role_display()}）。"
        )
        if account.one_time:
            self.stdout.write(f"一次性密码：{account.password}")
            self.stdout.write("密码只显示这一次，请通过安全渠道交给本人；首次登录后须修改密码。")
