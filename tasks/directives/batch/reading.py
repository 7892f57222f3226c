"""Reading a meeting's decisions: pasted lines or an Excel sheet, into draft rows to review.

- Pasted: one decision a line; numbering (“1.” “（一）” “一、” “①” …) stripped; empty lines
  ignored.
- Excel: the first sheet; its first non-empty row the header, of the columns 事项 | 牵头单位 |
  配合单位 | 办结时限 | 要求 (事项 required, any order, an unknown header refused); the file
  checks of the progress import (tasks.imports.reading: size, kind, zip bomb).
- Units: a name in the line (or the column) is recognised (short name or full name); in a line,
  the first unit named leads and the rest co-operate; a name not known is noted on the row.
- 办结时限: a number of working days (“10”, “10个工作日”) or a date (“2023-10-31”,
  “2023年10月31日”, a date cell); empty: the batch's default.

Every problem is listed with its row; one problem refuses the whole file.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tasks.imports.reading import FileRefusedError, Problem, check_container, open_workbook, text_of
from units.models import Unit

MAX_ROWS = 100
TITLE_CHARS = 60
REQUIREMENT_MAX = 5000
NUMBERING = re.compile(
    r"^\s*(?:"
    r"[（(][一二三四五六七八九十百零〇0-9０-９]+[)）]"
    r"|[一二三四五六七八九十百零〇]+[、.．]"
    r"|[0-9０-９]+(?:[.．、)）]|\s)"
    r"|[①-⑳]"
    r"|第[一二三四五六七八九十百0-9]+[条项][、：:.．]?"
    r")\s*"
)
HEADERS = {
    "事项": "title",
    "牵头单位": "lead",
    "配合单位": "co",
    "办结时限": "due",
    "要求": "requirement",
}
UNIT_SPLIT = re.compile(r"[、，,；;\s/]+")
WORKDAYS = re.compile(r"^([0-9]{1,3})\s*(?:个)?\s*(?:工作日|天|日)?$")
DATE_FORMS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


@dataclass
class DraftRow:
    """One decision to review: what the office sees and edits before issuing."""

    number: int  # its line (pasted) or sheet row (Excel)
    title: str
    requirement: str
    lead: Unit | None = None
    co: list[Unit] = field(default_factory=list)
    due: str = ""  # as written: working days or a date
    notes: list[str] = field(default_factory=list)


def strip_numbering(line: str) -> str:
    return NUMBERING.sub("", line, count=1).strip()


def short_title(text: str) -> str:
    first = re.split(r"[。；;]", text, maxsplit=1)[0].strip() or text
    return first if len(first) <= TITLE_CHARS else first[: TITLE_CHARS - 1] + "…"


class UnitNames:
    """The units by short and full name (one query), for recognising names in text."""

    def __init__(self) -> None:
        self.by_name: dict[str, Unit] = {}
        for unit in Unit.objects.filter(is_active=True).order_by("sort_order", "pk"):
            self.by_name.setdefault(unit.name, unit)
            if unit.full_name:
                self.by_name.setdefault(unit.full_name, unit)
        # longest first: “合肥市科学技术局” before “科技局”-like overlaps
        self.names = sorted(self.by_name, key=len, reverse=True)

    def in_text(self, text: str) -> list[Unit]:
        """The units named in a line, in the order they appear."""
        found: list[tuple[int, Unit]] = []
        taken: list[tuple[int, int]] = []
        for name in self.names:
            start = text.find(name)
            while start != -1:
                end = start + len(name)
                if not any(s < end and start < e for s, e in taken):
                    taken.append((start, end))
                    found.append((start, self.by_name[name]))
                start = text.find(name, end)
        seen: set[int] = set()
        units = []
        for _, unit in sorted(found, key=lambda f: f[0]):
            if unit.pk not in seen:
                seen.add(unit.pk)
                units.append(unit)
        return units

    def listed(self, cell: str) -> tuple[list[Unit], list[str]]:
        """The units of a cell listing names (“市科技局、市发改委”), and the names not known."""
        units, unknown = [], []
        for part in UNIT_SPLIT.split(cell):
            part = part.strip()
            if not part:
                continue
            unit = self.by_name.get(part)
            if unit is None:
                unknown.append(part)
            elif unit not in units:
                units.append(unit)
        return units, unknown


def _lead_and_co(units: list[Unit]) -> tuple[Unit | None, list[Unit]]:
    lead = next((u for u in units if not u.is_group), None)
    return lead, [u for u in units if u != lead]


def read_paste(text: str) -> list[DraftRow]:
    """The decisions of a pasted text, one a line. Raises FileRefusedError when there is none,
    too many, or a line too long."""
    names = UnitNames()
    rows: list[DraftRow] = []
    problems: list[Problem] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = strip_numbering(raw)
        if not line:
            continue
        if len(line) > REQUIREMENT_MAX:
            problems.append(Problem(f"第{number}行超过 {REQUIREMENT_MAX} 个字，请拆分。"))
            continue
        lead, co = _lead_and_co(names.in_text(line))
        row = DraftRow(number, short_title(line), line, lead, co)
        if lead is None:
            row.notes.append("未识别出牵头单位，请选择。")
        rows.append(row)
    _check_count(rows, problems, "没有读到议定事项：请每行粘贴一条。")
    return rows


def _check_count(rows: list[DraftRow], problems: list[Problem], empty: str) -> None:
    if problems:
        raise FileRefusedError(problems)
    if not rows:
        raise FileRefusedError([Problem(empty)])
    if len(rows) > MAX_ROWS:
        raise FileRefusedError(
            [Problem(f"一次最多登记 {MAX_ROWS} 条议定事项（读到 {len(rows)} 条），请分批。")]
        )


def due_text(value: Any) -> tuple[str, str]:
    """A 办结时限 cell as the review form's text, and a problem (or "")."""
    if value is None or value == "":
        return "", ""
    if isinstance(value, datetime):
        return value.date().isoformat(), ""
    if isinstance(value, date):
        return value.isoformat(), ""
    text = text_of(value)
    if parse_due(text) is None:
        return text, f"办结时限“{text}”应为工作日数（如 10）或日期（如 2023-10-31）。"
    return text, ""


def parse_due(text: str) -> int | date | None:
    """Working days (int) or a date; None when neither."""
    text = (text or "").strip()
    if match := WORKDAYS.match(text):
        return int(match.group(1))
    for form in DATE_FORMS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    return None


def read_sheet(data: bytes) -> list[DraftRow]:
    """The decisions of an uploaded workbook's first sheet (see the module's docstring)."""
    check_container(data)
    wb = open_workbook(data)
    ws = wb.worksheets[0]
    sheet = ws.title
    names = UnitNames()
    columns: dict[int, str] = {}
    rows: list[DraftRow] = []
    problems: list[Problem] = []
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = [text_of(v) for v in values]
        if not any(cells):
            continue
        if not columns:  # the header row
            unknown = [c for c in cells if c and c not in HEADERS]
            if unknown:
                raise FileRefusedError(
                    [
                        Problem(
                            f"表头“{'”“'.join(unknown)}”不认识：只认 事项、牵头单位、配合单位、"
                            "办结时限、要求。",
                            sheet=sheet,
                            row=number,
                        )
                    ]
                )
            columns = {i: HEADERS[c] for i, c in enumerate(cells) if c}
            if "title" not in columns.values():
                raise FileRefusedError([Problem("缺少“事项”列。", sheet=sheet, row=number)])
            continue
        if len(rows) + len(problems) >= MAX_ROWS * 2:
            break
        got = {key: values[i] if i < len(values) else None for i, key in columns.items()}
        title = text_of(got.get("title"))
        if not title:
            problems.append(Problem("“事项”为空。", sheet=sheet, row=number))
            continue
        title = strip_numbering(title) or title
        requirement = text_of(got.get("requirement")) or title
        if len(requirement) > REQUIREMENT_MAX or len(title) > REQUIREMENT_MAX:
            problems.append(Problem(f"超过 {REQUIREMENT_MAX} 个字。", sheet=sheet, row=number))
            continue
        due, due_problem = due_text(got.get("due"))
        if due_problem:
            problems.append(Problem(due_problem, sheet=sheet, row=number))
            continue
        row = DraftRow(number, short_title(title), requirement, due=due)
        lead_cell = text_of(got.get("lead"))
        if lead_cell:
            leads, unknown = names.listed(lead_cell)
            row.lead, extra = _lead_and_co(leads)
            row.co.extend(extra)
            if unknown:
                row.notes.append(f"牵头单位“{'、'.join(unknown)}”未识别，请选择。")
        else:
            row.lead, row.co = _lead_and_co(names.in_text(title))
        co_units, unknown_co = names.listed(text_of(got.get("co")))
        row.co.extend(u for u in co_units if u != row.lead and u not in row.co)
        if unknown_co:
            row.notes.append(f"配合单位“{'、'.join(unknown_co)}”未识别，请补选。")
        if row.lead is None and not any("牵头单位" in n for n in row.notes):
            row.notes.append("未识别出牵头单位，请选择。")
        rows.append(row)
    _check_count(rows, problems, "工作表中没有读到议定事项。")
    return rows
