"""A table as an Excel workbook, and the workbook as a download: what every 导出 Excel shares.

Each list page exports exactly what it shows (its filters, its order, its columns) through
``table_workbook``: a title row naming the list, a subtitle with the filters and the moment of
the export (``clock.now()``), the Chinese headers, then the rows. Column widths, wrapped text,
the header frozen, landscape A4 with the header rows repeated on every printed page. The sheet is
written in openpyxl's write-only mode, so a long list costs little memory. Exports are made in
the request: a list is what the page already renders; the large documents (bulletins, the annual
workbook) are built by Celery jobs.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.db.models import Model
from django.forms import ModelChoiceField
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from hefei_ai_zone import clock
from units.audit import services as audit
from units.audit.models import AuditKind

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_ROW = 3  # title, subtitle, header
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
FONT = "等线"


@dataclass(frozen=True)
class Column:
    """One column of an export: its Chinese header and width (in characters); ``wrap`` for long
    text."""

    header: str
    width: float = 12
    wrap: bool = False


def cell_value(value: Any) -> Any:
    """What a cell holds: numbers and dates as such (aware datetimes in Asia/Shanghai, without
    the zone, which Excel cannot hold), None as empty, everything else as text."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | date):
        return value
    return str(value)


def subtitle_of(filters: Iterable[tuple[str, str]]) -> str:
    """ "筛选：单位=市科技局；状态=已提交 · 导出于 2023-12-20 10:15" (the filters actually set)."""
    parts = [f"{label}：{value}" for label, value in filters if value not in ("", None)]
    when = timezone.localtime(clock.now()).strftime("%Y-%m-%d %H:%M")
    shown = "；".join(parts) if parts else "全部（未筛选）"
    return f"筛选条件：{shown} · 导出时间：{when}"


def form_filters(form: Any) -> list[tuple[str, str]]:
    """The filters a bound, valid filter form has set, as (label, shown value): a choice by its
    label, a model row by its name."""
    shown: list[tuple[str, str]] = []
    if not form.is_valid():
        return shown
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, "", [], ()):
            continue
        if isinstance(value, Model) or isinstance(field, ModelChoiceField):
            label = str(value)
        else:
            choices = {str(k): v for k, v in getattr(field, "choices", []) or []}
            label = str(choices.get(str(value), value))
        shown.append((str(field.label or name), label))
    return shown


def _styled(ws: Any, value: Any, *, font: Font, align: Alignment, **style: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=cell_value(value))
    cell.font = font
    cell.alignment = align
    for name, attr in style.items():
        setattr(cell, name, attr)
    return cell


def print_setup(ws: Worksheet | Any, header_row: int) -> None:
    """Landscape A4, fit to the page's width, the header rows repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"1:{header_row}"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


def table_workbook(
    *,
    title: str,
    subtitle: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    sheet_title: str = "",
) -> bytes:
    """The rows as one sheet of an .xlsx (write-only mode): the title, the subtitle, the header
    (frozen, repeated when printed), then one row per item, long text wrapped."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=(sheet_title or title)[:31])
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    print_setup(ws, HEADER_ROW)
    plain = Alignment(vertical="top")
    wrapped = Alignment(vertical="top", wrap_text=True)
    body_font = Font(name=FONT, size=10)
    ws.append([_styled(ws, title, font=Font(name=FONT, size=14, bold=True), align=plain)])
    ws.append([_styled(ws, subtitle, font=Font(name=FONT, size=9, color="555555"), align=plain)])
    ws.append(
        [
            _styled(
                ws,
                col.header,
                font=Font(name=FONT, size=10, bold=True),
                align=Alignment(horizontal="center", vertical="center", wrap_text=True),
                fill=HEADER_FILL,
                border=BORDER,
            )
            for col in columns
        ]
    )
    aligns = [wrapped if col.wrap else plain for col in columns]
    for row in rows:
        ws.append(
            [
                _styled(ws, value, font=body_font, align=aligns[i], border=BORDER)
                for i, value in enumerate(row)
            ]
        )
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def export_filename(name: str, *parts: str) -> str:
    """ "审核队列-2021Q3-20231220.xlsx": the list, what it was filtered to, today's date."""
    bits = [name, *(p for p in parts if p), clock.today().strftime("%Y%m%d")]
    safe = "-".join(bits).replace("/", "_").replace("\\", "_")
    return f"{safe}.xlsx"


def xlsx_response(
    filename: str, content: bytes, *, request: HttpRequest | None = None
) -> HttpResponse:
    """The workbook as a download, its Chinese name per RFC 5987 (and an ASCII fallback). Every
    export is recorded in the audit log (who, the file; the current request unless given)."""
    audit.record(AuditKind.EXPORT, request=request, detail=f"导出 {filename}", object_repr=filename)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    ascii_name = filename if filename.isascii() else "export.xlsx"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
