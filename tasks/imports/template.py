"""The progress template: its layout (the one definition the builder and the reader share) and
the workbook a unit downloads.

Sheet 进展填报: row 1 the title, row 2 how to fill it, row 3 the headers (frozen), one row per
duty from row 4. Columns A–F are the reference (locked: the sheet is protected, only G–L of the
duty rows are unlocked), G–L what the unit fills. 状态 has a list of the status labels, 完成百分比
a whole-number validation 0–100. A very hidden, protected sheet carries the template's marker
(kind, period code, unit id, template version), also written to the workbook's custom
properties, so that a wrong template is recognised before any row is read.
"""

from dataclasses import dataclass
from io import BytesIO

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.packaging.custom import StringProperty  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font, PatternFill, Protection  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

from hefei_ai_zone import clock
from hefei_ai_zone.xlsx import BORDER, FONT, HEADER_FILL, print_setup
from tasks.imports.selectors import TemplateRow
from tasks.models import ProgressStatus, ReportingPeriod
from units.models import Unit

KIND = "hefei-progress-import"
TEMPLATE_VERSION = "1"
SHEET = "进展填报"
MARKER_SHEET = "模板信息"
HEADER_ROW = 3
FIRST_ROW = HEADER_ROW + 1
# Keeps the reference columns from being typed over; not a secret.
LOCK_PASSWORD = "hefei-template"  # noqa: S105


@dataclass(frozen=True)
class TemplateColumn:
    key: str
    header: str
    width: float
    editable: bool = False


COLUMNS = [
    TemplateColumn("assignment", "分工ID", 8),
    TemplateColumn("code", "任务编号", 10),
    TemplateColumn("title", "任务/示范工程", 36),
    TemplateColumn("role", "角色", 6),
    TemplateColumn("previous", "上期进展情况（参考）", 36),
    TemplateColumn("version", "报告版本", 8),
    TemplateColumn("status", "状态", 12, editable=True),
    TemplateColumn("percent", "完成百分比", 10, editable=True),
    TemplateColumn("narrative", "进展情况", 48, editable=True),
    TemplateColumn("problems", "存在问题", 30, editable=True),
    TemplateColumn("next_steps", "下步计划", 30, editable=True),
    TemplateColumn("percent_drop_reason", "进度下降说明", 24, editable=True),
]
LETTERS = {c.key: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
HEADERS = [c.header for c in COLUMNS]
STATUS_BY_LABEL = {str(label): value for value, label in ProgressStatus.choices}
LABEL_BY_STATUS = {value: label for label, value in STATUS_BY_LABEL.items()}


def template_filename(period: ReportingPeriod, unit: Unit) -> str:
    return f"进展填报模板-{period.code}-{unit.name}-{clock.today():%Y%m%d}.xlsx"


def template_workbook(period: ReportingPeriod, unit: Unit, rows: list[TemplateRow]) -> bytes:
    """The unit's template for the period, prefilled with each report's current content."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    bold = Font(name=FONT, size=10, bold=True)
    top = Alignment(vertical="top", wrap_text=True)
    ws["A1"] = f"{period.label}（{period.code}）进展填报模板 · {unit.name}"
    ws["A1"].font = Font(name=FONT, size=14, bold=True)
    ws["A2"] = (
        "请只填写 G–L 列（状态从下拉列表选择，完成百分比为 0–100 的整数）；A–F 列为参考，"
        "不要改动列的顺序、名称，不要合并单元格。填好后在平台“Excel 导入”页面上传。"
        f"下载时间：{clock.now():%Y-%m-%d %H:%M}"
    )
    ws["A2"].font = Font(name=FONT, size=9, color="555555")
    for i, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=HEADER_ROW, column=i, value=col.header)
        cell.font, cell.fill, cell.border = bold, HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(i)].width = col.width
    editable_fill = PatternFill("solid", fgColor="FFFBE6")
    for n, row in enumerate(rows, start=FIRST_ROW):
        report = row.duty.report
        values = {
            "assignment": row.duty.assignment.pk,
            "code": row.code,
            "title": row.title,
            "role": row.duty.assignment.get_role_display(),
            "previous": row.previous.narrative if row.previous else "",
            "version": report.version if report else None,
            "status": LABEL_BY_STATUS.get(report.status, "") if report else "",
            "percent": report.percent if report else None,
            "narrative": report.narrative if report else "",
            "problems": report.problems if report else "",
            "next_steps": report.next_steps if report else "",
            "percent_drop_reason": report.percent_drop_reason if report else "",
        }
        for i, col in enumerate(COLUMNS, start=1):
            value = values[col.key]
            cell = ws.cell(row=n, column=i, value=value if value != "" else None)
            cell.alignment = top
            if col.editable:
                cell.protection = Protection(locked=False)
                cell.fill = editable_fill
    last = max(FIRST_ROW, FIRST_ROW + len(rows) - 1)
    status = DataValidation(
        type="list",
        formula1='"' + ",".join(STATUS_BY_LABEL) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="状态",
        error="请从下拉列表中选择状态。",
    )
    status.add(f"{LETTERS['status']}{FIRST_ROW}:{LETTERS['status']}{last}")
    percent = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="完成百分比",
        error="请填写 0–100 的整数。",
    )
    percent.add(f"{LETTERS['percent']}{FIRST_ROW}:{LETTERS['percent']}{last}")
    ws.add_data_validation(status)
    ws.add_data_validation(percent)
    ws.freeze_panes = f"A{FIRST_ROW}"
    print_setup(ws, HEADER_ROW)
    ws.protection.sheet = True
    ws.protection.password = LOCK_PASSWORD
    ws.protection.formatRows = False  # rows may be made taller to read long text
    ws.protection.formatColumns = False
    marker = {
        "kind": KIND,
        "period": period.code,
        "unit": str(unit.pk),
        "template_version": TEMPLATE_VERSION,
    }
    meta = wb.create_sheet(MARKER_SHEET)
    for r, (key, value) in enumerate(marker.items(), start=1):
        meta.cell(row=r, column=1, value=key)
        meta.cell(row=r, column=2, value=value)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    meta.protection.password = LOCK_PASSWORD
    write_properties(wb, marker)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def write_properties(wb: Workbook, marker: dict[str, str]) -> None:
    for key, value in marker.items():
        wb.custom_doc_props.append(StringProperty(name=f"hefei.{key}", value=value))
