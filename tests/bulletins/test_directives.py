"""The bulletin's 督办事项办理情况 (reports.bulletins.directives): the quarter's items by source —
issued, closed, closed on time, open and overdue at the quarter's end, extensions approved —
the overdue ones named with their lead units, in the PDF (pdftotext) and the .docx; two queries
whatever the number of items."""

import io
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx import Document

from reports.bulletins.builder import BULLETIN
from reports.bulletins.selectors import bulletin_content
from tasks.models import DirectiveExtension, DirectiveSource, ReportingPeriod
from tests.bulletins.tools import run
from tests.dashboards.directive_items import at, item, unit
from units.models import User

pytestmark = pytest.mark.django_db

INSTRUCTION, MEETING, HIGHER = (
    DirectiveSource.INSTRUCTION,
    DirectiveSource.MEETING,
    DirectiveSource.HIGHER,
)
AFTER_Q3 = "2021-10-20 10:00 +0800"  # 2021Q3 (07-01..09-30) is over: as of 09-30
IN_Q3 = "2021-08-02 10:00 +0800"


@pytest.fixture
def items(accounts: dict[str, User]):
    office = accounts["office"]
    extended = item(
        office, "人才公寓分配方案", lead="市发改委", issued_on=IN_Q3, due=date(2021, 9, 1),
        state="in_progress", status="on_track",
    )  # fmt: skip
    DirectiveExtension.objects.create(
        directive=extended, unit=unit("市发改委"), from_date=date(2021, 9, 1),
        to_date=date(2021, 9, 20), reason="需等待省里批复", state="approved",
        decided_at=at(2021, 8, 25),
    )  # fmt: skip
    extended.due_date = date(2021, 9, 20)
    extended.save(update_fields=["due_date"])
    return {
        "overdue": item(
            office, "算力券兑付办法", source=INSTRUCTION, issued_on=IN_Q3, due=date(2021, 9, 10),
            state="in_progress", status="on_track",
        ),
        "extended": extended,
        "on_time": item(
            office, "首台套目录", issued_on=IN_Q3, due=date(2021, 9, 15), state="closed",
            closed_at=at(2021, 9, 10),
        ),
        "late_from_q2": item(
            office, "算法备案培训", source=HIGHER, issued_on="2021-06-01 10:00 +0800",
            due=date(2021, 8, 1), state="archived", closed_at=at(2021, 8, 20),
        ),
        "open": item(
            office, "数据要素试点", source=HIGHER, issued_on=IN_Q3, due=date(2021, 12, 31)
        ),
        "after": item(office, "下季度的事项", issued_on="2021-10-08 10:00 +0800"),
        "closed_in_q2": item(
            office, "上季度办结", issued_on="2021-05-06 10:00 +0800", due=date(2021, 6, 30),
            state="closed", closed_at=at(2021, 6, 20),
        ),
    }  # fmt: skip


@time_machine.travel(AFTER_Q3, tick=False)
def test_the_quarters_items_are_counted_by_source(period: ReportingPeriod, items) -> None:
    part = bulletin_content(period)["directives"]
    assert part["as_of"] == "2021-09-30"
    counts = ("issued", "closed", "closed_on_time", "open", "overdue", "extended")
    by_source = {r["source"]: tuple(dict(r)[k] for k in counts) for r in part["rows"]}
    assert by_source == {
        INSTRUCTION: (1, 0, 0, 1, 1, 0),
        MEETING: (2, 1, 1, 1, 1, 1),
        HIGHER: (1, 1, 0, 1, 0, 0),
    }
    assert tuple(dict(part["total"])[k] for k in counts) == (4, 2, 1, 3, 2, 1)
    overdue = [(o["number"], o["lead"], o["overdue_days"]) for o in part["overdue"]]
    assert overdue == [
        (items["overdue"].number, "市科技局", 20),
        (items["extended"].number, "市发改委", 10),
    ]
    assert part["overdue"][1]["original_due_date"] == "2021-09-01"
    assert part["overdue_more"] == 0


def build(period: ReportingPeriod, fmt: str) -> bytes:
    built = BULLETIN.build(BULLETIN.parse_params({"period": period.code}), fmt, lambda p, s: None)
    return built.content


@time_machine.travel(AFTER_Q3, tick=False)
def test_the_pdf_and_the_docx_hold_the_section(period, items, tmp_path: Path) -> None:
    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(build(period, "pdf"))
    text = "".join(run("pdftotext", "-layout", str(pdf), "-").split())
    assert "八、督办事项办理情况" in text and "九、工作要求" in text
    assert "本季度交办督办事项4项，办结2项，其中按期办结1项" in text
    assert "在办3项，其中逾期未办结2项" in text and "本季度批准延期1项" in text
    assert items["overdue"].number in text and "牵头单位：市科技局" in text
    assert "牵头单位：市发改委" in text and "原定2021年9月1日" in text
    assert "已逾期20天" in text

    doc = Document(io.BytesIO(build(period, "docx")))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "八、督办事项办理情况" in paragraphs and "九、工作要求" in paragraphs
    heads = [p for p in paragraphs if items["extended"].number in p]
    assert heads and "牵头单位：市发改委" in heads[0]
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "来源")
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == [
        "来源",
        "本季度交办",
        "本季度办结",
        "其中按期",
        "季末在办",
        "季末逾期",
        "批准延期",
    ]
    assert rows[-1] == ["合计", "4", "2", "1", "3", "2", "1"]
    assert rows[2][0] == "会议议定事项" and rows[2][1:] == ["2", "1", "1", "1", "1", "1"]


def count_queries(period: ReportingPeriod) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        bulletin_content(period)
    return len(queries)


@time_machine.travel(AFTER_Q3, tick=False)
def test_the_section_takes_two_queries_whatever_the_number_of_items(period, accounts) -> None:
    def add(n: int, start: int) -> None:
        for k in range(start, start + n):
            item(
                accounts["office"], f"事项{k}", issued_on=IN_Q3, due=date(2021, 9, 1 + k % 20),
                state="in_progress" if k % 3 else "closed",
                closed_at=None if k % 3 else at(2021, 9, 25),
            )  # fmt: skip

    add(3, 0)
    small = count_queries(period)
    add(27, 3)
    large = count_queries(period)
    assert small == large
    part = bulletin_content(period)["directives"]
    assert part["total"]["issued"] == 30
    assert part["total"]["overdue"] == len(part["overdue"]) + part["overdue_more"]
