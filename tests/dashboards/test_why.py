"""灯色明细 (/dashboard/why/): the tasks behind a block of 总览 with the reasons for their light
(the counted reports' statuses, the overdue milestones with their days), for the office and the
leader only; a bad query is a Chinese message; a fixed number of queries whatever the size.
That its counts equal the charts' is tested on the demo data (test_agreement.py)."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from reports.dashboards import lights_changed
from tasks.models import Assignment, Milestone, ProgressReport, ReportingPeriod
from tasks.reporting.selectors import duties_for_period
from tests.plan.factories import assignment_of
from tests.units.factories import make_user
from units.models import Role

TZ = ZoneInfo("Asia/Shanghai")
ON_TIME = datetime(2021, 10, 3, 10, tzinfo=TZ)


@pytest.fixture(autouse=True)
def cold_cache() -> None:
    cache.clear()


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def report(period, assignment, *, state="accepted", status="on_track", text=""):
    return ProgressReport.objects.create(
        period=period,
        assignment=assignment,
        unit=assignment.unit,
        state=state,
        status=status,
        percent=50,
        problems=text,
        submitted_at=ON_TIME if state != "draft" else None,
    )


@pytest.fixture
def scenario(period):
    """2021Q3 (as of 2021-09-30): task 1 red (市科技局 says 滞后; 市发改委's 滞后 is returned and
    does not count), task 2 red by 市发改委's milestone 91 days overdue, though 市科技局 reports
    it on track."""
    kjj1, kjj2 = assignment_of(1, "市科技局"), assignment_of(2, "市科技局")
    fgw1, fgw2 = assignment_of(1, "市发改委"), assignment_of(2, "市发改委")
    return {
        "delayed": report(
            period, kjj1, status="delayed", text="设备采购延迟，整体进度滞后一个季度。"
        ),
        "returned": report(period, fgw1, state="returned", status="delayed", text="退回的报告"),
        "on_track": report(period, kjj2),
        "milestone": Milestone.objects.create(
            assignment=fgw2, unit=fgw2.unit, year=2021, title="完成方案", due_date=date(2021, 7, 1)
        ),
        "task1": kjj1.task,
        "task2": kjj2.task,
    }


def why(user, query: str, status: int = 200) -> str:
    response = login(user).get(f"/dashboard/why/?{query}")
    assert response.status_code == status, response.content.decode()[:500]
    return response.content.decode()


def task_block(html: str, task) -> str:
    start = html.index(f'id="task-{task.pk}"')
    end = html.find("</article>", start)
    return html[start:end]


def test_the_red_tasks_of_a_section_with_what_made_them_red(scenario, people) -> None:
    task1, task2 = scenario["task1"], scenario["task2"]
    assert task1.section_id == task2.section_id
    html = why(people["leader"], f"period=2021Q3&section={task1.section_id}&light=red")
    assert 'id="why-count">2<' in html
    first = task_block(html, task1)
    assert 'data-light="red"' in first and "滞后" in first and "市科技局" in first
    assert "设备采购延迟" in first  # an excerpt of the report
    assert f"/reports/{scenario['delayed'].pk}/" in first and f"/plan/tasks/{task1.pk}/" in first
    # the returned report is no reason: it counts for nobody (and the leader may not see it)
    assert "退回的报告" not in html and f"/reports/{scenario['returned'].pk}/" not in html
    second = task_block(html, task2)
    assert "完成方案" in second and "逾期 91 天" in second and "市发改委" in second
    assert f"/milestones/{scenario['milestone'].pk}/" in second
    # 市科技局's report on task 2 (on track, green) is listed apart, as lighter
    assert "1 份报告（灯色较轻，灯色由逾期节点决定）" in second
    # the same for the office: the same light, the same reasons
    office = why(people["office"], f"period=2021Q3&section={task1.section_id}&light=red")
    for task in (task1, task2):
        assert task_block(office, task) == task_block(html, task)


def test_a_cell_of_the_matrix_lists_the_units_tasks_in_the_section(scenario, people) -> None:
    task1 = scenario["task1"]
    fgw = scenario["milestone"].unit
    html = why(people["office"], f"period=2021Q3&section={task1.section_id}&unit={fgw.pk}")
    section_tasks = Assignment.objects.filter(unit=fgw, task__section=task1.section_id)
    assert f'id="why-count">{section_tasks.values("task").distinct().count()}<' in html
    # 市发改委's light on task 1 is its own (its report was returned): grey, not 市科技局's red
    assert 'data-light="grey"' in task_block(html, task1)
    assert 'data-light="red"' in task_block(html, scenario["task2"])  # its overdue milestone


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("office", 200),
        ("admin", 200),
        ("leader", 200),
        ("kjj_reporter", 403),
        ("kjj_approver", 403),
    ],
)
def test_who_may_read_the_list(scenario, people, who, status) -> None:
    why(people[who], "period=2021Q3&light=red", status)


def test_anyone_else_is_refused(period) -> None:
    assert why(make_user("nobody", Role.REPORTER, None), "light=red", 403)
    assert Client().get("/dashboard/why/")["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("period=1999Q9", "没有代码为“1999Q9”的报送周期。"),
        ("period=2021Q3&section=abc", "没有这个板块。"),
        ("period=2021Q3&section=999999", "没有这个板块。"),
        ("period=2021Q3&unit=999999", "没有这个单位"),
        ("period=2021Q3&light=blue", "灯色只能是 green、yellow、red 或 grey。"),
    ],
)
def test_a_bad_query_is_a_400_saying_what_is_wrong(period, people, query, message) -> None:
    assert message in why(people["office"], query, 400)


def test_a_group_is_not_a_unit_of_the_matrix(period, people) -> None:
    from units.models import Unit

    group = Unit.objects.filter(kind="group")[0]
    assert "没有这个单位" in why(people["office"], f"period=2021Q3&unit={group.pk}", 400)


def queries(user, query: str) -> int:
    cache.clear()
    client = login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/dashboard/why/?{query}").status_code == 200
    return len(captured)


def test_a_fixed_number_of_queries_whatever_the_data_size(scenario, people, period) -> None:
    every_task = "period=2021Q3"
    small = queries(people["leader"], every_task)
    # every duty of the period reported, milestones for every assignment
    reported = set(ProgressReport.objects.values_list("assignment_id", "unit_id"))
    ProgressReport.objects.bulk_create(
        ProgressReport(
            period=period, assignment=d.assignment, unit=d.unit, state="accepted",
            status="at_risk", submitted_at=ON_TIME,
        )
        for d in duties_for_period(period)
        if (d.assignment.pk, d.unit.pk) not in reported
    )  # fmt: skip
    Milestone.objects.bulk_create(
        Milestone(assignment=a, unit=a.unit, year=2021, title="节点", due_date=date(2021, 6, 1))
        for a in Assignment.objects.select_related("unit")
    )
    lights_changed(every=True)
    assert ProgressReport.objects.filter(period=period).count() > 200
    large = queries(people["leader"], every_task)
    html = why(people["leader"], every_task)
    assert len(re.findall('class="why-task"', html)) > 50
    assert small == large <= 12
    assert ReportingPeriod.objects.exists()
