"""The annual workbook for the supervision authorities (openpyxl, write-only: every sheet is
streamed row by row, the merged cells of the Annex layout included — a write-only sheet keeps
``merged_cells`` and writes them after its rows).

Sheets: 主要任务分工 (Annex 1 and each quarter's light, status and progress), 示范工程 (Annex 2
and each quarter's), 目标指标 (targets and actuals per year), 报送情况 (units × quarters: on
time, late, missing), 催办督办 (every 催办 and 督办单 of the year), 督办事项 (every 督办事项 of
the year: reports.annual.directives). Each has a title row, named
fonts (仿宋 body, 黑体 headers), wrapped text, a frozen header, landscape A4 fitted to the width
and its header rows printed on every page."""

import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.styles import (  # type: ignore[import-untyped]
    Alignment,
    Border,
    Font,
    NamedStyle,
    PatternFill,
    Side,
)
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet._write_only import WriteOnlyWorksheet  # type: ignore[import-untyped]
from openpyxl.worksheet.properties import PageSetupProperties  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from hefei_ai_zone import clock

from . import selectors
from .directives import directive_year
from .selectors import QUARTER_LABELS, QUARTERS, AnnualYear, QuarterCell

Progress = Callable[[int, str], None]
ISSUER_SHORT = "合肥国家新一代人工智能创新发展试验区"

BODY_FONT = "仿宋"
HEAD_FONT = "黑体"
_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")
LIGHT_COLOURS = {"red": "F8B4B4", "yellow": "FFE699", "green": "C6EFCE", "grey": "D9D9D9"}

# Named styles, registered once per workbook: a cell takes one by name (a copy of its style
# array), where setting font, fill, border and alignment one by one hashes each of them for
# every cell — most of the time at 100,000 rows.
TITLE, SUBTITLE, HEAD = "台账标题", "台账副标题", "台账表头"
BODY, CENTRED, NOTE = "台账正文", "台账居中", "台账说明"
LIGHT_STYLES = {"red": "台账红灯", "yellow": "台账黄灯", "green": "台账绿灯", "grey": "台账灰灯"}


def _styles() -> list[NamedStyle]:
    def style(name: str, font: Font, align: Alignment, *, border: bool = True,
              fill: str = "") -> NamedStyle:  # fmt: skip
        named = NamedStyle(name=name, font=font, alignment=align)
        if border:
            named.border = BORDER
        if fill:
            named.fill = PatternFill("solid", fgColor=fill)
        return named

    body = Font(name=BODY_FONT, size=10)
    return [
        style(TITLE, Font(name=HEAD_FONT, size=16, bold=True), CENTRE, border=False),
        style(SUBTITLE, Font(name=BODY_FONT, size=11), Alignment(horizontal="right"), border=False),
        style(HEAD, Font(name=HEAD_FONT, size=11, bold=True), CENTRE, fill="D9E1F2"),
        style(BODY, body, WRAP),
        style(CENTRED, body, CENTRE),
        style(NOTE, body, WRAP, border=False),
        *(
            style(LIGHT_STYLES[light], body, CENTRE, fill=colour)
            for light, colour in LIGHT_COLOURS.items()
        ),
    ]


QUARTER_WIDTHS = (6, 14, 36)  # 灯色, 状态, 进展情况


class Sheet:
    """A write-only sheet with the house layout: title, one or two header rows, bordered rows."""

    def __init__(self, wb: Workbook, title: str, widths: Sequence[float], header_rows: int) -> None:
        ws = wb.create_sheet(title)
        assert isinstance(ws, WriteOnlyWorksheet)
        self.ws = ws
        self.columns = len(widths)
        self.header_rows = header_rows
        self.row = 0
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
        first_data = 3 + header_rows  # title, subtitle, headers
        ws.freeze_panes = f"A{first_data}"
        ws.print_title_rows = f"3:{2 + header_rows}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        ws.oddFooter.center.font = BODY_FONT

    def cell(self, value: Any, style: str = BODY) -> WriteOnlyCell:
        c = WriteOnlyCell(self.ws, value=value)
        c.style = style
        return c

    def append(self, cells: Iterable[Any]) -> int:
        self.ws.append(list(cells))
        self.row += 1
        return self.row

    def merge(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        if (first_row, first_col) != (last_row, last_col):
            self.ws.merged_cells.add(
                f"{get_column_letter(first_col)}{first_row}:{get_column_letter(last_col)}{last_row}"
            )

    def title(self, text: str, subtitle: str) -> None:
        self.ws.row_dimensions[1].height = 30
        self.append([self.cell(text, TITLE)])
        self.merge(1, 1, 1, self.columns)
        self.append([self.cell(subtitle, SUBTITLE)])
        self.merge(2, 1, 2, self.columns)

    def header(self, labels: Sequence[str | None]) -> int:
        return self.append(self.cell(label, HEAD) for label in labels)


def _subtitle(year: AnnualYear) -> str:
    return f"（{year.plan.short_name or year.plan.name}，导出日期：{clock.today():%Y年%m月%d日}）"


def _quarter_header(sheet: Sheet, fixed: Sequence[str]) -> None:
    """Two header rows: the fixed columns merged down, each quarter over its three columns."""
    top: list[str | None] = list(fixed)
    bottom: list[str | None] = [None] * len(fixed)
    for q in QUARTERS:
        top += [QUARTER_LABELS[q], None, None]
        bottom += ["灯色", "状态", "进展情况"]
    first = sheet.header(top)
    sheet.header(bottom)
    for col in range(1, len(fixed) + 1):
        sheet.merge(first, col, first + 1, col)
    for i in range(len(QUARTERS)):
        col = len(fixed) + 1 + 3 * i
        sheet.merge(first, col, first, col + 2)


def _quarter_cells(sheet: Sheet, cells: Sequence[QuarterCell]) -> list[WriteOnlyCell]:
    out = []
    for c in cells:
        out.append(sheet.cell(c.light_text, LIGHT_STYLES[c.light]))
        out.append(sheet.cell(c.status or None))
        out.append(sheet.cell(c.text or None))
    return out


def tasks_sheet(wb: Workbook, year: AnnualYear, facts: selectors.QuarterFacts) -> int:
    """主要任务分工: Annex 1 (主要任务 merged over its tasks), then the quarters. Rows written."""
    fixed_widths = (14, 56, 20, 10)
    sheet = Sheet(wb, "主要任务分工", (*fixed_widths, *QUARTER_WIDTHS * 4), header_rows=2)
    sheet.title(f"{ISSUER_SHORT}主要任务分工及{year.year}年度推进情况", _subtitle(year))
    _quarter_header(sheet, ("主要任务", "主要内容", "责任单位", "备注"))
    periods = [year.quarters[q] for q in QUARTERS]
    span_start, span_label, n = 0, None, 0
    for row in selectors.task_rows(year.plan):
        label = row.section if row.section != span_label else None
        cells = [
            sheet.cell(label, CENTRED),
            sheet.cell(row.content),
            sheet.cell(row.units),
            sheet.cell(row.note or None, CENTRED),
            *_quarter_cells(sheet, [facts.cell(p, row.assignments) for p in periods]),
        ]
        at = sheet.append(cells)
        if label is not None:
            if span_label is not None:
                sheet.merge(span_start, 1, at - 1, 1)
            span_start, span_label = at, row.section
        n += 1
    if span_label is not None:
        sheet.merge(span_start, 1, sheet.row, 1)
    return n


def demos_sheet(wb: Workbook, year: AnnualYear, facts: selectors.QuarterFacts) -> int:
    """示范工程: Annex 2 (领域 merged over its projects), then the quarters."""
    fixed = ("序号", "领域", "示范工程名称", "依托单位", "建设周期", "责任单位")
    sheet = Sheet(wb, "示范工程", (6, 14, 24, 22, 11, 20, *QUARTER_WIDTHS * 4), header_rows=2)
    sheet.title(f"{ISSUER_SHORT}示范工程{year.year}年度推进情况", _subtitle(year))
    _quarter_header(sheet, fixed)
    periods = [year.quarters[q] for q in QUARTERS]
    span_start, span_field, n = 0, None, 0
    for row in selectors.demo_rows(year.plan):
        field = row.demo.field if row.demo.field != span_field else None
        at = sheet.append(
            [
                sheet.cell(row.demo.seq, CENTRED),
                sheet.cell(field, CENTRED),
                sheet.cell(row.demo.name),
                sheet.cell(row.hosts),
                sheet.cell(row.years, CENTRED),
                sheet.cell(row.units),
                *_quarter_cells(sheet, [facts.cell(p, row.assignments) for p in periods]),
            ]
        )
        if field is not None:
            if span_field is not None:
                sheet.merge(span_start, 2, at - 1, 2)
            span_start, span_field = at, row.demo.field
        n += 1
    if span_field is not None:
        sheet.merge(span_start, 2, sheet.row, 2)
    return n


def indicators_sheet(wb: Workbook, year: AnnualYear) -> int:
    """目标指标: each indicator's target and actual per year of the plan up to this one."""
    years = [y for y in year.plan.years if y <= year.year]
    fixed = ("序号", "指标", "计量单位", "方案目标")
    widths = (6, 30, 9, 30, *(10, 10, 9) * len(years))
    sheet = Sheet(wb, "目标指标", widths, header_rows=2)
    sheet.title(f"{ISSUER_SHORT}主要目标指标完成情况（截至{year.year}年）", _subtitle(year))
    top: list[str | None] = list(fixed)
    bottom: list[str | None] = [None] * len(fixed)
    for y in years:
        top += [f"{y}年", None, None]
        bottom += ["目标", "实际", "是否达标"]
    first = sheet.header(top)
    sheet.header(bottom)
    for col in range(1, len(fixed) + 1):
        sheet.merge(first, col, first + 1, col)
    for i in range(len(years)):
        sheet.merge(first, len(fixed) + 1 + 3 * i, first, len(fixed) + 3 + 3 * i)
    n = 0
    for i, progress in enumerate(selectors.indicators(year), start=1):
        ind = progress.indicator
        cells = [
            sheet.cell(i, CENTRED),
            sheet.cell(ind.name),
            sheet.cell(ind.measure, CENTRED),
            sheet.cell(ind.goal or None),
        ]
        for yp in progress.years:
            if yp.year not in years:
                continue
            target = yp.target
            cells += [
                sheet.cell(selectors.target_text(target), CENTRED),
                sheet.cell(yp.actual, CENTRED),
                sheet.cell("—" if yp.met is None else ("达标" if yp.met else "未达标"), CENTRED),
            ]
        sheet.append(cells)
        n += 1
    return n


def reporting_sheet(wb: Workbook, year: AnnualYear) -> int:
    """报送情况: each unit's duties and, per quarter and for the year, on time, late, missing."""
    fixed = ("序号", "责任单位", "填报职责")
    sheet = Sheet(wb, "报送情况", (6, 24, 9, *(7, 7, 7) * 5, 10), header_rows=2)
    sheet.title(f"{ISSUER_SHORT}{year.year}年度各责任单位报送情况", _subtitle(year))
    top: list[str | None] = list(fixed)
    bottom: list[str | None] = [None] * len(fixed)
    for label in [*(QUARTER_LABELS[q] for q in QUARTERS), "全年"]:
        top += [label, None, None]
        bottom += ["按时", "逾期", "未报"]
    top.append("按时报送率")
    bottom.append(None)
    first = sheet.header(top)
    sheet.header(bottom)
    for col in (*range(1, len(fixed) + 1), len(top)):
        sheet.merge(first, col, first + 1, col)
    for i in range(5):
        sheet.merge(first, len(fixed) + 1 + 3 * i, first, len(fixed) + 3 + 3 * i)
    n = 0
    for i, record in enumerate(selectors.reporting_record(year), start=1):
        cells = [
            sheet.cell(i, CENTRED),
            sheet.cell(record.name),
            sheet.cell(record.duties, CENTRED),
        ]
        for q in QUARTERS:
            values = record.quarters.get(q)
            cells += [sheet.cell(v, CENTRED) for v in (values or ("—", "—", "—"))]
        on_time, late, missing = record.totals()
        cells += [sheet.cell(v, CENTRED) for v in (on_time, late, missing)]
        due = on_time + late + missing
        cells.append(sheet.cell(f"{on_time / due:.0%}" if due else "—", CENTRED))
        sheet.append(cells)
        n += 1
    return n


def supervision_sheet(wb: Workbook, year: AnnualYear) -> int:
    """催办督办: every 催办 and 督办单 of the year."""
    headers = (
        "序号", "类别", "日期", "责任单位", "报送周期/任务", "催办内容/督办事项", "文号", "状态",
        "反馈截止", "反馈日期", "办结日期",
    )  # fmt: skip
    sheet = Sheet(wb, "催办督办", (6, 8, 12, 20, 28, 48, 18, 9, 12, 12, 12), header_rows=1)
    sheet.title(f"{ISSUER_SHORT}{year.year}年度催办及督办情况", _subtitle(year))
    sheet.header(headers)
    n = 0
    for n, row in enumerate(selectors.supervision_rows(year), start=1):
        sheet.append(
            [
                sheet.cell(n, CENTRED),
                sheet.cell(row.kind, CENTRED),
                sheet.cell(_day(row.day), CENTRED),
                sheet.cell(row.unit),
                sheet.cell(row.subject),
                sheet.cell(row.content),
                sheet.cell(row.number or None, CENTRED),
                sheet.cell(row.state, CENTRED),
                sheet.cell(_day(row.due), CENTRED),
                sheet.cell(_day(row.answered), CENTRED),
                sheet.cell(_day(row.closed), CENTRED),
            ]
        )
    if n == 0:
        sheet.append([sheet.cell("本年度无催办和督办单。", NOTE)])
    return n


def directives_sheet(wb: Workbook, year: AnnualYear) -> int:
    """督办事项: every item of the year (reports.annual.directives), its light at the year's end."""
    headers = (
        "序号", "编号", "来源", "来源详情", "事项名称", "牵头单位", "配合单位", "交办日期",
        "原定办结时限", "办结时限", "办结日期", "是否按期", "延期次数", "状态", "年末灯色",
    )  # fmt: skip
    widths = (6, 18, 11, 26, 36, 16, 22, 11, 12, 11, 11, 10, 8, 9, 8)
    sheet = Sheet(wb, "督办事项", widths, header_rows=1)
    data = directive_year(year.year)
    sheet.title(
        f"{ISSUER_SHORT}{year.year}年度督办事项办理情况",
        f"（年末灯色截至{data.as_of:%Y-%m-%d}，导出日期：{clock.today():%Y年%m月%d日}）",
    )
    sheet.header(headers)
    for n, row in enumerate(data.rows, start=1):
        sheet.append(
            [
                sheet.cell(n, CENTRED),
                sheet.cell(row.number, CENTRED),
                sheet.cell(row.source_label, CENTRED),
                sheet.cell(row.particulars or None),
                sheet.cell(row.title),
                sheet.cell(row.lead),
                sheet.cell(row.co or None),
                sheet.cell(_day(row.issued), CENTRED),
                sheet.cell(_day(row.original_due), CENTRED),
                sheet.cell(_day(row.due), CENTRED),
                sheet.cell(_day(row.closed), CENTRED),
                sheet.cell(row.on_time or None, CENTRED),
                sheet.cell(row.extensions, CENTRED),
                sheet.cell(row.state, CENTRED),
                sheet.cell(row.light_text, LIGHT_STYLES[row.light]),
            ]
        )
    if not data.rows:
        sheet.append([sheet.cell("本年度无督办事项。", NOTE)])
    return len(data.rows)


def _day(day: Any) -> str | None:
    return f"{day:%Y-%m-%d}" if day else None


def workbook_build(year: AnnualYear, progress: Progress | None = None) -> bytes:
    """The whole workbook as .xlsx bytes."""
    tell = progress or (lambda _percent, _stage: None)
    wb = Workbook(write_only=True)
    for style in _styles():
        wb.add_named_style(style)
    tell(5, "读取各季度灯色和进展")
    facts = selectors.quarter_facts(year)
    tell(35, "写入主要任务分工")
    tasks_sheet(wb, year, facts)
    tell(55, "写入示范工程")
    demos_sheet(wb, year, facts)
    del facts
    tell(65, "写入目标指标")
    indicators_sheet(wb, year)
    tell(75, "写入报送情况")
    reporting_sheet(wb, year)
    tell(85, "写入催办督办")
    supervision_sheet(wb, year)
    tell(90, "写入督办事项")
    directives_sheet(wb, year)
    tell(95, "保存工作簿")
    wb.properties.creator = "督查督办平台"
    wb.properties.title = f"{year.year}年度督查督办工作台账"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
