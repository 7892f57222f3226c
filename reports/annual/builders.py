"""The ``annual`` kind of document (reports.documents.registry): the workbook (xlsx) and the
annual report (pdf, docx) of a year of the current plan. Imported by reports.apps."""

from collections.abc import Mapping
from typing import Any

from hefei_ai_zone.errors import ApplicationError
from reports.documents.registry import CONTENT_TYPES, Builder, BuiltFile, Progress, register
from units.models import User

from . import report, selectors, workbook
from .permissions import can_export_annual

KIND = "annual"
FORMATS = ("xlsx", "pdf", "docx")


def parse_params(params: Mapping[str, str]) -> dict[str, Any]:
    return {"year": selectors.parse_year(params.get("year"))}


def may(user: User, _params: dict[str, Any]) -> bool:
    return can_export_annual(user)


def filename(year: int, fmt: str) -> str:
    if fmt == "xlsx":
        return f"{year}年度督查督办工作台账.xlsx"
    return f"关于{year}年度试验区建设任务推进情况的报告.{fmt}"


def build(params: dict[str, Any], fmt: str, progress: Progress) -> BuiltFile:
    if fmt not in FORMATS:
        raise ApplicationError("格式只能是 xlsx、pdf 或 docx。")
    year = selectors.annual_year(selectors.parse_year(params.get("year")))
    if fmt == "xlsx":
        content = workbook.workbook_build(year, progress)
    else:
        progress(10, "汇总四个季度的数据")
        data = report.annual_content(year)
        progress(50, "排版 PDF" if fmt == "pdf" else "生成 Word 文件")
        content = report.pdf(data) if fmt == "pdf" else report.docx(data)
    progress(100, "完成")
    return BuiltFile(filename(year.year, fmt), content, CONTENT_TYPES[fmt])


def describe(params: dict[str, Any]) -> str:
    return f"{params.get('year', '')}年度推进情况报告与工作台账"


BUILDER = Builder(
    kind=KIND,
    label="年度报告与台账",
    formats=FORMATS,
    parse_params=parse_params,
    may_request=may,
    may_read=may,
    build=build,
    describe=describe,
)
register(BUILDER)
