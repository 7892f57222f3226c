"""The annual workbook read back with openpyxl: the Annex 1 and 2 layouts with the plan's values
and merged cells, each quarter's light, status and progress of the counted reports (never a
draft), the reporting record, every 催办 and 督办单, and the print setup of every sheet."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demos.models import DemoProject
from reports.annual.selectors import annual_year
from reports.annual.workbook import workbook_build
from tasks.ledger.selectors import indicator_progress
from tasks.models import Plan, SupervisionOrder, Task, Urge
from tasks.reporting.selectors import duties_for_period
from tests.plan.factories import add_tasks, assignment_of
from tests.plan.plan_document import annex1, annex2
from tests.units.factories import make_user
from units.models import Role, Unit

from .conftest import LATE, ON_TIME, TZ, report, workbook

SHEETS = ["主要任务分工", "示范工程", "目标指标", "报送情况", "催办督办", "督办事项"]
FIRST = 5  # title, subtitle, two header rows


def spans(labels: list[str], first_row: int) -> list[tuple[int, int, str]]:
    """Runs of equal consecutive labels as (first row, last row, label)."""
    out: list[tuple[int, int, str]] = []
    for i, label in enumerate(labels):
        row = first_row + i
        if out and out[-1][2] == label:
            out[-1] = (out[-1][0], row, label)
        else:
            out.append((row, row, label))
    return out


def test_the_task_sheet_is_annex_1_with_its_57_rows_units_notes_and_merged_sections(year2021):
    wb = workbook()
    assert wb.sheetnames == SHEETS
    ws = wb["主要任务分工"]
    assert [c.value for c in ws[3][:4]] == ["主要任务", "主要内容", "责任单位", "备注"]
    rows = list(ws.iter_rows(min_row=FIRST, values_only=True))
    assert len(rows) == 57
    annex = annex1()
    for row, expected in zip(rows, annex, strict=True):
        assert row[1] == expected.content
        assert tuple(row[2].split("、")) == expected.units  # the lead first, in the plan's order
        assert (row[3] or "") == expected.note
    merged = {str(r) for r in ws.merged_cells.ranges if r.min_col == 1 and r.min_row >= FIRST}
    expected_spans = spans([t.section for t in annex], FIRST)
    assert merged == {f"A{a}:A{b}" for a, b, _ in expected_spans if b > a}
    for first, _last, label in expected_spans:
        assert ws.cell(first, 1).value == label  # 四、保障措施（一）加强组织领导 as the Annex
    assert "四、保障措施（一）加强组织领导" in {label for _a, _b, label in expected_spans}


def test_the_demo_sheet_is_annex_2_with_the_fields_merged(year2021):
    ws = workbook()["示范工程"]
    assert [c.value for c in ws[3][:6]] == [
        "序号", "领域", "示范工程名称", "依托单位", "建设周期", "责任单位",
    ]  # fmt: skip
    rows = list(ws.iter_rows(min_row=FIRST, values_only=True))
    annex = annex2()
    assert len(rows) == len(annex) == DemoProject.objects.count()
    for row, demo in zip(rows, annex, strict=True):
        assert row[0] == demo.seq
        assert row[2] == demo.name
        assert row[3] == "、".join(demo.hosts)
        assert row[4] == f"{demo.start_year}-{demo.end_year}年"
        assert tuple(row[5].split("、")) == demo.units
    merged = {str(r) for r in ws.merged_cells.ranges if r.min_col == 2 and r.min_row >= FIRST}
    expected = spans([d.field for d in annex], FIRST)
    assert merged == {f"B{a}:B{b}" for a, b, _ in expected if b > a}
    for first, _last, field in expected:
        assert ws.cell(first, 2).value == field


def quarter(ws, task_row: int, q: int) -> tuple:
    col = 5 + 3 * (q - 1)
    return tuple(ws.cell(FIRST + task_row, col + i).value for i in range(3))


def test_quarter_columns_hold_the_counted_reports_light_status_and_text_never_a_draft(year2021):
    q3 = year2021
    report(q3, assignment_of(1, "市科技局"), status="delayed", percent=40, narrative="算法平台延期")
    report(q3, assignment_of(1, "市发改委"), status="on_track", narrative="配合单位的进展")
    report(q3, assignment_of(2, "市科技局"), state="draft", narrative="草稿里的话")
    report(q3, assignment_of(3, "市科技局"), state="returned", narrative="退回的话")
    report(q3, assignment_of(4, "市科技局"), state="submitted", status="at_risk", percent=70,
           narrative="存在风险的说明")  # fmt: skip
    wb = workbook()
    ws = wb["主要任务分工"]
    assert quarter(ws, 0, 3) == ("红", "滞后（40%）", "算法平台延期")
    assert ws.cell(FIRST, 11).fill.fgColor.rgb.endswith("F8B4B4")
    assert quarter(ws, 1, 3) == ("灰", None, None)  # a draft counts for nobody
    assert quarter(ws, 2, 3) == ("灰", None, None)  # nor does a returned report
    assert quarter(ws, 3, 3) == ("黄", "存在风险（70%）", "存在风险的说明")
    assert quarter(ws, 0, 2) == ("灰", None, None)  # 2021Q2: nothing reported
    texts = {v for sheet in wb for row in sheet.iter_rows(values_only=True) for v in row}
    assert "草稿里的话" not in texts and "退回的话" not in texts
    assert "配合单位的进展" not in texts  # the lead's report is the task's


def test_reporting_record_counts_on_time_late_and_missing_per_quarter(year2021):
    q3 = year2021
    fgw = Unit.objects.get(name="市发改委")
    duties = [d for d in duties_for_period(q3) if d.unit == fgw]
    assert len(duties) >= 4
    report(q3, duties[0].assignment, fgw, at=ON_TIME)
    report(q3, duties[1].assignment, fgw, at=datetime(2021, 10, 13, 23, 30, tzinfo=TZ))  # due day
    report(q3, duties[2].assignment, fgw, at=LATE)
    report(q3, duties[3].assignment, fgw, state="returned", at=ON_TIME)  # not submitted now
    ws = workbook()["报送情况"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=FIRST, values_only=True)}
    row = rows["市发改委"]
    n = len(duties)
    assert row[2] == n
    assert row[3:6] == (0, 0, n)  # Q1: nothing
    assert row[9:12] == (2, 1, n - 3)  # Q3: on time (the due day included), late, missing
    assert row[15:18] == (2, 1, 4 * n - 3)  # the year
    assert row[18] == f"{2 / (4 * n):.0%}"
    assert set(rows) == {d.unit.name for d in duties_for_period(q3)}  # every unit with duties


def test_supervision_sheet_lists_every_urge_and_order_of_the_year(year2021):
    office = make_user("office", Role.OFFICE)
    sfj = Unit.objects.get(name="市司法局")
    urge = Urge.objects.create(
        period=year2021, unit=sfj, message="请尽快报送第三季度进展。", sent_by=office,
        sent_at=datetime(2021, 10, 18, 9, tzinfo=TZ),
    )  # fmt: skip
    urge.assignments.set([assignment_of(6, "市司法局")])
    Urge.objects.create(  # sent in 2022: another year's
        period=year2021, unit=sfj, message="旧账", sent_by=office,
        sent_at=datetime(2022, 1, 4, 9, tzinfo=TZ),
    )  # fmt: skip
    task = Task.objects.get(plan__code="hefei-ai-2020-2023", seq=6)
    SupervisionOrder.objects.create(
        year=2021, seq=3, task=task, unit=sfj, facts="第三季度逾期未报送，请说明原因。",
        reply_workdays=5, due_date=date(2021, 10, 27), state="closed", issued_by=office,
        issued_at=datetime(2021, 10, 20, 10, tzinfo=TZ),
        answered_at=datetime(2021, 10, 25, 10, tzinfo=TZ),
        closed_at=datetime(2021, 10, 26, 10, tzinfo=TZ),
    )  # fmt: skip
    ws = workbook()["催办督办"]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert rows == [
        (1, "催办", "2021-10-18", "市司法局", "2021年第三季度（未报送 1 项）",
         "请尽快报送第三季度进展。", None, "已催办", "2021-10-13", None, None),
        (2, "督办单", "2021-10-20", "市司法局", f"{task.code} {task.content[:40]}",
         "第三季度逾期未报送，请说明原因。", "督办〔2021〕3号", "已办结", "2021-10-27",
         "2021-10-25", "2021-10-26"),
    ]  # fmt: skip


def test_indicator_sheet_has_each_target_and_actual_up_to_the_year(year2021):
    ws = workbook()["目标指标"]
    assert [ws.cell(3, c).value for c in (5, 8)] == ["2020年", "2021年"]
    assert ws.cell(3, 11).value is None  # no columns after the year
    rows = list(ws.iter_rows(min_row=FIRST, values_only=True))
    progress = indicator_progress(Plan.objects.get(code="hefei-ai-2020-2023"))
    assert [r[1] for r in rows] == [p.indicator.name for p in progress]
    for row, p in zip(rows, progress, strict=True):
        y2021 = next(y for y in p.years if y.year == 2021)
        assert row[8] == y2021.actual
        assert row[9] == ("—" if y2021.met is None else ("达标" if y2021.met else "未达标"))


def test_every_sheet_prints_landscape_a4_fitted_with_repeated_headers_and_named_fonts(year2021):
    wb = workbook()
    for ws in wb:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        header_rows = 1 if ws.title in ("催办督办", "督办事项") else 2
        assert ws.print_title_rows == f"$3:${2 + header_rows}"
        assert ws.freeze_panes == f"A{3 + header_rows}"
        assert ws.cell(1, 1).value.startswith("合肥国家新一代人工智能创新发展试验区")
        assert ws.cell(3, 1).font.name == "黑体"
        assert all(ws.column_dimensions[c].width for c in "ABC")
    body = wb["主要任务分工"].cell(FIRST, 2)
    assert body.font.name == "仿宋" and body.alignment.wrap_text


def test_an_unknown_or_future_year_is_refused_in_chinese(year2021):
    from hefei_ai_zone.errors import ApplicationError
    from reports.annual.selectors import parse_year

    for value, words in [
        ("2019", "不在当前实施方案"),
        ("abcd", "四位数字"),
        ("２０２１", "四位数字"),
    ]:
        with pytest.raises(ApplicationError, match=words):
            parse_year(value)
    assert parse_year(" 2021 ") == 2021


def test_the_workbook_reads_in_a_fixed_number_of_queries_whatever_the_size(year2021):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            workbook_build(annual_year(2021))
        return len(ctx.captured_queries)

    report(year2021, assignment_of(1, "市科技局"))
    small = count()
    for task in add_tasks(40):
        for assignment in task.assignments.all():
            report(year2021, assignment)
    assert count() == small
