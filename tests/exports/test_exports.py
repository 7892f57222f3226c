"""导出 Excel on every list: the workbook holds exactly what the page shows (its filters, its
order, what the reader may see), with a title naming the list, the filters and the date, read
back with openpyxl; a login is needed and the page's own refusals hold; the exports of long
lists take the same number of queries at any size."""

import re
from datetime import date
from io import BytesIO
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook  # type: ignore[import-untyped]

from tasks.ledger.services import entry_create, entry_verify
from tasks.milestones import services as milestone_svc
from tasks.models import AchievementEntry, Milestone, Plan, ProgressReport, Task
from tasks.reporting import services as svc
from tests.milestones.test_lists import URGENT_FIRST
from tests.plan.factories import add_tasks, assignment_of
from units.models import Unit, User

pytestmark = pytest.mark.django_db

FULL = {"status": "on_track", "percent": 40, "narrative": "已完成模型框架设计。"}


def login(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


class Sheet:
    """An exported workbook read back: its title, subtitle, headers and rows."""

    def __init__(self, response: Any) -> None:
        assert response.status_code == 200, response.content[:300]
        assert response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        self.disposition = response["Content-Disposition"]
        wb = load_workbook(BytesIO(response.content))
        self.ws = wb.active
        values = [list(r) for r in self.ws.iter_rows(values_only=True)]
        self.title, self.subtitle = values[0][0], values[1][0]
        self.headers = values[2]
        self.rows = values[3:]

    def column(self, header: str) -> list[Any]:
        i = self.headers.index(header)
        return [row[i] for row in self.rows]


def export(client: Client, path: str, **params: str) -> Sheet:
    return Sheet(client.get(path, {**params, "format": "xlsx"}))


def page(client: Client, path: str, **params: str) -> str:
    response = client.get(path, params)
    assert response.status_code == 200
    return response.content.decode()


def count_queries(client: Client, path: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def report_for(people, period, who: str, unit: str, seq: int, submit: bool = True):
    report = svc.report_start(
        actor=people[who], assignment=assignment_of(seq, unit), period=period, **FULL
    )
    return svc.report_submit(actor=people[who], report=report) if submit else report


@pytest.fixture
def queue(people, period) -> list[ProgressReport]:
    """Reports waiting for the office: 市司法局 (no approver: submitted goes straight to it) and
    市科技局's approved ones."""
    reports = [report_for(people, period, "sfj_reporter", "市司法局", 6)]
    for seq in (1, 2, 3):
        r = report_for(people, period, "kjj_reporter", "市科技局", seq)
        reports.append(svc.report_approve(actor=people["kjj_approver"], report=r))
    report_for(people, period, "fgw_reporter", "市发改委", 1)  # waits for 市发改委's approver
    return reports


def task_code(report: ProgressReport) -> str:
    task = report.assignment.task
    assert task is not None
    return task.code


def assert_layout(sheet: Sheet, title: str) -> None:
    """The export's title, the filters and the date, a frozen header repeated when printed."""
    assert title in sheet.title
    assert "筛选条件" in sheet.subtitle and "导出时间" in sheet.subtitle
    assert sheet.ws.freeze_panes == "A4"
    assert sheet.ws.print_title_rows == "$1:$3"
    assert sheet.ws.page_setup.orientation == "landscape"
    assert sheet.ws.page_setup.paperSize == 9


# --- the office's review queue -------------------------------------------------------------


def test_the_review_queue_export_holds_the_pages_rows_in_its_order(people, queue) -> None:
    client = login(people["office"])
    html = page(client, "/review/")
    shown = [int(pk) for pk in re.findall(r'id="review-(\d+)"', html)]
    by_pk = {r.pk: r for r in ProgressReport.objects.select_related("unit", "assignment__task")}
    sheet = export(client, "/review/")
    assert_layout(sheet, "待办公室审核的报告")
    assert len(sheet.rows) == len(shown) == 4
    assert list(zip(sheet.column("填报单位"), sheet.column("任务编号"), strict=True)) == [
        (by_pk[pk].unit.name, task_code(by_pk[pk])) for pk in shown
    ]
    assert "市发改委" not in sheet.column("填报单位")  # still with its approver
    assert sheet.column("进展情况")[0] == FULL["narrative"]
    assert sheet.column("完成进度(%)")[0] == 40
    assert quote("审核队列") in sheet.disposition and "filename*=UTF-8''" in sheet.disposition


def test_the_review_queue_export_applies_the_pages_filters(people, queue, period) -> None:
    client = login(people["office"])
    sfj = Unit.objects.get(name="市司法局")
    params = {"unit": str(sfj.pk), "period": period.code}
    shown = re.findall(r'id="review-(\d+)"', page(client, "/review/", **params))
    sheet = export(client, "/review/", **params)
    assert len(sheet.rows) == len(shown) == 1
    assert set(sheet.column("填报单位")) == {"市司法局"}
    assert "填报单位：市司法局" in sheet.subtitle and "报送周期：" in sheet.subtitle
    assert quote(f"审核队列-{period.code}-") in sheet.disposition


def test_the_review_queue_export_is_the_offices(people, queue) -> None:
    anonymous = Client().get("/review/", {"format": "xlsx"})
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for who in ("kjj_reporter", "kjj_approver", "leader"):
        response = login(people[who]).get("/review/", {"format": "xlsx"})
        assert response.status_code == 403
        assert "spreadsheetml" not in response["Content-Type"]


def test_the_review_queue_export_takes_the_same_queries_at_any_size(people, period, queue) -> None:
    client = login(people["office"])
    small = count_queries(client, "/review/", {"format": "xlsx"})
    sfj_reporter = people["sfj_reporter"]
    sfj = Unit.objects.get(name="市司法局")
    for task in add_tasks(20):
        assignment = task.assignments.create(unit=sfj, role="co", order=9)
        report = svc.report_start(actor=sfj_reporter, assignment=assignment, period=period, **FULL)
        svc.report_submit(actor=sfj_reporter, report=report)
    assert len(export(client, "/review/").rows) == 24
    assert count_queries(client, "/review/", {"format": "xlsx"}) == small


# --- the period page -----------------------------------------------------------------------


def test_the_period_export_lists_each_units_duties_in_the_pages_order(people, queue) -> None:
    client = login(people["office"])
    html = page(client, "/periods/2021Q3/")
    unit_order = [int(pk) for pk in re.findall(r'id="unit-(\d+)"', html)]
    names = dict(Unit.objects.values_list("pk", "name"))
    sheet = export(client, "/periods/2021Q3/")
    assert_layout(sheet, "2021年第三季度报送情况")
    listed = list(dict.fromkeys(sheet.column("责任单位")))
    assert listed == [names[pk] for pk in unit_order]
    duties = len(re.findall(r'class="record-duty"', html))
    assert len(sheet.rows) == duties
    sfj_rows = [r for r in sheet.rows if r[0] == "市司法局"]
    assert {r[sheet.headers.index("任务编号")] for r in sfj_rows} >= {Task.objects.get(seq=6).code}
    assert quote("报送情况-2021Q3") in sheet.disposition


def test_the_leader_sees_no_draft_in_the_period_export_as_on_the_page(people, period) -> None:
    report_for(people, period, "kjj_reporter", "市科技局", 1, submit=False)  # a draft
    office = export(login(people["office"]), "/periods/2021Q3/")
    leader = export(login(people["leader"]), "/periods/2021Q3/")

    def state_of(sheet: Sheet) -> str:
        code = Task.objects.get(seq=1).code
        (row,) = [
            r
            for r in sheet.rows
            if r[0] == "市科技局" and r[sheet.headers.index("任务编号")] == code
        ]
        return row[sheet.headers.index("报送状态")]

    assert state_of(office) == "草稿"
    assert state_of(leader) == "未提交"


def test_the_period_export_is_for_the_office_and_the_leader(people, period) -> None:
    assert Client().get("/periods/2021Q3/?format=xlsx").status_code == 302
    for who in ("kjj_reporter", "kjj_approver"):
        assert login(people[who]).get("/periods/2021Q3/?format=xlsx").status_code == 403


# --- the scorecard -------------------------------------------------------------------------


def test_the_scorecard_export_is_the_scorecards_table_ranked(people, queue, period) -> None:
    from reports import dashboards

    client = login(people["office"])
    sheet = export(client, "/dashboard/", period=period.code)
    assert_layout(sheet, "单位记分卡")
    data = dashboards.dashboard_data(
        user=people["office"], period=period, periods=dashboards.dashboard_periods()
    )
    ranked = sorted(data["scorecard"], key=lambda r: (r["rank"], r["unit"]))
    assert sheet.column("单位") == [r["unit"] for r in ranked]
    assert sheet.column("排名") == [r["rank_label"] for r in ranked]
    assert sheet.column("综合得分") == [r["score"] for r in ranked]
    assert "报送周期：2021Q3" in sheet.subtitle
    assert 'data-export="xlsx"' in page(client, "/dashboard/", period=period.code)


def test_a_unit_gets_its_own_dashboard_not_the_scorecard(people, period) -> None:
    response = login(people["kjj_reporter"]).get("/dashboard/", {"format": "xlsx"})
    assert response.status_code == 302 and "/dashboard/units/" in response["Location"]
    assert Client().get("/dashboard/?format=xlsx").status_code == 302


# --- milestones ----------------------------------------------------------------------------


def test_the_milestone_export_is_most_urgent_first_like_the_list(people, milestones) -> None:
    client = login(people["office"])
    sheet = export(client, "/milestones/")
    assert_layout(sheet, "年度工作安排节点")
    assert sheet.column("节点") == URGENT_FIRST
    assert sheet.column("逾期天数")[:2] == [183, 92]
    pending = export(client, "/milestones/", state="pending")
    assert pending.column("节点") == URGENT_FIRST[:5]
    assert "状态：未完成" in pending.subtitle


def test_a_units_milestone_export_has_only_its_own(people, milestones) -> None:
    milestone_svc.milestone_create(
        actor=people["office"],
        assignment=assignment_of(1, "市发改委"),
        title="发改委的节点",
        due_date=date(2021, 12, 31),
    )
    client = login(people["kjj_reporter"])
    sheet = export(client, "/milestones/")
    assert "发改委的节点" not in sheet.column("节点")
    assert set(sheet.column("责任单位")) == {"市科技局"}
    assert sorted(sheet.column("节点")) == sorted(URGENT_FIRST)
    assert export(client, "/milestones/", year="2022").column("节点") == ["D 明年到期"]
    assert Client().get("/milestones/?format=xlsx").status_code == 302
    assert Milestone.objects.count() == 8


# --- the ledger ----------------------------------------------------------------------------


def ledger_entry(actor: User, title: str, when: date) -> AchievementEntry:
    return entry_create(
        actor=actor,
        plan=Plan.objects.get(code="hefei-ai-2020-2023"),
        kind="innovation_platform",
        title=title,
        date=when,
    )


def test_the_ledger_export_is_what_the_reader_may_see_in_the_lists_order(people) -> None:
    ledger_entry(people["kjj_reporter"], "科技局平台甲", date(2021, 3, 1))
    ledger_entry(people["kjj_reporter"], "科技局平台乙", date(2021, 5, 1))
    other = ledger_entry(people["fgw_reporter"], "发改委平台（待核实）", date(2021, 4, 1))
    entry_verify(
        actor=people["office"],
        entry=ledger_entry(people["fgw_reporter"], "发改委平台（已核实）", date(2021, 6, 1)),
    )
    client = login(people["kjj_reporter"])
    html = page(client, "/ledger/")
    shown = [int(pk) for pk in re.findall(r'href="/ledger/(\d+)/"', html)]
    titles = dict(AchievementEntry.objects.values_list("pk", "title"))
    sheet = export(client, "/ledger/")
    assert_layout(sheet, "成果台账")
    assert sheet.column("成果名称") == [titles[pk] for pk in dict.fromkeys(shown)]
    assert other.title not in sheet.column("成果名称")  # another unit's unverified entry
    office = export(login(people["office"]), "/ledger/", q="发改委")
    assert sorted(office.column("成果名称")) == ["发改委平台（已核实）", "发改委平台（待核实）"]
    assert Client().get("/ledger/?format=xlsx").status_code == 302


# --- the task list -------------------------------------------------------------------------


def test_the_task_export_is_the_plan_browser_filtered(people) -> None:
    client = login(people["kjj_reporter"])
    kjj = Unit.objects.get(name="市科技局")
    html = page(client, "/plan/", unit=str(kjj.pk))
    seqs = [int(s) for s in re.findall(r'id="task-(\d+)"', html)]
    codes = dict(Task.objects.values_list("seq", "code"))
    sheet = export(client, "/plan/", unit=str(kjj.pk))
    assert_layout(sheet, "主要任务分工")
    assert sheet.column("编号") == [codes[s] for s in seqs]
    assert len(sheet.rows) == len(seqs) < 57
    assert "单位：市科技局" in sheet.subtitle
    everything = export(client, "/plan/")
    assert len(everything.rows) == 57
    first = Task.objects.get(seq=1)
    assert everything.rows[0][everything.headers.index("主要内容")] == first.content
    assert Client().get("/plan/?format=xlsx").status_code == 302


def test_the_task_export_takes_the_same_queries_at_any_size(people) -> None:
    client = login(people["kjj_reporter"])
    small = count_queries(client, "/plan/", {"format": "xlsx"})
    add_tasks(25)
    assert len(export(client, "/plan/").rows) == 57 + 25
    assert count_queries(client, "/plan/", {"format": "xlsx"}) == small
