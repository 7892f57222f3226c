"""总览 (/dashboard/, /api/dashboard/): the numbers equal what the data says, on a small scenario
built by hand; who may see what; the leader never sees drafts; a write refreshes the cached
numbers; the page and the API take a fixed number of queries whatever the data size."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from demos.models import DemoProject
from reports.dashboards import lights_changed
from tasks.lights import assignment_lights, worst
from tasks.models import (
    AchievementEntry,
    Assignment,
    Milestone,
    ProgressReport,
    ReportingPeriod,
    Task,
)
from tasks.reporting.selectors import duties_for_period, duties_for_unit
from tests.dashboards.directive_items import directive_items
from tests.plan.factories import assignment_of
from tests.units.factories import make_user
from units.models import Role, Unit

TZ = ZoneInfo("Asia/Shanghai")
# 2021Q3 is due on 2021-10-13: the 5th working day after 09-30 (10-08, 10-09 调休, 10-11..13)
ON_TIME = datetime(2021, 10, 3, 10, tzinfo=TZ)
LATE = datetime(2021, 10, 15, 10, tzinfo=TZ)


@pytest.fixture(autouse=True)
def cold_cache() -> None:
    cache.clear()


def report(period, assignment, unit=None, *, state="accepted", status="on_track", at=ON_TIME):
    return ProgressReport.objects.create(
        period=period,
        assignment=assignment,
        unit=unit or assignment.unit,
        state=state,
        status=status,
        percent=50,
        submitted_at=at if state != "draft" else None,
    )


@pytest.fixture
def scenario(period, people):
    """2021Q3: 市科技局 reports task 1 as 滞后 on time (red) and task 2 as on track; 市发改委 has
    a draft (on track) on task 1; 市司法局 reports task 6 as 存在风险 after the due date (yellow);
    a milestone of task 2 (市发改委) was due on 1 July and is not done (overdue 91 days: red);
    two verified patents of 2021 and one rejected in the ledger."""
    kjj1, kjj2 = assignment_of(1, "市科技局"), assignment_of(2, "市科技局")
    fgw1, fgw2 = assignment_of(1, "市发改委"), assignment_of(2, "市发改委")
    sfj6 = assignment_of(6, "市司法局")
    report(period, kjj1, status="delayed")
    report(period, kjj2)
    report(period, fgw1, state="draft")
    report(period, sfj6, status="at_risk", at=LATE)
    Milestone.objects.create(
        assignment=fgw2, unit=fgw2.unit, year=2021, title="完成方案", due_date=date(2021, 7, 1)
    )
    Milestone.objects.create(
        assignment=kjj2,
        unit=kjj2.unit,
        year=2021,
        title="建成平台",
        due_date=date(2021, 8, 1),
        state="done",
        done_at=datetime(2021, 7, 20, tzinfo=TZ),
    )
    plan = period.plan
    unit = kjj1.unit
    for n, state in enumerate(["verified", "verified", "rejected"]):
        AchievementEntry.objects.create(
            plan=plan,
            kind="invention_patent",
            title=f"专利{n}",
            date=date(2021, 5, 1 + n),
            unit=unit,
            identifier=f"ZL{n}",
            state=state,
        )
    return {"kjj1": kjj1, "kjj2": kjj2, "fgw1": fgw1, "fgw2": fgw2, "sfj6": sfj6}


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_data(user, code="2021Q3") -> dict:
    response = login(user).get(f"/api/dashboard/?period={code}")
    assert response.status_code == 200, response.content
    return response.json()


# --- the numbers ----------------------------------------------------------------------------


def test_lights_by_section_and_task_equal_the_rule_applied_to_the_data(scenario, people, period):
    data = api_data(people["office"])
    facts = assignment_lights(period)
    expected: dict[str, int] = {"green": 0, "yellow": 0, "red": 0, "grey": 0}
    by_section: dict[int, dict[str, int]] = {}
    for task in Task.objects.filter(plan=period.plan).prefetch_related("assignments"):
        light = worst(
            [facts[a.pk].light if a.pk in facts else "grey" for a in task.assignments.all()]
        )
        expected[light] += 1
        by_section.setdefault(task.section_id, {"green": 0, "yellow": 0, "red": 0, "grey": 0})
        by_section[task.section_id][light] += 1
    tiles = data["tiles"]["tasks"]
    assert {k: tiles[k] for k in expected} == expected
    assert (tiles["red"], tiles["yellow"], tiles["green"]) == (2, 1, 0)  # tasks 1 and 2; task 6
    for s in data["sections"]:
        assert {k: s[k] for k in expected} == by_section[s["id"]]
    # the trend's point for the period is the same count
    assert {k: data["trend"][-1][k] for k in expected} == expected


def test_reporting_counts_and_the_on_time_rate(scenario, people, period):
    data = api_data(people["office"])
    duties = duties_for_period(period)
    r = data["tiles"]["reports"]
    assert r["due"] == len(duties)
    assert (r["submitted"], r["on_time"], r["late"]) == (3, 2, 1)
    assert r["not_submitted"] == len(duties) - 3 == r["overdue"]  # the due date has passed
    assert (r["draft"], r["returned"]) == (1, 0)
    rows = {s["unit"]: s for s in data["scorecard"]}
    kjj = rows["市科技局"]
    n = len(duties_for_unit(Unit.objects.get(name="市科技局"), period))
    assert (kjj["duties"], kjj["on_time"], kjj["late"]) == (n, 2, 0)
    assert kjj["on_time_rate"] == round(2 / n, 4)
    assert kjj["on_track_share"] == round(1 / n, 4)  # task 2 on track; task 1 delayed
    sfj = rows["市司法局"]
    assert (sfj["submitted"], sfj["on_time"], sfj["late"], sfj["on_time_rate"]) == (1, 0, 1, 0)


def test_units_with_equal_scores_share_their_rank(scenario, people):
    """并列: equal scores take the same rank, the next score the rank after all of them
    (1, 2, 2, 4), shown as "并列2"."""
    scorecard = api_data(people["office"])["scorecard"]
    scores = [s["score"] for s in scorecard]
    for s in scorecard:
        assert s["rank"] == 1 + sum(1 for other in scores if other > s["score"]), s
        assert s["tied"] == (scores.count(s["score"]) > 1)
        assert s["rank_label"] == (f"并列{s['rank']}" if s["tied"] else str(s["rank"]))
    tied = [s for s in scorecard if s["tied"]]
    assert tied and len({s["rank"] for s in tied}) < len(tied)  # the scenario has ties
    ranked = sorted(scorecard, key=lambda s: (s["rank"], s["unit"]))
    assert [s["score"] for s in ranked] == sorted(scores, reverse=True)


def test_milestones_due_done_and_overdue(scenario, people):
    data = api_data(people["office"])
    ms = data["tiles"]["milestones"]
    assert (ms["due"], ms["done"], ms["overdue"]) == (2, 1, 1)
    rows = {s["unit"]: s for s in data["scorecard"]}
    assert (rows["市发改委"]["milestones_due"], rows["市发改委"]["milestones_overdue"]) == (1, 1)
    assert rows["市科技局"]["milestones_rate"] == 1.0
    matrix = data["matrix"]
    fgw = next(i for i, u in enumerate(matrix["units"]) if u["name"] == "市发改委")
    section = scenario["fgw2"].task.section_id
    col = next(i for i, s in enumerate(matrix["sections"]) if s["id"] == section)
    cell = next(c for c in matrix["cells"] if c["unit"] == fgw and c["section"] == col)
    assert cell["light"] == "red"


def test_indicators_count_verified_ledger_entries_against_targets(scenario, people):
    data = api_data(people["office"])
    patents = next(i for i in data["indicators"] if i["code"] == "invention-patents")
    y2021 = next(y for y in patents["years"] if y["year"] == 2021)
    assert (y2021["actual"], y2021["target"], y2021["met"]) == (2, 50, False)


def test_demo_projects_are_counted_by_light(scenario, people, period):
    demo = DemoProject.objects.order_by("seq")[0]
    report(period, demo.assignments.all()[0], status="completed")
    data = api_data(people["office"])
    assert data["tiles"]["demos"]["total"] == DemoProject.objects.count()
    assert data["tiles"]["demos"]["on_track"] == 1
    assert next(d for d in data["demos"] if d["id"] == demo.pk)["light"] == "green"


# --- who sees what --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "page", "api"),
    [
        ("office", 200, 200),
        ("admin", 200, 200),
        ("leader", 200, 200),
        ("kjj_reporter", 302, 403),
        ("kjj_approver", 302, 403),
    ],
)
def test_who_may_see_the_dashboard(scenario, people, who, page, api) -> None:
    client = login(people[who])
    response = client.get("/dashboard/")
    assert response.status_code == page
    if page == 302:  # a unit's staff see their own unit's dashboard
        assert response["Location"] == f"/dashboard/units/{people[who].unit_id}/"
    assert client.get("/api/dashboard/").status_code == api


def test_anyone_else_is_refused(scenario, people) -> None:
    nobody = make_user("nobody", Role.REPORTER, None)
    assert login(nobody).get("/dashboard/").status_code == 403
    assert login(nobody).get("/api/dashboard/").status_code == 403
    assert Client().get("/api/dashboard/").status_code in (401, 403)
    assert Client().get("/dashboard/")["Location"].startswith("/accounts/login/")


def test_a_unit_dashboard_is_for_its_own_staff_the_office_and_the_leader(scenario, people):
    kjj = Unit.objects.get(name="市科技局")
    url = f"/dashboard/units/{kjj.pk}/?period=2021Q3"
    for who in ("kjj_reporter", "kjj_approver", "office", "leader"):
        assert login(people[who]).get(url).status_code == 200, who
    assert login(people["fgw_reporter"]).get(url).status_code == 403
    page = login(people["kjj_reporter"]).get(url).content.decode()
    assert "完成方案" not in page and "建成平台" in page  # its own milestones only
    assert "市科技局 · 总览" in page


def test_the_leader_never_sees_drafts(scenario, people, period):
    ProgressReport.objects.filter(assignment=scenario["fgw1"]).update(status="delayed")
    task3 = Assignment.objects.filter(task__seq=3).first()
    report(period, task3, state="returned", status="delayed")
    office, leader = api_data(people["office"]), api_data(people["leader"])
    assert (
        "draft" not in leader["tiles"]["reports"] and "returned" not in leader["tiles"]["reports"]
    )
    assert "draft" not in str(leader) and "returned" not in str(leader)
    assert office["tiles"]["reports"]["draft"] == 1
    assert (
        leader["tiles"]["reports"]["not_submitted"] == office["tiles"]["reports"]["not_submitted"]
    )
    # a returned report (or a draft) lights nobody's view: the office sees the leader's lights
    for part in ("tasks", "demos"):
        assert office["tiles"][part] == leader["tiles"][part]
    assert office["sections"] == leader["sections"] and office["matrix"] == leader["matrix"]
    assert office["trend"] == leader["trend"]
    page = login(people["leader"]).get("/dashboard/?period=2021Q3").content.decode()
    assert "草稿" not in page
    unit = Unit.objects.get(name="市发改委")
    unit_page = login(people["leader"]).get(f"/dashboard/units/{unit.pk}/?period=2021Q3")
    assert "草稿" not in unit_page.content.decode()


def test_a_write_refreshes_the_cached_numbers(
    scenario, people, period, django_capture_on_commit_callbacks
):
    before = api_data(people["office"])["tiles"]["reports"]["submitted"]
    with CaptureQueriesContext(connection) as cached:
        assert api_data(people["office"])["tiles"]["reports"]["submitted"] == before
    with django_capture_on_commit_callbacks(execute=True):
        report(period, scenario["fgw2"])
    assert api_data(people["office"])["tiles"]["reports"]["submitted"] == before + 1
    assert len(cached) <= 3  # session and user: the numbers came from the cache


def test_each_write_refreshes_the_parts_cached_apart(
    scenario, people, period, django_capture_on_commit_callbacks
):
    """The plan's structure, the milestones and the indicators are cached apart from the
    dashboard, under versions that only their own rows replace: a milestone, a ledger entry, a
    new assignment and a group's new member each show at once."""
    office = people["office"]
    before = api_data(office)
    fgw2 = scenario["fgw2"]
    with django_capture_on_commit_callbacks(execute=True):
        Milestone.objects.create(
            assignment=fgw2, unit=fgw2.unit, year=2021, title="新节点", due_date=date(2021, 9, 1)
        )
    data = api_data(office)
    assert data["tiles"]["milestones"]["due"] == before["tiles"]["milestones"]["due"] + 1
    with django_capture_on_commit_callbacks(execute=True):
        AchievementEntry.objects.create(
            plan=period.plan,
            kind="invention_patent",
            title="新专利",
            date=date(2021, 6, 1),
            unit=fgw2.unit,
            identifier="ZL-new",
            state="verified",
        )
    patents = next(i for i in api_data(office)["indicators"] if i["code"] == "invention-patents")
    assert next(y for y in patents["years"] if y["year"] == 2021)["actual"] == 3
    task = scenario["kjj1"].task
    newcomer = Unit.objects.get(name="市教育局")
    with django_capture_on_commit_callbacks(execute=True):
        Assignment.objects.create(task=task, unit=newcomer, role="co", order=99)
    data = api_data(office)
    assert data["tiles"]["reports"]["due"] == before["tiles"]["reports"]["due"] + 1
    assert "市教育局" in {s["unit"] for s in data["scorecard"]}
    group = Unit.objects.filter(kind="group", assignments__task__plan=period.plan)[0]
    outsider = Unit.objects.exclude(kind="group").exclude(pk__in=group.members.all())[0]
    due = data["tiles"]["reports"]["due"]
    with django_capture_on_commit_callbacks(execute=True):
        group.members.add(outsider)
    assert api_data(office)["tiles"]["reports"]["due"] == due + group.assignments.count()


def test_a_bad_period_is_a_400_naming_it(people, period) -> None:
    response = login(people["office"]).get("/api/dashboard/?period=1999Q9")
    assert response.status_code == 400
    assert "period" in response.json()["extra"]["fields"]


def test_the_page_embeds_the_numbers_and_a_period_selector(scenario, people) -> None:
    page = login(people["leader"]).get("/dashboard/?period=2021Q3").content.decode()
    assert 'id="dashboard-data"' in page and "echarts.min.js" in page
    assert 'value="2021Q3" selected' in page
    for chart in ("sections", "trend", "scorecard", "matrix", "indicators", "demos"):
        assert f'id="chart-{chart}"' in page and f'id="table-{chart}"' in page


def test_the_units_escalated_in_the_period_are_counted_and_marked(scenario, people, period):
    """已催办: the units the sweep escalated in the period, on the reports tile (a link to the
    period page) and beside each unit of the scorecard, at once (not from the cache)."""
    from tasks.reminders.models import Escalation

    assert api_data(people["office"])["tiles"]["reports"]["escalated"] == 0
    kjj1, sfj6 = assignment_of(1, "市科技局"), assignment_of(6, "市司法局")
    for a in (kjj1, sfj6):
        Escalation.objects.create(
            period=period, assignment=a, unit=a.unit, escalated_on=date(2021, 10, 18)
        )
    for who in ("office", "leader"):
        data = api_data(people[who])
        assert data["tiles"]["reports"]["escalated"] == 2
        marked = {s["unit"] for s in data["scorecard"] if s["escalated"]}
        assert marked == {"市科技局", "市司法局"}
    page = login(people["office"]).get("/dashboard/?period=2021Q3").content.decode()
    assert 'href="/periods/2021Q3/"' in page and "已催办单位" in page


def test_the_default_period_is_the_latest_with_reports(scenario, people) -> None:
    assert api_data(people["office"], code="")["period"]["code"] == "2021Q3"


def test_the_demo_page_shows_units_milestones_reports_and_light(scenario, people, period):
    demo = DemoProject.objects.order_by("seq")[0]
    a = demo.assignments.all()[0]
    report(period, a, status="at_risk")
    Milestone.objects.create(
        assignment=a, unit=a.unit, year=2021, title="一期上线", due_date=date(2021, 12, 1)
    )
    ReportingPeriod.objects.filter(pk=period.pk).update(state="closed")
    page = login(people["leader"]).get(f"/demos/{demo.pk}/").content.decode()
    assert demo.hosts[0] in page and demo.period_label in page and a.unit.name in page
    assert "一期上线" in page and "2021年第三季度" in page and "黄灯" in page


# --- query counts ----------------------------------------------------------------------------


def page_and_api_queries(user) -> int:
    cache.clear()
    client = login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/dashboard/?period=2021Q3").status_code == 200
        assert client.get("/api/dashboard/?period=2021Q3").status_code == 200
    return len(queries)


def test_page_and_api_take_a_fixed_number_of_queries(scenario, people, period):
    directive_items(people, 3)
    small = page_and_api_queries(people["leader"])
    # ten times the data: every duty of 2021Q3 and of the three periods before it reported,
    # milestones and ledger entries for every assignment
    earlier = list(ReportingPeriod.objects.filter(start_date__lt=period.start_date))[-3:]
    reported = set(ProgressReport.objects.values_list("period_id", "assignment_id", "unit_id"))
    rows = []
    for p in [*earlier, period]:
        for d in duties_for_period(p):
            if (p.pk, d.assignment.pk, d.unit.pk) not in reported:
                rows.append(
                    ProgressReport(
                        period=p, assignment=d.assignment, unit=d.unit, state="accepted",
                        status="on_track", submitted_at=ON_TIME,
                    )
                )  # fmt: skip
    ProgressReport.objects.bulk_create(rows)
    Milestone.objects.bulk_create(
        Milestone(assignment=a, unit=a.unit, year=2021, title="节点", due_date=date(2021, 6, 1))
        for a in Assignment.objects.select_related("unit")
    )
    assert ProgressReport.objects.count() > 500
    directive_items(people, 27, start=3)  # 30 督办事项
    lights_changed(every=True)  # what a command writing in bulk must do (no signals)
    large = page_and_api_queries(people["leader"])
    # the bell's unread count included, and each call's 催办/督办 counts (one grouped query),
    # the units escalated in the period and the 督办事项 block (two queries) per call, and the
    # assessment rules in force for the period's year (one query, in the cached part)
    assert small == large <= 25
    # the earlier periods' trend points are kept, for every reader (the lights are the same):
    # after a write in the period (or none) the cold page takes one query less, whatever the
    # size and whoever reads; the office's menu counts its review queue, the new 领导批示 and
    # its 督办事项 to act on (one query each, hefei_ai_zone.context_processors.work_counts)
    assert page_and_api_queries(people["office"]) == small + 2
    assert page_and_api_queries(people["leader"]) == small - 1


def test_the_sql_trend_agrees_with_the_light_rule_in_every_period(people) -> None:
    """The dashboard's one-statement trend and tasks.lights give the same lights, also for
    milestones done late, done on time, and still open, on the boundary days."""
    import datetime as dt

    from django.utils import timezone

    from reports.dashboards import light_counts_by_period
    from tasks.models import Milestone, Plan, ReportingPeriod
    from tests.plan.factories import assignment_of

    plan = Plan.objects.get(code="hefei-ai-2020-2023")
    from tasks.reporting.services import periods_ensure

    periods_ensure(plan=plan)
    when = lambda y, m, d: timezone.make_aware(dt.datetime(y, m, d, 10))  # noqa: E731
    cases = [  # (task seq, unit, due date, done at)
        (1, "市科技局", dt.date(2021, 1, 15), None),  # open: 75 days overdue on 03-31, red
        (2, "市科技局", dt.date(2021, 3, 1), when(2021, 3, 31)),  # done on the as-of day
        (3, "市发改委", dt.date(2021, 3, 1), when(2021, 4, 2)),  # 30 days overdue on 03-31: yellow
        (4, "市科技局", dt.date(2021, 2, 28), when(2021, 2, 1)),  # done on time: never overdue
        (5, "市科技局", dt.date(2021, 1, 31), when(2021, 6, 1)),  # red in Q1, gone by Q2's end
    ]
    for seq, unit, due, done in cases:
        a = assignment_of(seq, unit)
        Milestone.objects.create(
            assignment=a,
            unit=a.unit,
            year=due.year,
            title="节点",
            due_date=due,
            done_at=done,
            state="confirmed" if done else "pending",
        )
    periods = list(ReportingPeriod.objects.filter(plan=plan, year=2021).order_by("start_date"))
    trend = light_counts_by_period(periods, plan.pk)
    for period in periods:
        facts = assignment_lights(period)
        expected: dict[str, int] = {}
        for task in Task.objects.filter(plan=plan).prefetch_related("assignments"):
            light = worst(
                [facts[a.pk].light if a.pk in facts else "grey" for a in task.assignments.all()]
            )
            if light != "grey":
                expected[light] = expected.get(light, 0) + 1
        assert trend.get(period.pk, {}) == expected, period.code
    assert trend[periods[0].pk] == {"red": 2, "yellow": 1}  # 2021Q1: tasks 1 and 5; task 3
    assert trend[periods[1].pk] == {"red": 1}  # 2021Q2: only task 1 (task 5 done on 06-01)


def test_milestones_met_count_the_year_and_overdue_counts_every_year(scenario, people):
    """The scorecard's 本年节点完成率 counts the milestones of the as-of day's year (年度工作安排,
    the basis of the annual assessment); an earlier year's milestone still open is overdue."""
    fgw2 = scenario["fgw2"]
    Milestone.objects.create(  # 2020, never done: overdue in 2021 too, not due "this year"
        assignment=fgw2, unit=fgw2.unit, year=2020, title="旧节点", due_date=date(2020, 6, 1)
    )
    Milestone.objects.create(  # 2020, done on time: counts nowhere in 2021
        assignment=fgw2,
        unit=fgw2.unit,
        year=2020,
        title="已完成的旧节点",
        due_date=date(2020, 9, 1),
        state="confirmed",
        done_at=datetime(2020, 8, 20, tzinfo=TZ),
    )
    Milestone.objects.create(  # 2021, due after the as-of day: not yet due
        assignment=fgw2, unit=fgw2.unit, year=2021, title="年底节点", due_date=date(2021, 12, 1)
    )
    data = api_data(people["office"])
    fgw = next(s for s in data["scorecard"] if s["unit"] == "市发改委")
    assert (fgw["milestones_due"], fgw["milestones_done"], fgw["milestones_overdue"]) == (1, 0, 2)
    ms = data["tiles"]["milestones"]
    assert (ms["due_this_year"], ms["done_this_year"], ms["overdue"]) == (2, 1, 2)
    assert (ms["due"], ms["done"]) == (2, 1)  # due within 2021Q3
