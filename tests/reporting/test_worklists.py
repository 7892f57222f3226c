"""What waits for whom: 待我审核 for a unit's approver (and where they land), the counts in the
navigation bar, and 我的任务's filters and its order (what needs action first)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tasks.models import ProgressReport, ReportState
from tasks.reporting import services as svc
from tasks.reporting.worklists import WorkCounts
from tests.plan.factories import add_tasks, assignment_of
from tests.units.factories import make_user
from units.models import Role, Unit

pytestmark = pytest.mark.django_db

FULL = {"status": "on_track", "percent": 40, "narrative": "完成模型框架设计。"}


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def draft(people, period, seq, who="kjj_reporter", unit="市科技局", **content):
    return svc.report_start(
        actor=people[who], assignment=assignment_of(seq, unit), period=period, **(FULL | content)
    )


def submitted(people, period, seq, who="kjj_reporter", unit="市科技局", **content):
    report = draft(people, period, seq, who, unit, **content)
    return svc.report_submit(actor=people[who], report=report)


def count_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


# --- 待我审核 ---------------------------------------------------------------------------------


def test_the_approver_sees_the_units_submitted_reports_oldest_first(people, period) -> None:
    newer = submitted(people, period, 1)
    older = submitted(people, period, 2)
    ProgressReport.objects.filter(pk=older.pk).update(
        submitted_at=timezone.now().replace(year=2021)
    )
    draft(people, period, 3)  # not submitted
    approved = submitted(people, period, 4)
    svc.report_approve(actor=people["kjj_approver"], report=approved)  # already done
    submitted(people, period, 1, who="fgw_reporter", unit="市发改委")  # another unit's
    html = login(people["kjj_approver"]).get("/approvals/").content.decode()
    assert re.findall(r'id="approval-(\d+)"', html) == [str(older.pk), str(newer.pk)]
    assert "共 2 份，提交最早的在前" in html
    # each submitted report shows the light its status gives (the one rule: 按计划推进 is green)
    assert html.count('class="light light-green"') == 2


def test_the_approver_approves_and_returns_in_place(people, period) -> None:
    one, two = submitted(people, period, 1), submitted(people, period, 2)
    client = login(people["kjj_approver"])
    response = client.post("/approvals/", {"report": one.pk, "action": "return", "comment": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="error-{one.pk}" role="alert">退回时必须填写意见' in html
    response = client.post("/approvals/", {"report": one.pk, "action": "approve"}, follow=True)
    assert "已单位审核通过：市科技局 · 2021Q3 · 任务 3.1.1。" in response.content.decode()
    client.post("/approvals/", {"report": two.pk, "action": "return", "comment": "请补充。"})
    states = dict(ProgressReport.objects.values_list("pk", "state"))
    assert (states[one.pk], states[two.pk]) == (ReportState.APPROVED, ReportState.RETURNED)
    # approved meanwhile by someone else: said plainly, nothing done twice
    response = client.post("/approvals/", {"report": one.pk, "action": "approve"}, follow=True)
    assert "已不在待审核之列（当前为“待办公室审核”）" in response.content.decode()
    assert ProgressReport.objects.get(pk=one.pk).transitions.filter(action="approve").count() == 1


@pytest.mark.parametrize("who", ["kjj_reporter", "office", "leader"])
def test_only_approvers_have_the_queue(people, period, who) -> None:
    response = login(people[who]).get("/approvals/")
    assert response.status_code == 403 and "审核人" in response.content.decode()


def test_an_approver_with_reports_waiting_lands_on_the_queue(people, period) -> None:
    approver = login(people["kjj_approver"])
    assert approver.get("/")["Location"] == "/my/"
    submitted(people, period, 1)
    assert approver.get("/")["Location"] == "/approvals/"
    assert login(people["kjj_reporter"]).get("/")["Location"] == "/my/"


def test_the_navigation_bar_counts_what_waits(people, period) -> None:
    submitted(people, period, 1)
    submitted(people, period, 2)
    submitted(people, period, 6, who="sfj_reporter", unit="市司法局")  # no approver: the office
    approver = login(people["kjj_approver"]).get("/my/").content.decode()
    assert re.search(r'href="/approvals/">待我审核<span class="[^"]*nav-count">2<', approver)
    office = login(people["office"]).get("/dashboard/").content.decode()
    assert re.search(r'href="/review/">审核<span class="[^"]*nav-count">1<', office)
    reporter = login(people["kjj_reporter"]).get("/my/").content.decode()
    assert 'href="/approvals/"' not in reporter and 'data-count="to-fill"' in reporter


def test_each_count_is_one_query_whatever_the_size(people, period) -> None:
    def queries(user, name: str) -> tuple[int, int]:
        counts = WorkCounts(user)
        with CaptureQueriesContext(connection) as ctx:
            value = getattr(counts, name)
            assert getattr(counts, name) == value  # asked twice, counted once
        return value, len(ctx.captured_queries)

    submitted(people, period, 1)
    assert queries(people["kjj_approver"], "approvals") == (1, 1)
    assert queries(people["office"], "review") == (0, 1)
    assert queries(people["kjj_reporter"], "approvals") == (0, 0)  # not an approver: no query
    assert queries(people["kjj_approver"], "review") == (0, 0)
    kjj = Unit.objects.get(name="市科技局")
    for n, task in enumerate(add_tasks(8)):
        assignment = task.assignments.create(unit=kjj, role="co", order=9)
        report = svc.report_start(
            actor=people["kjj_reporter"], assignment=assignment, period=period, **FULL
        )
        svc.report_submit(actor=people["kjj_reporter"], report=report)
        lead = task.assignments.get(role="lead")
        reporter = make_user(f"r{n}", Role.REPORTER, lead.unit.name)  # no approver
        report = svc.report_start(actor=reporter, assignment=lead, period=period, **FULL)
        svc.report_submit(actor=reporter, report=report)
    assert queries(people["kjj_approver"], "approvals") == (9, 1)
    assert queries(people["office"], "review") == (8, 1)


def test_the_queue_page_takes_the_same_number_of_queries_at_any_size(people, period) -> None:
    client = login(people["kjj_approver"])
    report = submitted(people, period, 1)
    svc.report_return(actor=people["kjj_approver"], report=report, comment="请补充。")
    svc.report_submit(actor=people["kjj_reporter"], report=report)
    small = count_queries(client, "/approvals/")
    kjj = Unit.objects.get(name="市科技局")
    for task in add_tasks(10):
        assignment = task.assignments.create(unit=kjj, role="co", order=9)
        report = svc.report_start(
            actor=people["kjj_reporter"], assignment=assignment, period=period, **FULL
        )
        report = svc.report_submit(actor=people["kjj_reporter"], report=report)
        if task.seq % 2:
            svc.report_return(actor=people["kjj_approver"], report=report, comment="请补充。")
            svc.report_submit(actor=people["kjj_reporter"], report=report)
    assert (
        login(people["kjj_approver"]).get("/approvals/").content.decode().count('class="queue-row"')
        == 11
    )
    assert count_queries(client, "/approvals/") == small


# --- 我的任务: order and filters -------------------------------------------------------------


def codes(html: str) -> list[str]:
    return re.findall(r'class="duty-row[^"]*" data-code="([^"]+)"', html)


def test_my_tasks_puts_what_needs_action_first(people, period) -> None:
    accepted = submitted(people, period, 1)
    svc.report_approve(actor=people["kjj_approver"], report=accepted)
    svc.report_accept(actor=people["office"], report=accepted)
    submitted(people, period, 2)  # waiting for the approver
    returned = submitted(people, period, 3)
    svc.report_return(actor=people["kjj_approver"], report=returned, comment="请补充。")
    draft(people, period, 4)
    order = codes(login(people["kjj_reporter"]).get("/my/").content.decode())
    # sent back; then what is not started or a draft (past its due date), in plan order; then
    # what waits for approval; then what is done
    assert order[0] == "3.1.3" and order[-2:] == ["3.1.2", "3.1.1"]
    assert order[1] == "3.2.1" and len(order) == len(set(order))
    in_plan_order = codes(login(people["kjj_reporter"]).get("/my/?order=plan").content.decode())
    assert in_plan_order[:4] == ["3.1.1", "3.1.2", "3.1.3", "3.2.1"]
    assert sorted(in_plan_order) == sorted(order)


def test_my_tasks_filters_by_state_light_and_section_kept_in_the_url(people, period) -> None:
    returned = submitted(people, period, 1)
    svc.report_return(actor=people["kjj_approver"], report=returned, comment="请补充。")
    submitted(people, period, 2, status="delayed")  # red once submitted
    draft(people, period, 4)
    client = login(people["kjj_reporter"])
    assert codes(client.get("/my/?state=returned").content.decode()) == ["3.1.1"]
    assert codes(client.get("/my/?state=reviewing").content.decode()) == ["3.1.2"]
    assert codes(client.get("/my/?state=draft").content.decode()) == ["3.2.1"]
    assert codes(client.get("/my/?light=red").content.decode()) == ["3.1.2"]
    in_section = codes(client.get("/my/?section=3.1").content.decode())
    assert in_section[0] == "3.1.1" and in_section[-1] == "3.1.2"  # sent back first
    assert all(code.startswith("3.1.") for code in in_section)
    html = client.get(f"/my/?period={period.code}&state=missing&section=3.2").content.decode()
    assert '<option value="missing" selected>未填报</option>' in html
    assert '<option value="3.2" selected>' in html
    assert f'<input type="hidden" name="period" value="{period.code}">' in html
    assert "3.2.1" not in codes(html) and all(c.startswith("3.2.") for c in codes(html))
    assert re.search(r"显示 \d+ / 44 项", html)


def test_a_bad_filter_value_is_named_and_ignored(people, period) -> None:
    html = login(people["kjj_reporter"]).get("/my/?state=nonsense&light=red").content.decode()
    assert "筛选条件有误：填报状态" in html
    assert '<option value="red" selected>' in html  # the valid one still applies
    assert codes(html) == []
    assert "没有符合筛选条件的任务" in html
