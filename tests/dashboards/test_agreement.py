"""One light for everyone, on the demo data (seed_demo): the task page, the demo project page,
我的任务, a unit's 总览, the dashboard (page, API and the list behind its blocks) show the same
light for the same fact, whoever reads them, and a returned report or a draft lights nobody's page.

Read from the rendered pages and the API only. The data is made once for the module (committed,
removed again at the end); the tests only read it.
"""

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db.models import Case, IntegerField, Value, When
from django.test import Client

from demos.models import DemoProject
from tasks.models import (
    Assignment,
    ProgressReport,
    ReportState,
)
from tasks.plan.selectors import plan_current
from tasks.reporting.selectors import period_current
from tests.conftest import demo_data_committed, demo_data_removed
from units.models import Unit, User

pytestmark = pytest.mark.django_db

OFFICE, LEADER = "office", "leader"
LEAD_REPORTER = "kjj_reporter"  # 市科技局, lead unit of many tasks
OTHER_REPORTER = "bhq_reporter"  # 包河区政府: reports through the group 各县（市）区政府
ROLES = (OFFICE, LEADER, LEAD_REPORTER, OTHER_REPORTER)
LIGHT = re.compile(r'class="light light-(green|yellow|red|grey)"')


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        users_before = demo_data_committed()
        cache.clear()
        try:
            yield
        finally:
            demo_data_removed(users_before)
            cache.clear()


@pytest.fixture(scope="module")
def clients(demo: None, django_db_blocker: Any) -> dict[str, Client]:
    with django_db_blocker.unblock():
        found = {}
        for username in ROLES:
            client = Client()
            client.force_login(User.objects.get(username=username))
            found[username] = client
        return found


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def light_after(html: str, marker: str) -> str:
    """The first light shown after ``marker`` in the page."""
    match = LIGHT.search(html, html.index(marker))
    assert match, marker
    return match.group(1)


def worst_first(qs: Any) -> Any:
    """Reports whose status would light most, first (a returned 滞后 is the telling case)."""
    weight = Case(
        When(status="delayed", then=Value(0)),
        When(status="at_risk", then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return qs.annotate(weight=weight).order_by("weight", "assignment__task__seq")


@pytest.fixture(scope="module")
def sample(demo: None, django_db_blocker: Any) -> dict[str, Any]:
    """The open period and the tasks to compare: one with a returned report, one with a draft,
    one of 市科技局's and one of 包河区政府's through its group; a demo project with a returned
    report or a draft if there is one."""
    with django_db_blocker.unblock():
        period = period_current(plan_current())
        assert period is not None
        reports = ProgressReport.objects.filter(period=period, assignment__task__isnull=False)
        returned = worst_first(reports.filter(state=ReportState.RETURNED)).first()
        draft = worst_first(reports.filter(state=ReportState.DRAFT)).first()
        assert returned is not None and draft is not None, "seed_demo has both in the open period"
        assert returned.status == draft.status == "delayed"  # red, had they counted
        kjj, bhq = Unit.objects.get(name="市科技局"), Unit.objects.get(name="包河区政府")
        via_group = Assignment.objects.filter(unit__members=bhq, task__isnull=False)[0]
        tasks = [
            returned.assignment.task,
            draft.assignment.task,
            Assignment.objects.filter(unit=kjj, task__isnull=False, role="lead")[0].task,
            via_group.task,
        ]
        demo_reports = ProgressReport.objects.filter(period=period, assignment__demo__isnull=False)
        unsubmitted = demo_reports.exclude(state__in=("submitted", "approved", "accepted"))
        demo_report = worst_first(unsubmitted).first()
        demo_project = demo_report.assignment.demo if demo_report else DemoProject.objects.first()
        return {
            "period": period,
            "returned": returned,
            "tasks": list({t.pk: t for t in tasks if t is not None}.values()),
            "demo": demo_project,
            "units": {LEAD_REPORTER: kjj, OTHER_REPORTER: bhq},
        }


def api(client: Client, code: str) -> dict[str, Any]:
    response = client.get(f"/api/dashboard/?period={code}")
    assert response.status_code == 200
    return response.json()


def embedded(html: str) -> dict[str, Any]:
    found = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html)
    assert found
    return json.loads(found.group(1))


LIGHT_PARTS = ("sections", "matrix", "trend", "demos")


def test_the_office_and_the_leader_see_the_same_lights_on_the_dashboard(clients, sample) -> None:
    code = sample["period"].code
    office, leader = api(clients[OFFICE], code), api(clients[LEADER], code)
    assert office["tiles"]["tasks"] == leader["tiles"]["tasks"]
    assert office["tiles"]["demos"] == leader["tiles"]["demos"]
    for part in LIGHT_PARTS:
        assert office[part] == leader[part], part
    # the counts of reports agree too, the office seeing the drafts and returned ones besides
    assert office["tiles"]["reports"]["returned"] > 0
    for key in ("due", "submitted", "on_time", "late", "not_submitted", "overdue"):
        assert office["tiles"]["reports"][key] == leader["tiles"]["reports"][key], key
    # the pages draw from the same numbers
    for who, data in ((OFFICE, office), (LEADER, leader)):
        drawn = embedded(page(clients[who], f"/dashboard/?period={code}"))
        assert drawn["tiles"] == data["tiles"]
        assert all(drawn[part] == data[part] for part in LIGHT_PARTS)
    # the default period is the same for both, and it is the period the other pages show
    assert api(clients[OFFICE], "")["period"]["code"] == api(clients[LEADER], "")["period"]["code"]
    # a unit's staff do not get the whole dashboard: their unit's 总览 is theirs
    for who in (LEAD_REPORTER, OTHER_REPORTER):
        assert clients[who].get(f"/api/dashboard/?period={code}").status_code == 403


def test_the_list_behind_each_light_counts_what_its_tile_counts(clients, sample) -> None:
    code = sample["period"].code
    for who in (OFFICE, LEADER):
        tiles = api(clients[who], code)["tiles"]["tasks"]
        for light in ("green", "yellow", "red", "grey"):
            html = page(clients[who], f"/dashboard/why/?period={code}&light={light}")
            assert why_count(html) == tiles[light]


def why_count(html: str) -> int:
    found = re.search(r'id="why-count">(\d+)<', html)
    assert found is not None
    count = int(found.group(1))
    assert html.count('class="why-task"') == count
    return count


def test_the_list_behind_a_block_of_a_chart_has_as_many_tasks_as_the_block(clients, sample) -> None:
    """A click on a block of the section chart or a cell of the matrix lands on the tasks the
    block counts (/dashboard/why/): as many as the chart says."""
    code = sample["period"].code
    for who in (OFFICE, LEADER):
        data = api(clients[who], code)
        for s in data["sections"]:
            for light in ("green", "yellow", "red", "grey"):
                url = f"/dashboard/why/?period={code}&section={s['id']}&light={light}"
                assert why_count(page(clients[who], url)) == s[light], (who, s["code"], light)
    matrix = api(clients[OFFICE], code)["matrix"]
    cells = matrix["cells"]
    assert len(cells) > 40
    for cell in [*cells[:: len(cells) // 30], *(c for c in cells if c["light"] == "red")][:60]:
        unit, section = matrix["units"][cell["unit"]], matrix["sections"][cell["section"]]
        url = f"/dashboard/why/?period={code}&section={section['id']}&unit={unit['id']}"
        html = page(clients[OFFICE], url)
        assert why_count(html) == cell["tasks"], (unit["name"], section["code"])
        # the cell's light is the worst the list shows
        shown = re.findall(r'class="why-task" id="task-\d+" data-light="(\w+)"', html)
        assert worst(shown) == cell["light"]


def worst(lights: list[str]) -> str:
    order = ["grey", "green", "yellow", "red"]
    return max(lights, key=order.index, default="grey")


def test_every_page_shows_the_same_light_for_the_same_task_to_everyone(clients, sample) -> None:
    period = sample["period"]
    for task in sample["tasks"]:
        url = f"/plan/tasks/{task.pk}/"
        office_page = page(clients[OFFICE], url)
        expected = light_after(office_page, "任务灯：")
        assignments = list(Assignment.objects.filter(task=task).select_related("unit"))
        lights = {a.pk: light_after(office_page, f'id="assignment-{a.pk}"') for a in assignments}
        for who in ROLES:
            html = page(clients[who], url)
            assert light_after(html, "任务灯：") == expected, (task.code, who)
            for a in assignments:
                assert light_after(html, f'id="assignment-{a.pk}"') == lights[a.pk], (a, who)
        # the dashboard's light: the list behind the task's section, for the office and leader
        for who in (OFFICE, LEADER):
            html = page(
                clients[who], f"/dashboard/why/?period={period.code}&section={task.section_id}"
            )
            shown = re.search(rf'id="task-{task.pk}" data-light="(\w+)"', html)
            assert shown and shown.group(1) == expected, (task.code, who)
        # 我的任务 and the unit's 总览, for the units of the sample reporters that hold it
        for who, unit in sample["units"].items():
            held = [a for a in assignments if a.unit_id == unit.pk or unit in a.unit.members.all()]
            if not held:
                continue
            my = page(clients[who], f"/my/?period={period.code}")
            rows = re.findall(
                rf'data-code="{re.escape(task.code)}">.*?<div class="duty-light">'
                r'\s*<span class="light light-(\w+)"',
                my,
                re.S,
            )
            assert sorted(rows) == sorted(lights[a.pk] for a in held), (task.code, who)
            for reader in (who, OFFICE, LEADER):
                board = page(clients[reader], f"/dashboard/units/{unit.pk}/?period={period.code}")
                for a in held:
                    assert light_after(board, f'data-assignment="{a.pk}"') == lights[a.pk]


def test_a_demo_projects_light_is_the_same_on_its_page_and_the_dashboard(clients, sample) -> None:
    demo = sample["demo"]
    dashboard = api(clients[OFFICE], sample["period"].code)
    expected = next(d["light"] for d in dashboard["demos"] if d["id"] == demo.pk)
    assert next(d["light"] for d in api(clients[LEADER], sample["period"].code)["demos"]
                if d["id"] == demo.pk) == expected  # fmt: skip
    for who in ROLES:
        html = page(clients[who], f"/demos/{demo.pk}/")
        assert light_after(html, 'aria-label="当前灯色"') == expected, who


def test_a_returned_report_lights_nobody_and_shows_only_to_those_who_may_see_it(
    clients, sample
) -> None:
    returned = sample["returned"]
    task, period = returned.assignment.task, sample["period"]
    for who in (OFFICE, LEADER):
        why = page(clients[who], f"/dashboard/why/?period={period.code}&section={task.section_id}")
        assert f"/reports/{returned.pk}/" not in why, who  # not a reason: it does not count
    leader_task_page = page(clients[LEADER], f"/plan/tasks/{task.pk}/")
    assert f"/reports/{returned.pk}/" not in leader_task_page
    assert clients[LEADER].get(f"/reports/{returned.pk}/").status_code == 404
    # the API's light of a returned report is grey, for the office that may read it
    response = clients[OFFICE].get(f"/api/progress-reports/{returned.pk}/")
    assert response.status_code == 200
    assert response.json()["light"] == "grey"
    assert response.json()["state"] == "returned"
