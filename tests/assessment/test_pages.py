"""The pages and the API as each role finds them; the rules editor's messages; the export; the
facts take a fixed number of queries whatever the size."""

import io

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook  # type: ignore[import-untyped]
from rest_framework.test import APIClient

from reports.assessment import services as svc
from reports.assessment.models import AssessmentRules
from reports.assessment.selectors import year_facts
from tasks.models import Assignment, Milestone, ProgressReport, Section, Task
from tests.units.factories import UnitFactory, make_user
from units.models import Role

from .conftest import RULES_2025


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_office_sees_the_preview_with_every_part_and_the_breakdown(small, people):
    page = login(people["office"]).get("/assessment/?year=2025").content.decode()
    assert "预览（未发布）" in page and "默认考核细则" in page
    assert "从不使用登录次数、点击量或在线时长" in page
    assert "乙局" in page and "82.5" in page and "按时报送率" in page
    assert "1 / 应报 2" in page  # 甲局's breakdown: 1 of 2 on time


def test_a_units_staff_see_only_their_own_published_row(small, people):
    reporter = make_user("jia-reporter", Role.REPORTER, unit="甲局")
    client = login(reporter)
    page = client.get("/assessment/?year=2025").content.decode()
    assert "尚未发布" in page and "乙局" not in page  # never the preview
    svc.assessment_publish(actor=people["office"], year=2025)
    page = client.get("/assessment/?year=2025").content.decode()
    assert "甲局" in page and "48.0" in page and "乙局" not in page
    api = APIClient()
    api.force_authenticate(reporter)
    body = api.get("/api/assessment/?year=2025").json()
    assert body["published"] is True and [u["unit"] for u in body["units"]] == ["甲局"]


def test_the_auditor_and_unit_staff_cannot_edit_or_publish(small, people):
    reporter = make_user("jia-reporter", Role.REPORTER, unit="甲局")
    assert login(people["auditor"]).get("/assessment/").status_code == 403
    for user in (reporter, people["leader"]):
        response = login(user).post("/assessment/rules/2025/", {**RULES_2025})
        assert response.status_code == 403
        response = login(user).post("/assessment/publish/2025/", {"confirm": "1"})
        assert response.status_code == 403
    assert not AssessmentRules.objects.exists()


def test_the_rules_editor_saves_a_new_version_and_lists_the_old(small, people):
    client = login(people["office"])
    assert client.post("/assessment/rules/2025/", RULES_2025).status_code == 302
    assert client.post("/assessment/rules/2025/", {**RULES_2025, "d_orders": 3}).status_code == 302
    page = client.get("/assessment/rules/2025/").content.decode()
    assert "第2版" in page and "第1版" in page and "现行" in page
    assert list(AssessmentRules.objects.values_list("version", "d_orders").order_by("version")) == [
        (1, 2),
        (2, 3),
    ]


def test_the_rules_editor_says_what_is_wrong_in_chinese(small, people):
    client = login(people["office"])
    bad = {**RULES_2025, "w_on_time": "40", "d_urges": "-1", "d_orders": "两分"}
    response = client.post("/assessment/rules/2025/", bad)
    page = response.content.decode()
    assert response.status_code == 400 and "请填写数字。" in page
    response = client.post("/assessment/rules/2025/", {**RULES_2025, "d_urges": "-1"})
    assert response.status_code == 400 and "不能为负数。" in response.content.decode()
    response = client.post("/assessment/rules/2025/", {**RULES_2025, "w_on_time": "40"})
    assert (
        response.status_code == 400
        and "各项权重之和须为 100，现为 110。" in response.content.decode()
    )
    assert not AssessmentRules.objects.exists()


def test_publishing_from_the_page_freezes_the_ranking(small, people):
    client = login(people["office"])
    assert client.post("/assessment/publish/2025/", {"confirm": "1"}).status_code == 302
    page = client.get("/assessment/?year=2025").content.decode()
    assert "已发布" in page and "排名已固定" in page and "红黄榜 PDF" in page
    again = client.post("/assessment/publish/2025/", {"confirm": "1"})
    assert again.status_code == 400 and "请填写重新发布的理由。" in again.content.decode()


def test_the_export_holds_the_ranking(small, people):
    response = login(people["office"]).get("/assessment/?year=2025&export=xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert rows[0][:2] == ["排名", "单位"] and rows[0][-1] == "得分"
    assert [(r[0], r[1], r[-1]) for r in rows[1:]] == [
        ("1", "乙局", 82.5),
        ("2", "丙局", 70.0),
        ("3", "甲局", 48.0),
    ]


def test_the_api_answers_the_scores_and_refuses_a_bad_year_in_chinese(small, people):
    api = APIClient()
    api.force_authenticate(people["leader"])
    body = api.get("/api/assessment/?year=2025").json()
    assert body["published"] is False and body["rules"]["version"] == 0
    assert {u["unit"]: u["score"] for u in body["units"]} == {
        "甲局": 48.0,
        "乙局": 82.5,
        "丙局": 70.0,
    }
    assert body["units"][0]["parts"]["on_time"] == 0.75
    for query, message in [("", "请指定考核年度（year）。"), ("?year=abc", "考核年度须为")]:
        response = api.get(f"/api/assessment/{query}")
        assert response.status_code == 400
        assert set(response.json()) == {"message", "extra"}
        assert response.json()["message"].startswith(message)
    api.force_authenticate(people["auditor"])
    assert api.get("/api/assessment/?year=2025").status_code == 403


def grow(small, n: int) -> None:
    """n more units, each with a task, reports of both periods, milestones and a 催办."""
    section = Section.objects.get(plan=small.plan)
    for i in range(n):
        unit = UnitFactory.create()
        task = Task.objects.create(
            plan=small.plan, section=section, seq=100 + i, code=f"X{i}", content="加"
        )
        a = Assignment.objects.create(task=task, unit=unit, role="lead", order=1)
        for p in (small.q1, small.q2):
            ProgressReport.objects.create(
                period=p, assignment=a, unit=unit, state="accepted", status="on_track"
            )
        Milestone.objects.create(
            assignment=a, unit=unit, year=2025, title="节点", due_date=small.q1.end_date,
            arrangement_confirmed=True,
        )  # fmt: skip


def facts_queries() -> int:
    with CaptureQueriesContext(connection) as queries:
        year_facts(2025)
    return len(queries)


def test_the_facts_take_a_fixed_number_of_queries_whatever_the_size(small):
    small_n = facts_queries()
    grow(small, 30)
    assert len(year_facts(2025)) == 33
    assert facts_queries() == small_n <= 9
