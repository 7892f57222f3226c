import codecs
import csv
import io
import os
import unicodedata
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hefei_ai_zone.errors import ApplicationError
from units.services import AccountRequest, NewAccount, users_create

# Column names accepted in the header row: the documented English ones and their Chinese names.
COLUMNS = {
    "username": "username",
    "用户名": "username",
    "unit": "unit",
    "单位": "unit",
    "所属单位": "unit",
    "role": "role",
    "角色": "role",
    "email": "email",
    "邮箱": "email",
    "电子邮箱": "email",
    "name": "name",
    "姓名": "name",
    "password": "password",
    "密码": "password",
}
REQUIRED = ("username", "unit", "role")
OUTPUT_HEADER = ["username", "name", "unit", "role", "password"]


def decode(data: bytes) -> str:
    """UTF-8 with or without BOM (Excel's “CSV UTF-8”), else GB18030, a superset of the GBK that
    Chinese Excel writes for plain “CSV”."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CommandError(
            "这是 UTF-16 文本（Excel 的“Unicode 文本”），不是 CSV：请在 Excel 中另存为"
            "“CSV UTF-8（逗号分隔）”。"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise CommandError(
            "无法识别文件的编码（既不是 UTF-8，也不是 GBK/GB18030）：请在 Excel 中另存为"
            "“CSV UTF-8（逗号分隔）”。"
        ) from exc


def parse(text: str) -> list[AccountRequest]:
    """The accounts of a CSV text with a header row, each with its line number; blank lines
    (Excel often leaves some at the end) are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise CommandError("文件是空的。")
    keys = [COLUMNS.get(cell.strip().lower(), COLUMNS.get(cell.strip())) for cell in header]
    unknown = [cell for cell, key in zip(header, keys, strict=True) if key is None and cell.strip()]
    missing = [name for name in REQUIRED if name not in keys]
    twice = sorted({k for k in keys if k and keys.count(k) > 1})
    if unknown or missing or twice:
        problems = []
        if twice:
            problems.append("重复的列：" + "、".join(twice))
        if unknown:
            problems.append("无法识别的列：" + "、".join(f"“{c}”" for c in unknown))
        if missing:
            problems.append("缺少列：" + "、".join(missing))
        raise CommandError(
            "第 1 行（表头）有误："
            + "；".join(problems)
            + "。表头应为 username,unit,role,email,name[,password]（也可用 用户名,单位,角色,"
            "邮箱,姓名,密码）。"
        )
    requests = []
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        values = {key: cell.strip() for key, cell in zip(keys, row, strict=False) if key}
        extra = sum(1 for cell in row[len(keys) :] if cell.strip())
        requests.append(
            AccountRequest(
                username=values.get("username", ""),
                role=values.get("role", ""),
                unit_name=values.get("unit", ""),
                email=values.get("email", ""),
                display_name=values.get("name", ""),
                password=values.get("password", ""),
                line=line,
                problems=(f"比表头多出 {extra} 列（单元格中的逗号请用引号括起）。",)
                if extra
                else (),
            )
        )
    if not requests:
        raise CommandError("文件中只有表头，没有账号。")
    return requests


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))


def rows_of(accounts: list[NewAccount]) -> list[list[str]]:
    return [
        [
            a.user.username,
            a.user.first_name,
            a.user.unit.name if a.user.unit else "",
            a.user.get_role_display(),
            a.password or "（使用文件中的密码）",
        ]
        for a in accounts
    ]


class Command(BaseCommand):
    help = (
        "从 CSV 文件批量创建账号：表头 username,unit,role,email,name[,password]，"
        "编码 UTF-8（可带 BOM）或 GBK。先检查全部行，任何一行有误则列出所有错误行、"
        "不创建任何账号；成功后列出新账号及其一次性密码（--output 写入文件而不显示）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV 文件")
        parser.add_argument(
            "--output",
            type=Path,
            help="把新账号和一次性密码写入这个 CSV 文件（UTF-8 带 BOM，仅本人可读），不在屏幕显示",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件“{path}”：{exc.strerror}。") from exc
        requests = parse(decode(data))

        output: Path | None = options["output"]
        fd = None
        if output is not None:
            # Opened before anything is created: a password file that cannot be written must not
            # leave accounts whose passwords nobody knows; an existing one is never overwritten.
            try:
                fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError as exc:
                raise CommandError(
                    f"输出文件“{output}”已存在：为免覆盖以前的一次性密码，请换一个文件名。"
                ) from exc
            except OSError as exc:
                raise CommandError(f"无法创建输出文件“{output}”：{exc.strerror}。") from exc

        try:
            accounts = users_create(requests=requests)
        except ApplicationError as exc:
            if fd is not None:
                os.close(fd)
                output.unlink()  # type: ignore[union-attr]
            rows = exc.extra.get("rows", {})
            lines = [f"  第 {line} 行：{''.join(errors)}" for line, errors in sorted(rows.items())]
            raise CommandError("\n".join([exc.message, *lines])) from exc

        table = rows_of(accounts)
        if fd is not None:
            with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as f:
                writer = csv.writer(f)
                writer.writerow(OUTPUT_HEADER)
                writer.writerows(table)
            self.stdout.write(
                f"已创建 {len(accounts)} 个账号；账号和一次性密码已写入“{output}”（仅本人可读）。"
                "请通过安全渠道分别交给本人，然后删除该文件；首次登录后须修改密码。"
            )
            return
        header = ["用户名", "姓名", "单位", "角色", "一次性密码"]
        sizes = [max(width(r[i]) for r in [header, *table]) for i in range(len(header))]
        for row in [header, *table]:
            line = "  ".join(pad(c, s) for c, s in zip(row, sizes, strict=True))
            self.stdout.write(line.rstrip())
        self.stdout.write(
            f"已创建 {len(accounts)} 个账号。一次性密码只显示这一次，请通过安全渠道分别交给本人；"
            "首次登录后须修改密码。"
        )
