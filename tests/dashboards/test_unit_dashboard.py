"""One unit's 总览 (/dashboard/units/<id>/, reports.unit_dashboard): the milestones an approver
needs for the period (the as-of year's, and the earlier ones still overdue on the as-of day),
counted in the database and listed up to a cap; lights for the unit's own assignments only; a
fixed number of queries whatever the data size."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from reports import unit_dashboard
from reports.unit_dashboard import unit_dashboard_data
from tasks.lights import assignment_lights, overdue_milestones, period_as_of
from tasks.models import (
    Assignment,
    AssignmentRole,
    Directive,
    Milestone,
    ProgressReport,
    ReportingPeriod,
)
from tasks.reporting.selectors import duties_for_period, duties_for_unit
from tests.dashboards.directive_items import directive_items
from tests.plan.factories import TaskFactory, assignment_of
from units.models import Unit

TZ = ZoneInfo("Asia/Shanghai")
ON_TIME = datetime(2021, 10, 3, 10, tzinfo=TZ)  # 2021Q3 is due on 2021-10-13

# duties (assignments, reports), lights, milestones (counts, rows), record (plan, periods,
# assignments, reports per period)
# with the 催办/督办 counts (tasks.supervision.selectors.supervision_counts) and the unit's
# 督办事项 (reports.dashboards.directives.unit_directives: one query)
QUERIES = 11


@pytest.fixture(autouse=True)
def cold_cache() -> None:
    cache.clear()


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def milestone(assignment, due, *, done=None, title="节点", confirmed=True, unit=None):
    return Milestone.objects.create(
        assignment=assignment,
        unit=unit or assignment.unit,
        year=due.year,
        title=title,
        due_date=due,
        state="confirmed" if done else "pending",
        done_at=done,
        arrangement_confirmed=confirmed,
    )


def at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, tzinfo=TZ)


@pytest.fixture
def milestones(period):
    """市科技局's milestones around 2021Q3 (as of 2021-09-30, so the year is 2021)."""
    kjj1, kjj2 = assignment_of(1, "市科技局"), assignment_of(2, "市科技局")
    fgw1 = assignment_of(1, "市发改委")
    assert period_as_of(period) == date(2021, 9, 30)
    assert not Milestone.objects.exists()
    return {
        # earlier years
        "open_2020": milestone(kjj1, date(2020, 6, 30), title="往年未完成"),
        "done_2020": milestone(kjj1, date(2020, 5, 31), done=at(2020, 5, 20), title="往年已完成"),
        "late_2020": milestone(kjj2, date(2020, 4, 30), done=at(2021, 12, 1), title="往年迟完成"),
        "proposed_2020": milestone(kjj2, date(2020, 3, 31), confirmed=False, title="往年待确认"),
        "other_unit_2020": milestone(fgw1, date(2020, 6, 30), title="他单位往年未完成"),
        # the as-of year
        "done_2021": milestone(kjj1, date(2021, 3, 31), done=at(2021, 3, 20), title="本年已完成"),
        "open_2021": milestone(kjj2, date(2021, 6, 30), title="本年逾期"),
        "due_on_as_of": milestone(kjj1, date(2021, 9, 30), title="截止当天"),
        "later_2021": milestone(kjj2, date(2021, 12, 31), title="本年待完成"),
        "done_after_as_of_2021": milestone(
            kjj1, date(2021, 9, 1), done=at(2021, 10, 8), title="本年期后完成"
        ),
        "proposed_2021": milestone(kjj1, date(2021, 5, 1), confirmed=False, title="本年待确认"),
        # the year after
        "next_year": milestone(kjj1, date(2022, 3, 31), title="明年节点"),
    }


def kjj() -> Unit:
    return Unit.objects.get(name="市科技局")


# --- the milestones ----------------------------------------------------------------------------


def test_the_year_and_the_earlier_overdue_milestones_are_listed_by_due_date(
    milestones, people, period
):
    data = unit_dashboard_data(user=people["kjj_approver"], unit=kjj(), period=period)
    listed = [m["id"] for m in data["milestones"]]
    expected = [
        milestones[k]
        for k in (
            "late_2020",  # done after the as-of day: still overdue then
            "open_2020",
            "done_2021",
            "open_2021",
            "done_after_as_of_2021",
            "due_on_as_of",
            "later_2021",
        )
    ]
    assert listed == [m.pk for m in expected]
    as_of = period_as_of(period)
    days = {m["id"]: m["overdue_days"] for m in data["milestones"]}
    assert days == {m.pk: m.overdue_days(as_of) for m in expected}  # the model's rule
    assert days[milestones["open_2020"].pk] == (as_of - date(2020, 6, 30)).days
    assert days[milestones["due_on_as_of"].pk] == 0  # due on the as-of day: not yet overdue
    assert days[milestones["done_after_as_of_2021"].pk] == 29
    for gone in ("done_2020", "proposed_2020", "proposed_2021", "other_unit_2020", "next_year"):
        assert milestones[gone].pk not in listed, gone


def test_the_milestones_are_counted_right(milestones, people, period):
    data = unit_dashboard_data(user=people["kjj_approver"], unit=kjj(), period=period)
    summary, tiles = data["milestone_summary"], data["tiles"]
    assert summary["as_of_year"] == 2021
    # 2021: done on 03-31, overdue on 06-30 and 09-01 (done only after the as-of day), due on
    # the as-of day, due 12-31 (the unconfirmed proposal does not count)
    assert (summary["year"], summary["year_done"], summary["year_overdue"]) == (5, 1, 2)
    assert summary["earlier_overdue"] == 2  # 2020-04-30 (done late) and 2020-06-30
    assert summary["overdue"] == 4 == tiles["milestones_overdue"]
    assert summary["listed"] == 7 == len(data["milestones"])
    assert (tiles["milestones"], tiles["milestones_done"]) == (5, 1)
    # the same overdue count as the lights' rule
    assert overdue_milestones(period_as_of(period)).filter(unit=kjj()).count() == 4


def test_the_page_says_what_it_lists(milestones, people, period):
    page = login(people["kjj_approver"]).get(f"/dashboard/units/{kjj().pk}/?period=2021Q3")
    html = page.content.decode()
    assert "2021 年度节点及以前年度逾期未完成节点（7）" in strip_tags(html)
    assert "往年未完成" in html and "往年迟完成" in html and "本年待完成" in html
    assert "往年已完成" not in html and "明年节点" not in html and "他单位往年未完成" not in html
    assert "以前年度逾期未完成 2 个" in html
    assert "仅列出前" not in html  # below the cap
    assert f'href="/milestones/{milestones["open_2020"].pk}/"' in html


def test_beyond_the_cap_the_page_says_so_and_links_to_the_milestone_list(
    milestones, people, period, monkeypatch
):
    monkeypatch.setattr(unit_dashboard, "MILESTONE_ROWS", 3)
    unit = kjj()
    client = login(people["kjj_approver"])
    html = client.get(f"/dashboard/units/{unit.pk}/?period=2021Q3").content.decode()
    assert "共 7 个，仅列出前 3 个" in html
    assert "往年迟完成" in html and "本年已完成" in html and "本年待完成" not in html
    year_list = f"/milestones/?all=1&amp;unit={unit.pk}&amp;year=2021"
    assert year_list in html
    assert f"/milestones/?all=1&amp;unit={unit.pk}&amp;overdue=true" in html
    # the link lists the unit's milestones of the year
    listing = client.get(year_list.replace("&amp;", "&")).content.decode()
    assert "本年待完成" in listing and "往年未完成" not in listing and "他单位" not in listing


def test_no_milestones(people, period):
    html = (
        login(people["leader"]).get(f"/dashboard/units/{kjj().pk}/?period=2021Q3").content.decode()
    )
    assert "2021 年度没有节点，也没有以前年度逾期未完成的节点。" in html


# --- the lights ---------------------------------------------------------------------------------


def test_lights_are_the_rule_for_the_units_own_assignments_only(
    milestones, people, period, monkeypatch
):
    kjj1 = assignment_of(1, "市科技局")
    ProgressReport.objects.create(
        period=period, assignment=kjj1, unit=kjj1.unit, state="accepted", status="at_risk",
        submitted_at=ON_TIME,
    )  # fmt: skip
    asked: list[list[int] | None] = []
    light_map = unit_dashboard.assignment_light_map

    def spy(*args, **kwargs):
        asked.append(kwargs.get("assignment_ids"))
        return light_map(*args, **kwargs)

    monkeypatch.setattr(unit_dashboard, "assignment_light_map", spy)
    unit = kjj()
    data = unit_dashboard_data(user=people["office"], unit=unit, period=period)
    own = sorted(d.assignment.pk for d in duties_for_unit(unit, period))
    assert [sorted(ids or []) for ids in asked] == [own]
    facts = assignment_lights(period, own)
    for a in data["assignments"]:
        expected = facts[a["assignment_id"]].light if a["assignment_id"] in facts else "grey"
        assert a["light"] == expected, a["code"]
    lights = {a["assignment_id"]: a["light"] for a in data["assignments"]}
    assert lights[kjj1.pk] == "red"  # 2020-06-30 open: far more than 30 days overdue
    assert lights[assignment_of(2, "市科技局").pk] == "red"


# --- query counts -------------------------------------------------------------------------------


def page_queries(client: Client, unit: Unit) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/dashboard/units/{unit.pk}/?period=2021Q3").status_code == 200
    return len(queries)


def grow(unit: Unit, period: ReportingPeriod) -> None:
    """Many times the data: 30 more tasks for the unit, five milestones a year 2020–2023 on
    every assignment of it (some done, some late, some open), every duty of 2021Q3 and of the
    three periods before it reported."""
    for task in TaskFactory.create_batch(30):
        Assignment.objects.create(task=task, unit=unit, order=1, role=AssignmentRole.LEAD)
    rows = []
    for a in Assignment.objects.filter(unit=unit):
        for year in range(2020, 2024):
            for n in range(5):  # due on 28 Feb, Apr, Jun, Aug, Oct
                due = date(year, 2 * n + 2, 28)
                # the first open, the last done late, the others done on time
                done = None if n == 0 else at(year, 12, 30) if n == 4 else at(year, 2 * n + 2, 20)
                rows.append(
                    Milestone(
                        assignment=a, unit=unit, year=year, title=f"节点{year}-{n}",
                        due_date=due, done_at=done, state="confirmed" if done else "pending",
                    )
                )  # fmt: skip
    Milestone.objects.bulk_create(rows)
    earlier = list(ReportingPeriod.objects.filter(start_date__lt=period.start_date))[-3:]
    reported = set(ProgressReport.objects.values_list("period_id", "assignment_id", "unit_id"))
    reports = [
        ProgressReport(
            period=p, assignment=d.assignment, unit=d.unit, state="accepted",
            status="on_track", submitted_at=ON_TIME,
        )
        for p in [*earlier, period]
        for d in duties_for_period(p)
        if (p.pk, d.assignment.pk, d.unit.pk) not in reported
    ]  # fmt: skip
    ProgressReport.objects.bulk_create(reports)


def test_a_fixed_number_of_queries_whatever_the_data_size(
    milestones, people, period, django_assert_num_queries
):
    unit = kjj()
    users = [people["kjj_approver"], people["leader"], people["office"]]
    directive_items(people, 3)
    for user in users:
        with django_assert_num_queries(QUERIES):
            small = unit_dashboard_data(user=user, unit=unit, period=period)
    assert len(small["directives"]["items"]) == 3
    client = login(people["leader"])
    small_page = page_queries(client, unit)

    grow(unit, period)
    directive_items(people, 27, start=3)
    assert Milestone.objects.filter(unit=unit).count() > 10 * len(milestones)
    assert ProgressReport.objects.count() > 500
    for user in users:
        with django_assert_num_queries(QUERIES):
            large = unit_dashboard_data(user=user, unit=unit, period=period)
    assert len(large["assignments"]) >= len(small["assignments"]) + 30
    assert large["milestone_summary"]["listed"] > unit_dashboard.MILESTONE_ROWS
    assert len(large["milestones"]) == unit_dashboard.MILESTONE_ROWS
    # the 30 items but those closed in an earlier year than today's
    assert len(large["directives"]["items"]) == Directive.objects.exclude(state="closed").count()
    assert len(large["directives"]["items"]) > 20
    # the bell's unread count and the unit's 督办事项 (one query) included
    assert page_queries(client, unit) == small_page <= 19
