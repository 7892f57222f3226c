"""The annual export's 督办事项 (reports.annual.directives): the workbook's sheet 督办事项 holds
every item of the year (issued in it, or open at its start) with its source and particulars,
units, dates, 是否按期, extensions, state and light at the year's end, read back with openpyxl;
the annual report's 七、督办事项办理情况 in the PDF and the Word file; the sheet's queries do not
grow with the items."""

import io
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from reports.annual import report
from reports.annual.directives import SOURCE_HEADERS
from reports.annual.selectors import annual_year
from reports.annual.workbook import workbook_build
from tasks.models import Directive, DirectiveExtension, DirectiveSource
from tests.dashboards.directive_items import at, item, unit

from .conftest import workbook
from .test_report import pdf_text

AFTER_2021 = "2022-01-10 10:00 +0800"


@pytest.fixture
def items(year2021, people):
    office = people["office"]
    overdue = item(
        office, "算力券兑付办法", source=DirectiveSource.INSTRUCTION, co=["市发改委"],
        issued_on="2021-08-02 10:00 +0800", due=date(2021, 9, 10), state="in_progress",
        status="on_track",
    )  # fmt: skip
    Directive.objects.filter(pk=overdue.pk).update(
        source_leader="市长", source_date=date(2021, 7, 30), source_document="关于算力券的请示"
    )
    extended = item(
        office, "人才公寓分配方案", lead="市发改委", issued_on="2021-03-01 10:00 +0800",
        due=date(2021, 4, 15), state="closed", status="completed", closed_at=at(2021, 4, 28),
    )  # fmt: skip
    DirectiveExtension.objects.create(
        directive=extended, unit=unit("市发改委"), from_date=date(2021, 4, 15),
        to_date=date(2021, 4, 30), reason="等待批复", state="approved", decided_at=at(2021, 4, 10),
    )  # fmt: skip
    Directive.objects.filter(pk=extended.pk).update(due_date=date(2021, 4, 30))
    late = item(
        office, "省里交办的数据要素试点", source=DirectiveSource.HIGHER,
        issued_on="2020-11-02 10:00 +0800", due=date(2021, 1, 29), state="archived",
        closed_at=at(2021, 2, 10),
    )  # fmt: skip
    item(
        office, "前年办结", issued_on="2020-03-02 10:00 +0800", due=date(2020, 6, 30),
        state="closed", closed_at=at(2020, 6, 1),
    )  # fmt: skip
    item(office, "明年交办", issued_on="2022-01-05 10:00 +0800")
    return {"overdue": overdue, "extended": extended, "late": late}


@time_machine.travel(AFTER_2021, tick=False)
def test_the_sheet_lists_every_item_of_the_year(items) -> None:
    ws = workbook()["督办事项"]
    assert ws.cell(1, 1).value == "合肥国家新一代人工智能创新发展试验区2021年度督办事项办理情况"
    assert [c.value for c in ws[3]][:6] == [
        "序号",
        "编号",
        "来源",
        "来源详情",
        "事项名称",
        "牵头单位",
    ]
    rows = {r[1]: r for r in ws.iter_rows(min_row=4, values_only=True)}
    assert set(rows) == {items[k].number for k in ("overdue", "extended", "late")}
    overdue = rows[items["overdue"].number]
    assert overdue[2:7] == (
        "领导批示", "市长，2021-07-30，批于《关于算力券的请示》", "算力券兑付办法", "市科技局",
        "市发改委",
    )  # fmt: skip
    assert overdue[7:] == (
        "2021-08-02", "2021-09-10", "2021-09-10", None, "逾期未办结", 0, "办理中", "红",
    )  # fmt: skip
    extended = rows[items["extended"].number]
    assert extended[7:] == (
        "2021-03-01", "2021-04-15", "2021-04-30", "2021-04-28", "是", 1, "已办结", "绿",
    )  # fmt: skip
    late = rows[items["late"].number]
    assert late[2] == "上级交办" and late[3].startswith("省科技厅，皖科〔2023〕8号")
    assert late[10:14] == ("2021-02-10", "否", 0, "已销号")
    red_row = next(r for r in range(4, 7) if ws.cell(r, 2).value == items["overdue"].number)
    assert ws.cell(red_row, 15).fill.fgColor.rgb.endswith("F8B4B4")  # coloured as elsewhere


@time_machine.travel(AFTER_2021, tick=False)
def test_the_report_states_the_items_in_pdf_and_word(items, tmp_path) -> None:
    content = report.annual_content(annual_year(2021))
    text, _fonts = pdf_text(report.pdf(content), tmp_path)
    flat = "".join(text.split())
    assert "七、督办事项办理情况" in flat
    assert (
        "2021年度督办事项共3项（领导批示1项、会议议定事项1项、上级交办1项），其中本年交办2项；"
        "本年办结2项，其中按期办结1项；批准延期1次；截至2021年12月31日，在办1项，其中逾期未办结1项。"
    ) in flat
    assert items["overdue"].number in flat and "算力券兑付办法" in flat

    doc = Document(io.BytesIO(report.docx(content)))
    assert "七、督办事项办理情况" in [p.text for p in doc.paragraphs]
    headers = [tuple(c.text for c in t.rows[0].cells) for t in doc.tables]
    by_source = doc.tables[headers.index(SOURCE_HEADERS)]
    assert [c.text for c in by_source.rows[-1].cells] == ["合计", "3", "2", "2", "1", "1", "1", "1"]
    overdue = doc.tables[headers.index(report.OVERDUE_HEADERS)]
    assert [c.text for c in overdue.rows[1].cells] == [
        items["overdue"].number, "算力券兑付办法", "市科技局", "2021-09-10", "112",
    ]  # fmt: skip


@time_machine.travel(AFTER_2021, tick=False)
def test_the_sheet_takes_the_same_queries_for_3_and_30_items(year2021, people) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            workbook_build(annual_year(2021))
        return len(ctx.captured_queries)

    def add(n: int, start: int) -> None:
        for k in range(start, start + n):
            item(
                people["office"], f"事项{k}", co=["市发改委"], issued_on="2021-08-02 10:00 +0800",
                due=date(2021, 9, 1 + k % 20),
            )  # fmt: skip

    add(3, 0)
    small = count()
    add(27, 3)
    assert count() == small
    assert workbook()["督办事项"].max_row == 3 + 30
