"""An independent reading of the plan document, for tests to compare the fixtures against.

The document (fixtures/source/) is the plan as published: Annex 1 and Annex 2 are tables whose
rows are separated by blank lines and whose cells each start with a tab; a line without a tab
continues the cell above it (a line break inside a cell). Nothing here is used by the application:
it exists so that the hand-kept YAML fixtures are checked against the source, cell by cell.
"""

import re
from dataclasses import dataclass
from pathlib import Path

SOURCE = (
    Path(__file__).resolve().parents[2]
    / "fixtures"
    / "source"
    / "hefei-ai-pilot-zone-plan-2020-2023.txt"
)
UNIT_SEPARATORS = re.compile(r"[，、]")
NUMBERED = re.compile(r"^(\d+)\.(.+?)。")
LABEL = re.compile(r"^(\d+)\.(.+)$")


@dataclass(frozen=True)
class AnnexTask:
    seq: int
    section: str  # as the Annex's first column names it, carried down over blank cells
    item_label: str  # the Annex's item column ("4.人工智能+公共安全"), "" where it has none
    content: str
    units: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class AnnexDemo:
    seq: int
    field: str
    name: str
    hosts: tuple[str, ...]
    start_year: int
    end_year: int
    units: tuple[str, ...]


def _text() -> str:
    return SOURCE.read_text(encoding="utf-8")


def _cell(lines: list[str]) -> str:
    """A cell's text, with its line breaks and surrounding whitespace removed."""
    return "".join(line.strip() for line in lines).strip()


def _rows(block: str) -> list[list[str]]:
    """Rows end at a line of nothing but spaces (no tab); an empty cell is a lone tab."""
    rows: list[list[str]] = []
    cells: list[list[str]] = []
    for line in [*block.split("\n"), ""]:
        if line.startswith("\t"):
            cells.append([line[1:]])
        elif line.strip(" "):
            if cells:
                cells[-1].append(line)
        elif cells:
            rows.append([_cell(c) for c in cells])
            cells = []
    return rows


def split_units(text: str) -> tuple[str, ...]:
    return tuple(u for u in (p.strip() for p in UNIT_SEPARATORS.split(text)) if u)


def annex1() -> list[AnnexTask]:
    text = _text()
    block = text[text.index("主要任务分工\n") + len("主要任务分工\n") : text.index(" 附件2")]
    rows = _rows(block)[1:]  # the first row is the table header
    tasks: list[AnnexTask] = []
    section = item = ""
    for seq, cells in enumerate(rows, start=1):
        if len(cells) == 3:  # the last row of the table has no 备注 cell
            cells = [*cells, ""]
        if len(cells) == 4:
            sec, content, units, note = cells
            item = ""
        elif len(cells) == 5:
            sec, label, content, units, note = cells
            if sec:
                item = ""
            item = label or item
        else:
            raise ValueError(f"Annex 1 row {seq} has {len(cells)} cells: {cells!r}")
        section = sec or section
        tasks.append(AnnexTask(seq, section, item, content, split_units(units), note))
    return tasks


def body_items() -> dict[str, list[tuple[int, str]]]:
    """The numbered sub-items of 三、重点任务 as the body text heads them: {section title: [...]}"""
    text = _text()
    body = text[text.index("三、重点任务") : text.index("四、保障措施")]
    items: dict[str, list[tuple[int, str]]] = {}
    current = ""
    for line in body.splitlines():
        line = line.strip()
        heading = re.match(r"^（[一二三四五]）(.+?)。$", line)
        if heading:
            current = heading.group(1)
            items[current] = []
            continue
        numbered = NUMBERED.match(line)
        if numbered and current:
            items[current].append((int(numbered.group(1)), numbered.group(2)))
    return items


def annex2() -> list[AnnexDemo]:
    text = _text()
    block = text[text.index("示范工程汇总表\n") + len("示范工程汇总表\n") :]
    rows = _rows(block)[1:]
    demos: list[AnnexDemo] = []
    field = ""
    for cells in rows:
        seq, fld, name, hosts, period, units = cells
        field = fld or field
        start, end = re.fullmatch(r"(\d{4})-(\d{4})年", period).groups()  # type: ignore[union-attr]
        demos.append(
            AnnexDemo(
                int(seq),
                field,
                name,
                tuple(hosts.split("、")),
                int(start),
                int(end),
                split_units(units),
            )
        )
    return demos


def goals_text() -> str:
    """Section 二、主要目标, where the quantitative targets are."""
    text = _text()
    return text[text.index("二、主要目标") : text.index("三、重点任务")]
