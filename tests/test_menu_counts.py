"""The menu counts what waits for each role (hefei_ai_zone.context_processors.work_counts): a
reporter's duties of the open period not yet submitted on 我的任务, a unit's 督办单 to answer
(issued or sent back), beside the approver's 待我审核; each one query, whatever the size."""

import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hefei_ai_zone.context_processors import MenuCounts
from tasks.models import Task
from tasks.reporting import services as svc
from tasks.reporting.selectors import duties_for_unit
from tasks.supervision.services import order_answer, order_close, order_issue, order_return
from tests.plan.factories import add_tasks, assignment_of
from units.models import Unit

pytestmark = pytest.mark.django_db

FULL = {"status": "on_track", "percent": 40, "narrative": "完成模型框架设计。"}


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def menu(user) -> str:
    return login(user).get("/my/").content.decode()


def unsubmitted(unit: str, period) -> int:
    return sum(
        1 for d in duties_for_unit(Unit.objects.get(name=unit), period) if not d.is_submitted
    )


def test_a_reporter_sees_how_many_duties_are_still_to_fill_in(people, period) -> None:
    reporter = people["kjj_reporter"]
    before = unsubmitted("市科技局", period)
    assert before > 1 and MenuCounts(reporter).to_fill == before
    assert re.search(
        rf'我的任务<span class="[^"]*nav-count" data-count="to-fill">{before}<', menu(reporter)
    )
    report = svc.report_start(
        actor=reporter, assignment=assignment_of(1, "市科技局"), period=period, **FULL
    )
    assert MenuCounts(reporter).to_fill == before  # a draft is still to fill in
    svc.report_submit(actor=reporter, report=report)
    assert MenuCounts(reporter).to_fill == before - 1 == unsubmitted("市科技局", period)
    # a group's duty is each member's: the same rule as 我的任务
    for who, unit in (("fgw_reporter", "市发改委"), ("sfj_reporter", "市司法局")):
        assert MenuCounts(people[who]).to_fill == unsubmitted(unit, period)
    # an approver, the office, the leader: no such count, no query
    for who in ("kjj_approver", "office", "leader"):
        with CaptureQueriesContext(connection) as ctx:
            assert MenuCounts(people[who]).to_fill == 0
        assert not ctx.captured_queries


def test_no_open_period_nothing_to_fill_in(people, period) -> None:
    period.state = "closed"
    period.save()
    assert MenuCounts(people["kjj_reporter"]).to_fill == 0
    assert 'data-count="to-fill"' not in menu(people["kjj_reporter"])


@time_machine.travel("2023-03-01 10:00 +0800", tick=False)
def test_the_units_staff_see_the_orders_to_answer(people) -> None:
    kjj = Unit.objects.get(name="市科技局")
    task = Task.objects.get(seq=1)
    order = order_issue(
        actor=people["office"], task=task, unit=kjj, facts="请说明。", reply_workdays=3
    )
    order_issue(
        actor=people["office"],
        task=task,
        unit=Unit.objects.get(name="市发改委"),
        facts="x",
        reply_workdays=3,
    )
    for who in ("kjj_reporter", "kjj_approver"):
        assert MenuCounts(people[who]).orders == 1
        page = menu(people[who])
        assert re.search(
            r'href="/supervision/"[^>]*>督办单<span class="[^"]*nav-count" data-count="orders">1<',
            page,
        )
    order_answer(actor=people["kjj_reporter"], order=order, answer="已整改。")
    assert MenuCounts(people["kjj_reporter"]).orders == 0
    assert 'data-count="orders"' not in menu(people["kjj_reporter"])
    order_return(actor=people["office"], order=order, comment="请补充。")
    assert MenuCounts(people["kjj_approver"]).orders == 1  # sent back: to answer again
    order_answer(actor=people["kjj_reporter"], order=order, answer="已补充。")
    order_close(actor=people["office"], order=order)
    assert MenuCounts(people["kjj_approver"]).orders == 0
    assert MenuCounts(people["office"]).orders == 0


def test_each_count_is_one_query_whatever_the_size(people, period) -> None:
    def queries(user) -> tuple[tuple[int, int], int]:
        counts = MenuCounts(user)
        with CaptureQueriesContext(connection) as ctx:
            values = (counts.to_fill, counts.orders)
            assert counts.total == sum(values) + counts.directives  # asked again: counted once
        return values, len(ctx.captured_queries)

    reporter = people["kjj_reporter"]
    (small, _), n_small = queries(reporter)
    assert n_small == 3  # with the 督办事项 to act on (tasks.directives.selectors.to_act_count)
    kjj = Unit.objects.get(name="市科技局")
    for task in add_tasks(12):
        task.assignments.create(unit=kjj, role="co", order=9)
        order_issue(actor=people["office"], task=task, unit=kjj, facts="x", reply_workdays=3)
    (to_fill, orders), n_large = queries(reporter)
    assert (to_fill, orders) == (small + 12, 12) and n_large == n_small


def test_the_pages_take_the_same_queries_at_any_size(people, period) -> None:
    client = login(people["kjj_reporter"])

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/my/").status_code == 200
        return len(ctx.captured_queries)

    small = page_queries()
    kjj = Unit.objects.get(name="市科技局")
    for task in add_tasks(10):
        task.assignments.create(unit=kjj, role="co", order=9)
        order_issue(actor=people["office"], task=task, unit=kjj, facts="x", reply_workdays=3)
    assert page_queries() == small
