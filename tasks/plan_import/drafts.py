"""What a plan workbook is read into (the drafts the preview shows and the publishing writes), its
problems, and the helpers every sheet's reader shares: the headers, the unit lists, the cells."""

import re
from dataclasses import dataclass, field
from typing import Any

from tasks.imports.reading import text_of

REQUIRES_PLAN_NOTE = "制定实施方案"
HEADER_SCAN_ROWS = 15
CN_DIGITS = "一二三四五六七八九十"
PART = re.compile(r"^(?P<part>[一二三四五六七八九十]{1,3}、[^（(]*)")
NUMBER = re.compile(r"^(?P<number>[（(][一二三四五六七八九十]{1,3}[）)])\s*")
ITEM = re.compile(r"^(?P<number>\d{1,3})\s*[.．、]\s*(?P<rest>.*)$", re.S)
SEPARATORS = re.compile(r"[、，,;；\n]+")
YEARS = re.compile(r"[（(]\s*((?:19|20)\d{2})\s*[-—–~至]\s*((?:19|20)\d{2})\s*年?\s*[）)]")
TASK_HEADERS = {"section": "主要任务", "content": "主要内容", "units": "责任单位", "note": "备注"}
TITLE_MAX = 128
NOTE_MAX = 255
UNIT_MAX = 64


@dataclass(frozen=True)
class PlanProblem:
    """One thing wrong with the workbook: where (sheet, row, column letter and header) and what."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    header: str = ""

    def __str__(self) -> str:
        where = f"工作表“{self.sheet}” " if self.sheet else ""
        if self.row is not None:
            where += f"第{self.row}行 "
        if self.column:
            where += f"{self.column}列" + (f"（{self.header}）" if self.header else "")
        return f"{where.strip()}：{self.message}" if where else self.message


class PlanFileRefusedError(Exception):
    """The workbook cannot be imported; ``problems`` say why, each with its place."""

    def __init__(self, problems: list[PlanProblem]) -> None:
        super().__init__("；".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class TaskDraft:
    row: int
    content: str
    units: list[str]
    note: str = ""
    seq: int = 0
    code: str = ""

    @property
    def requires_plan(self) -> bool:
        return REQUIRES_PLAN_NOTE in self.note


@dataclass
class ItemDraft:
    number: int
    title: str
    tasks: list[TaskDraft] = field(default_factory=list)


@dataclass
class SectionDraft:
    part: str
    number: str
    title: str
    code: str = ""
    row: int | None = None
    tasks: list[TaskDraft] = field(default_factory=list)  # tasks outside any item
    items: list[ItemDraft] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.number}{self.title}"

    def all_tasks(self) -> list[TaskDraft]:
        return [*self.tasks, *(t for i in self.items for t in i.tasks)]


@dataclass
class DemoDraft:
    row: int
    seq: int
    field: str
    name: str
    hosts: list[str]
    start_year: int
    end_year: int
    units: list[str]


@dataclass
class IndicatorDraft:
    row: int
    seq: int
    name: str
    measure: str
    goal: str
    source_text: str
    targets: list[tuple[int, int, int | None]]  # year, min, max


@dataclass
class PlanDraft:
    """What a workbook says: the plan's title, its sections, demo projects and indicators."""

    title: str = ""
    start_year: int | None = None
    end_year: int | None = None
    sections: list[SectionDraft] = field(default_factory=list)
    demos: list[DemoDraft] = field(default_factory=list)
    indicators: list[IndicatorDraft] = field(default_factory=list)
    sheets: dict[str, str] = field(default_factory=dict)  # what → sheet name

    def tasks(self) -> list[TaskDraft]:
        return sorted((t for s in self.sections for t in s.all_tasks()), key=lambda t: t.seq)

    def unit_names(self) -> list[str]:
        """Every unit name the workbook uses, in order of first appearance."""
        names: dict[str, None] = {}
        for t in self.tasks():
            names.update(dict.fromkeys(t.units))
        for d in self.demos:
            names.update(dict.fromkeys(d.units))
        return list(names)


def squeeze(value: Any) -> str:
    """A header cell's text without any whitespace (“主 要 任 务” is 主要任务)."""
    return re.sub(r"\s+", "", text_of(value))


def split_units(text: str) -> list[str]:
    return [name.strip() for name in SEPARATORS.split(text) if name.strip()]


def find_header(
    ws: Any, required: dict[str, tuple[str, ...]], optional: dict[str, tuple[str, ...]]
) -> tuple[int, dict[str, int]] | None:
    """The first of the top rows naming every required column; the column number of each key
    found (a name matches a cell equal to it, whitespace ignored)."""
    wanted = {**required, **optional}
    for n, values in enumerate(
        ws.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, values_only=True), start=1
    ):
        cells = [squeeze(v) for v in values]
        found: dict[str, int] = {}
        for key, names in wanted.items():
            for i, cell in enumerate(cells, start=1):
                if cell in names:
                    found[key] = i
                    break
        if all(k in found for k in required):
            return n, found
    return None
