"""The sheets of a plan workbook, recognised by their header row, and the optional ones read:
示范工程 (Annex 2 demo projects) and 目标指标 (indicators with a target per year)."""

import re
from typing import Any

from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from tasks.imports.reading import text_of
from tasks.plan_import.drafts import (
    TASK_HEADERS,
    TITLE_MAX,
    UNIT_MAX,
    DemoDraft,
    IndicatorDraft,
    PlanProblem,
    find_header,
    split_units,
    squeeze,
)

Columns = tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]
TASK_COLUMNS: Columns = (
    {k: (v,) for k, v in TASK_HEADERS.items() if k != "note"},
    {"note": ("备注",)},
)
DEMO_COLUMNS: Columns = (
    {"name": ("项目名称", "示范工程名称", "示范工程", "工程名称"), "field": ("领域", "应用领域")},
    {
        "seq": ("序号",),
        "hosts": ("依托单位", "承担单位", "建设单位", "实施单位"),
        "years": ("建设周期", "实施年限", "建设年限", "实施周期"),
        "units": ("责任单位", "牵头单位"),
    },
)
DEMO_HEADERS = {k: v[0] for part in DEMO_COLUMNS for k, v in part.items()}
INDICATOR_COLUMNS: Columns = (
    {"name": ("指标", "指标名称", "目标指标")},
    {
        "seq": ("序号",),
        "measure": ("计量单位", "单位"),
        "goal": ("所属目标", "目标", "主要目标"),
        "source": ("方案原文", "说明"),
    },
)
INDICATOR_HEADERS = {k: v[0] for part in INDICATOR_COLUMNS for k, v in part.items()}
YEAR_HEADER = re.compile(r"^((?:19|20)\d{2})年?(目标)?$")
YEAR_SPAN = re.compile(r"^((?:19|20)\d{2})年?(?:\s*[-—–~至]\s*((?:19|20)\d{2})年?)?$")
TARGET = re.compile(r"^[≥>]?\s*(\d{1,9})\s*(?:[-—–~至]\s*(\d{1,9}))?\s*\D{0,4}(以上)?$")
MEASURE_MAX = 8
NO_TARGET = {"", "—", "-", "－", "/", "／", "无"}  # no target that year
GOAL_MAX = 64


def recognise(wb: Any) -> dict[str, tuple[Any, int, dict[str, int]]]:
    """Each kind of sheet found (tasks, demos, indicators): the sheet, its header row, columns.
    The first sheet with a kind's header wins."""
    found: dict[str, tuple[Any, int, dict[str, int]]] = {}
    for ws in wb.worksheets:
        for kind, (required, optional) in (
            ("tasks", TASK_COLUMNS),
            ("demos", DEMO_COLUMNS),
            ("indicators", INDICATOR_COLUMNS),
        ):
            if kind in found:
                continue
            header = find_header(ws, required, optional)
            if header is None:
                continue
            if kind == "indicators":
                years = year_columns(ws, header[0])
                if not years:
                    continue
                header[1].update({f"year:{y}": c for y, c in years.items()})
            found[kind] = (ws, *header)
            break
    return found


def year_columns(ws: Any, header_row: int) -> dict[int, int]:
    row = next(ws.iter_rows(min_row=header_row, max_row=header_row, values_only=True))
    years = {}
    for i, value in enumerate(row, start=1):
        m = YEAR_HEADER.match(squeeze(value))
        if m:
            years[int(m.group(1))] = i
    return years


def data_rows(ws: Any, header_row: int, columns: dict[str, int]) -> Any:
    width = max(columns.values())
    for n, values in enumerate(
        ws.iter_rows(min_row=header_row + 1, max_col=width, values_only=True), start=header_row + 1
    ):
        cells = {k: values[i - 1] if i <= len(values) else None for k, i in columns.items()}
        if all(not text_of(v) for v in cells.values()):
            continue
        yield n, cells


def read_demos(
    ws: Any, header_row: int, columns: dict[str, int]
) -> tuple[list[DemoDraft], list[PlanProblem]]:
    """Annex 2: a blank (merged) 领域 repeats the one above; 建设周期 “2021-2023年” or “2022年”."""
    problems: list[PlanProblem] = []
    demos: list[DemoDraft] = []
    field_above = ""

    def problem(message: str, n: int, key: str) -> None:
        column = get_column_letter(columns[key]) if key in columns else ""
        problems.append(PlanProblem(message, ws.title, n, column, DEMO_HEADERS[key]))

    for n, cells in data_rows(ws, header_row, columns):
        name = text_of(cells.get("name"))
        field = text_of(cells.get("field")) or field_above
        field_above = field
        if not name:
            if any(text_of(cells.get(k)) for k in ("hosts", "years", "units")):
                problem("示范工程名称为空", n, "name")
            continue
        if len(name) > TITLE_MAX:
            problem(f"名称不能超过 {TITLE_MAX} 字，现为 {len(name)} 字", n, "name")
        if not field:
            problem("领域为空", n, "field")
        years_text = squeeze(cells.get("years"))
        m = YEAR_SPAN.match(years_text)
        start = end = 0
        if m:
            start = int(m.group(1))
            end = int(m.group(2) or m.group(1))
            if end < start:
                problem(f"建设周期“{years_text}”的截止年早于起始年", n, "years")
        else:
            problem(
                f"建设周期应写作“2024-2026年”或“2024年”，现为“{years_text or '空'}”", n, "years"
            )
        units = split_units(text_of(cells.get("units")))
        if "units" in columns and any(len(u) > UNIT_MAX for u in units):
            problem(f"单位名称超过 {UNIT_MAX} 字", n, "units")
        if len(set(units)) != len(units):
            problem("同一单位重复列出", n, "units")
        demos.append(
            DemoDraft(
                n,
                len(demos) + 1,
                field[:64],
                name[:TITLE_MAX],
                split_units(text_of(cells.get("hosts"))),
                start,
                end,
                units,
            )
        )
    return demos, problems


def read_indicators(
    ws: Any, header_row: int, columns: dict[str, int]
) -> tuple[list[IndicatorDraft], list[PlanProblem]]:
    """Each indicator: name, measure, goal and the target of each year column (“50”, “5-8”,
    “≥50”, “50项以上”; a blank cell: no target that year)."""
    problems: list[PlanProblem] = []
    indicators: list[IndicatorDraft] = []
    years = sorted((int(k[5:]), c) for k, c in columns.items() if k.startswith("year:"))

    def problem(message: str, n: int, key: str, column: int | None = None) -> None:
        letter = get_column_letter(column or columns[key]) if (column or key in columns) else ""
        problems.append(PlanProblem(message, ws.title, n, letter, INDICATOR_HEADERS.get(key, key)))

    for n, cells in data_rows(ws, header_row, columns):
        name = text_of(cells.get("name"))
        if not name and n == header_row + 1:
            continue  # the second row of a two-row header (目标 | 实际 under each year)
        if not name:
            problem("指标名称为空", n, "name")
            continue
        measure = text_of(cells.get("measure"))
        goal = text_of(cells.get("goal"))
        if len(name) > TITLE_MAX:
            problem(f"指标名称不能超过 {TITLE_MAX} 字", n, "name")
        if len(measure) > MEASURE_MAX:
            problem(f"计量单位不能超过 {MEASURE_MAX} 字，现为“{measure}”", n, "measure")
        if len(goal) > GOAL_MAX:
            problem(f"所属目标不能超过 {GOAL_MAX} 字", n, "goal")
        targets: list[tuple[int, int, int | None]] = []
        for year, column in years:
            raw = cells.get(f"year:{year}")
            value = squeeze(raw)
            if value in NO_TARGET:
                continue
            m = TARGET.match(value)
            if not m:
                problem(f"{year}年的目标值应为数字（如 50、5-8），现为“{value}”", n, "", column)
                continue
            low = int(m.group(1))
            high = int(m.group(2)) if m.group(2) else None
            if high is not None and high < low:
                problem(f"{year}年的目标区间“{value}”上限小于下限", n, "", column)
                continue
            targets.append((year, low, high))
        source = text_of(cells.get("source")) or name
        indicators.append(
            IndicatorDraft(
                n,
                len(indicators) + 1,
                name[:TITLE_MAX],
                measure[:MEASURE_MAX] or "项",
                goal[:GOAL_MAX] or "主要目标",
                source,
                targets,
            )
        )
    return indicators, problems
