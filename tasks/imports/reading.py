"""Reading an uploaded progress template: every check before a row is written.

In order, each refusal a Chinese message: the size (before the body is read:
``import_too_large``; then the file's own size), what the file is by its first bytes (an .xls or
a password-protected workbook are OLE2 containers; a PDF, a text file), the zip's entries (a zip
bomb is refused from its directory, before anything is inflated: total uncompressed size and
ratio), the template's marker (kind, period, unit, version), the header row (a reordered or
renamed column), merged cells in the data area, an empty sheet, then each row's cells (status
label, whole percent 0–100, text length, a duty of the unit, not twice). Every problem is
listed with its sheet, row and column; one problem rejects the whole file.
"""

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from tasks.files import UPLOAD_OVERHEAD
from tasks.imports.template import (
    COLUMNS,
    FIRST_ROW,
    HEADER_ROW,
    HEADERS,
    KIND,
    LETTERS,
    MARKER_SHEET,
    SHEET,
    STATUS_BY_LABEL,
    TEMPLATE_VERSION,
)

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")
WHOLE = re.compile(r"^[0-9]{1,3}$")
HEADER_BY_KEY = {c.key: c.header for c in COLUMNS}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: where (sheet, row, column) and what, in Chinese."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""  # the key of a template column

    def __str__(self) -> str:
        where = ""
        if self.sheet:
            where += f"工作表“{self.sheet}” "
        if self.row is not None:
            where += f"第{self.row}行 "
        if self.column:
            where += f"{LETTERS[self.column]}列（{HEADER_BY_KEY[self.column]}）"
        return f"{where.strip()}：{self.message}" if where else self.message


class FileRefusedError(Exception):
    """The file cannot be imported; ``problems`` say why, each with its place."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Marker:
    kind: str
    period: str
    unit: str
    template_version: str


@dataclass
class RowInput:
    """One duty row as filled: the report's content and the version the template showed."""

    row: int
    assignment_id: int
    version: int | None
    content: dict[str, Any] = field(default_factory=dict)
    code: str = ""


def refused(message: str) -> FileRefusedError:
    """A refusal of the whole file, not of a place in it."""
    return FileRefusedError([Problem(message)])


def max_bytes() -> int:
    return int(settings.IMPORT_MAX_BYTES)


def size_message() -> str:
    return (
        f"文件超过了 {max_bytes() // 1024 // 1024} MB 的上限，没有被读取。请只上传平台下载的模板。"
    )


def import_too_large(request: HttpRequest) -> bool:
    """True when the request body is announced larger than an import may be (checked before
    anything reads the body)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > max_bytes() + UPLOAD_OVERHEAD


def check_container(data: bytes) -> None:
    """The file is an .xlsx (a zip) and no bomb: refused from its first bytes and its zip
    directory, before anything is inflated."""
    if len(data) > max_bytes():
        raise FileRefusedError([Problem(size_message())])
    if not data:
        raise refused("上传的文件是空的。")
    if data.startswith(OLE2_MAGIC):
        if ENCRYPTED_MARK in data:
            raise refused(
                "文件设置了打开密码（已加密），平台无法读取。请取消密码后另存为 .xlsx 再上传。"
            )
        raise refused(
            "这是旧版 Excel（.xls）文件。请在 Excel 或 WPS 中“另存为” .xlsx 格式后再上传。"
        )
    if data.startswith(b"%PDF"):
        raise refused("这是 PDF 文件，不是 Excel 表格。请上传平台下载的 .xlsx 模板。")
    if not data.startswith(ZIP_MAGIC):
        raise refused("文件不是 Excel .xlsx 格式（可能是文本或其他文件）。请上传平台下载的模板。")
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise refused("文件已损坏，无法作为 .xlsx 打开。请重新另存后上传。") from exc
    total = sum(e.file_size for e in entries)
    packed = sum(e.compress_size for e in entries) or 1
    if total > settings.IMPORT_MAX_UNCOMPRESSED_BYTES or total / packed > settings.IMPORT_MAX_RATIO:
        raise FileRefusedError(
            [
                Problem(
                    f"文件解压后过大（{total // 1024 // 1024} MB，压缩比 {total // packed}:1），"
                    "不像平台的模板，已拒绝读取。"
                )
            ]
        )
    if "xl/workbook.xml" not in {e.filename for e in entries}:
        raise refused("文件不是 Excel 工作簿（缺少工作簿内容）。请上传 .xlsx 模板。")


def read_marker(wb: Any) -> Marker | None:
    values: dict[str, str] = {}
    if MARKER_SHEET in wb.sheetnames:
        for key, value, *_ in wb[MARKER_SHEET].iter_rows(min_row=1, max_row=10, values_only=True):
            if key:
                values[str(key)] = "" if value is None else str(value)
    else:
        for prop in wb.custom_doc_props.props:
            if prop.name.startswith("hefei."):
                values[prop.name.removeprefix("hefei.")] = str(prop.value)
    if values.get("kind") != KIND:
        return None
    return Marker(
        kind=values["kind"],
        period=values.get("period", ""),
        unit=values.get("unit", ""),
        template_version=values.get("template_version", ""),
    )


def open_workbook(data: bytes) -> Any:
    check_container(data)
    try:
        return load_workbook(BytesIO(data), data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken package
        raise refused("文件无法作为 Excel 工作簿打开（内容已损坏或不是 .xlsx）。") from exc


def check_marker(
    wb: Any, *, period_code: str, unit_id: int, unit_name: Callable[[str], str]
) -> None:
    marker = read_marker(wb)
    if marker is None:
        raise refused(
            "这不是本平台的进展填报模板（缺少模板标识）。请在“Excel 导入”页面下载模板，填写后上传。"
        )
    if marker.template_version != TEMPLATE_VERSION:
        raise refused("模板版本已过期，请重新下载模板，把内容填入新模板后上传。")
    if marker.period != period_code:
        raise FileRefusedError(
            [
                Problem(
                    f"这是 {marker.period or '其他'} 周期的模板，不能导入 {period_code}。"
                    "请下载本周期的模板。"
                )
            ]
        )
    if marker.unit != str(unit_id):
        name = unit_name(marker.unit)
        raise FileRefusedError(
            [Problem(f"这是“{name}”的模板，不能导入本单位的任务。每个单位只能导入本单位的模板。")]
        )


def check_headers(ws: Any) -> None:
    """The header row as the template has it: a reordered or renamed column stops the reading
    (the cells would be read under the wrong headers)."""
    problems = []
    for i, expected in enumerate(HEADERS, start=1):
        found = ws.cell(row=HEADER_ROW, column=i).value
        if str(found or "").strip() != expected:
            problems.append(
                Problem(
                    f"列的名称或顺序被改动：应为“{expected}”，现为“{found or '空'}”。"
                    "请不要增删、移动或改名模板的列，重新下载模板后填写。",
                    sheet=SHEET,
                    row=HEADER_ROW,
                    column=COLUMNS[i - 1].key,
                )
            )
    if problems:
        raise FileRefusedError(problems)


def merged_problems(ws: Any) -> list[Problem]:
    """Merged cells in the header or the data area (listed with the cells' own problems)."""
    problems = []
    for merged in ws.merged_cells.ranges:
        if merged.max_row >= HEADER_ROW:
            first = get_column_letter(merged.min_col)
            last = get_column_letter(merged.max_col)
            one_column = merged.min_col == merged.max_col and merged.min_col <= len(COLUMNS)
            problems.append(
                Problem(
                    f"{first}{merged.min_row}:{last}{merged.max_row} 是合并单元格，"
                    "请取消合并后再上传（每个任务占一行，每格一个值）。",
                    sheet=SHEET,
                    row=merged.min_row,
                    column=COLUMNS[merged.min_col - 1].key if one_column else "",
                )
            )
    return problems


def read_percent(value: Any) -> tuple[int | None, str]:
    """A whole number 0–100 (an empty cell is 0), or the problem."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0, ""
    if isinstance(value, bool):
        return None, f"应为 0–100 的整数，现为“{value}”"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and WHOLE.match(value.strip()):
        number = int(value.strip())
    else:
        return None, f"应为 0–100 的整数，现为“{value}”"
    if not 0 <= number <= 100:
        return None, f"应在 0–100 之间，现为 {number}"
    return number, ""


def whole_number(value: Any) -> int | None:
    """A reference cell's whole number (an id, a version), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value) if float(value).is_integer() else None


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").strip()


def read_rows(ws: Any) -> list[RowInput]:
    """Every duty row, checked cell by cell; raises FileRefusedError with all problems at once
    (merged cells among them)."""
    problems: list[Problem] = merged_problems(ws)
    rows: list[RowInput] = []
    seen: dict[int, int] = {}
    limit = settings.REPORT_TEXT_MAX_CHARS
    keys = [c.key for c in COLUMNS]
    for n, values in enumerate(
        ws.iter_rows(min_row=FIRST_ROW, max_col=len(COLUMNS), values_only=True), start=FIRST_ROW
    ):
        cells = dict(zip(keys, values, strict=False))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue

        def problem(column: str, message: str, n: int = n) -> None:
            problems.append(Problem(message, sheet=SHEET, row=n, column=column))

        raw_id = cells.get("assignment")
        assignment_id = (
            int(raw_id) if isinstance(raw_id, int | float) and raw_id == int(raw_id) else None
        )
        if assignment_id is None:
            problem("assignment", f"“{raw_id or '空'}”不是任务的分工ID，请不要改动参考列。")
            continue
        if assignment_id in seen:
            problem("assignment", f"与第{seen[assignment_id]}行是同一项任务，每项任务只能填一行。")
            continue
        seen[assignment_id] = n
        raw_version = cells.get("version")
        version: int | None = None
        if raw_version not in (None, ""):
            version = whole_number(raw_version)
            if version is None:
                problem("version", f"报告版本应为整数，现为“{raw_version}”，请不要改动参考列。")
        status_text = text_of(cells.get("status"))
        status = ""
        if status_text:
            if status_text not in STATUS_BY_LABEL:
                allowed = "、".join(STATUS_BY_LABEL)
                problem("status", f"未知的状态“{status_text}”，应为：{allowed}")
            else:
                status = STATUS_BY_LABEL[status_text]
        percent, message = read_percent(cells.get("percent"))
        if message:
            problem("percent", message)
        content: dict[str, Any] = {"status": status, "percent": percent}
        for key in ("narrative", "problems", "next_steps", "percent_drop_reason"):
            text = text_of(cells.get(key))
            if len(text) > limit:
                problem(key, f"不能超过 {limit} 字，现为 {len(text)} 字")
            content[key] = text
        rows.append(RowInput(n, assignment_id, version, content, code=text_of(cells.get("code"))))
    if problems:
        raise FileRefusedError(problems)
    if not rows:
        raise FileRefusedError(
            [Problem("工作表中没有任务行：请在平台下载的模板中填写后上传。", sheet=SHEET)]
        )
    return rows


def read_template(
    data: bytes,
    *,
    period_code: str,
    unit_id: int,
    unit_name: Callable[[str], str],
) -> list[RowInput]:
    """The rows of an uploaded template, or FileRefusedError listing every problem."""
    wb = open_workbook(data)
    check_marker(wb, period_code=period_code, unit_id=unit_id, unit_name=unit_name)
    if SHEET not in wb.sheetnames:
        raise FileRefusedError([Problem(f"找不到工作表“{SHEET}”，请不要改动工作表的名称。")])
    ws = wb[SHEET]
    check_headers(ws)
    return read_rows(ws)
