"""The read API: shapes other tools rely on, filters, errors, authentication, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tasks.models import Section, Task
from tests.plan.factories import add_tasks
from units.models import Unit, User

pytestmark = pytest.mark.django_db


def task_by_seq(api: APIClient, seq: int) -> dict:
    task = Task.objects.get(seq=seq)
    response = api.get(f"/api/tasks/{task.pk}/")
    assert response.status_code == 200
    return response.json()


def test_a_task_has_the_documented_shape_with_units_in_the_plans_order(api: APIClient) -> None:
    data = task_by_seq(api, 10)  # 1.人工智能+智能制造
    assert set(data) == {
        "id",
        "seq",
        "code",
        "section",
        "item",
        "content",
        "note",
        "requires_plan",
        "units",
    }
    assert data["seq"] == 10 and data["code"] == "3.3.1"
    assert set(data["section"]) == {"id", "code", "title"}
    assert data["section"]["title"] == "打造人工智能应用示范"
    assert data["item"] == {"id": data["item"]["id"], "number": 1, "title": "人工智能+智能制造"}
    assert data["note"] == "制定实施方案" and data["requires_plan"] is True
    assert [(u["name"], u["kind"], u["role"]) for u in data["units"]] == [
        ("市经信局", "municipal", "lead"),
        ("市科技局", "municipal", "co"),
        ("各县（市）区政府", "group", "co"),
        ("开发区管委会", "group", "co"),
    ]
    group = Unit.objects.get(name="各县（市）区政府")
    assert data["units"][2]["id"] == group.pk


def test_a_safeguard_task_has_no_item(api: APIClient) -> None:
    data = task_by_seq(api, 45)
    assert data["item"] is None
    assert data["units"] == [
        {
            "id": Unit.objects.get(name="各牵头单位").pk,
            "name": "各牵头单位",
            "kind": "group",
            "role": "lead",
        }
    ]


def test_all_57_tasks_in_one_page_with_page_size(api: APIClient) -> None:
    data = api.get("/api/tasks/", {"page_size": 1000}).json()
    assert data["count"] == 57 and len(data["results"]) == 57
    assert [t["seq"] for t in data["results"]] == list(range(1, 58))
    assert api.get("/api/tasks/").json()["results"].__len__() == 50  # default page size


def test_filter_by_section_unit_and_search(api: APIClient) -> None:
    section = Section.objects.get(code="3.1")
    data = api.get("/api/tasks/", {"section": section.pk}).json()
    assert [t["seq"] for t in data["results"]] == [1, 2, 3]

    judicial = Unit.objects.get(name="市司法局")
    assert [t["code"] for t in api.get("/api/tasks/", {"unit": judicial.pk}).json()["results"]] == [
        "3.2.3"
    ]

    # a district answers for the tasks given to 各县（市）区政府 as well as its own
    baohe = Unit.objects.get(name="包河区政府")
    codes = {
        t["code"]
        for t in api.get("/api/tasks/", {"unit": baohe.pk, "page_size": 100}).json()["results"]
    }
    assert "3.3.6-4" in codes and "3.3.1" in codes and len(codes) == 11

    lead_only = api.get("/api/tasks/", {"unit": str(judicial.pk), "role": "lead"}).json()
    assert lead_only["count"] == 0

    found = api.get("/api/tasks/", {"search": "骆岗"}).json()["results"]
    assert [t["code"] for t in found] == ["3.3.6-1"]
    by_unit_name = api.get("/api/tasks/", {"search": "市医保局"}).json()["results"]
    assert [t["code"] for t in by_unit_name] == ["4.2-3"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"section": "999999"}, "section"),
        ({"section": "abc"}, "section"),
        ({"unit": "-1"}, "unit"),
        ({"role": "boss"}, "role"),
        ({"page_size": "5000"}, "page_size"),
        ({"page_size": "zero"}, "page_size"),
        ({"requires_plan": "maybe"}, "requires_plan"),
    ],
)
def test_bad_filter_values_are_a_400_naming_the_field(
    api: APIClient, params: dict, field: str
) -> None:
    response = api.get("/api/tasks/", params)
    assert response.status_code == 400
    body = response.json()
    assert field in body["extra"]["fields"]
    assert field in body["message"] and "请求参数有误" in body["message"]


def test_unknown_ids_are_404_with_a_chinese_message(api: APIClient) -> None:
    for path in [
        "/api/tasks/999999/",
        "/api/units/999999/",
        "/api/demos/999999/",
        "/api/indicators/999999/",
        "/api/sections/999999/",
    ]:
        response = api.get(path)
        assert response.status_code == 404, path
        assert response.json()["message"] == "未找到。"
    assert api.get("/api/tasks/", {"page": 99}).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/tasks/",
        "/api/sections/",
        "/api/units/",
        "/api/demos/",
        "/api/indicators/",
        "/api/schema/",
        "/api/docs/",
    ],
)
def test_nothing_is_served_to_anonymous_callers(anon_api: APIClient, path: str) -> None:
    response = anon_api.get(path)
    assert response.status_code in (401, 403)


def test_writes_are_refused(api: APIClient) -> None:
    task = Task.objects.get(seq=1)
    assert api.post("/api/tasks/", {"content": "x"}).status_code == 405
    assert api.patch(f"/api/tasks/{task.pk}/", {"content": "x"}).status_code == 405
    assert Task.objects.get(seq=1).content == task.content


def test_token_authentication(user: User) -> None:
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/units/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/units/").status_code == 401


def test_units_list_groups_with_their_members(api: APIClient) -> None:
    data = api.get("/api/units/", {"page_size": 1000}).json()
    by_name = {u["name"]: u for u in data["results"]}
    group = by_name["开发区管委会"]
    assert group["kind"] == "group" and group["kind_display"] == "单位集合"
    assert [m["name"] for m in group["members"]] == ["高新区管委会", "经开区管委会", "新站区管委会"]
    kjj = by_name["市科技局"]
    assert kjj["full_name"] == "合肥市科学技术局" and kjj["kind"] == "municipal"
    assert kjj["lead_count"] > 10
    assert {g["name"] for g in by_name["包河区政府"]["groups"]} == {"各县（市）区政府"}
    only_groups = api.get("/api/units/", {"kind": "group"}).json()
    assert only_groups["count"] == 3


def test_demos_have_the_documented_shape(api: APIClient) -> None:
    data = api.get("/api/demos/").json()
    assert data["count"] == 12
    first = data["results"][1]
    assert set(first) == {
        "id",
        "plan",
        "seq",
        "field",
        "name",
        "hosts",
        "start_year",
        "end_year",
        "units",
        "task",
    }
    assert first["name"] == "大众汽车集团（中国）智慧城市"
    assert first["hosts"] == ["大众汽车集团（中国）", "江淮汽车", "逸驾智能科技有限公司"]
    assert (first["start_year"], first["end_year"]) == (2019, 2023)
    assert [(u["name"], u["role"]) for u in first["units"]] == [
        ("市经信局", "lead"),
        ("市公安局", "co"),
        ("市交通运输局", "co"),
        ("经开区管委会", "co"),
    ]
    assert first["task"] == Task.objects.get(code="3.3.6-4").pk
    assert data["results"][3]["task"] is None


def test_indicators_have_targets_per_year(api: APIClient) -> None:
    data = api.get("/api/indicators/").json()
    assert data["count"] >= 10
    platforms = next(i for i in data["results"] if i["code"] == "innovation-platforms")
    assert platforms["name"] == "人工智能创新平台" and platforms["measure"] == "个"
    assert platforms["targets"] == [{"year": 2023, "min": 5, "max": 8, "cumulative": True}]


def test_sections_list_their_items(api: APIClient) -> None:
    data = api.get("/api/sections/").json()
    assert data["count"] == 9
    demo = next(s for s in data["results"] if s["code"] == "3.3")
    assert [i["title"] for i in demo["items"]][3:5] == ["人工智能+公共安全", "人工智能+社会治理"]


def test_the_schema_and_its_docs_page_are_served_without_outside_hosts(api: APIClient) -> None:
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in [
        "/api/tasks/",
        "/api/tasks/{id}/",
        "/api/units/",
        "/api/demos/",
        "/api/indicators/",
        "/api/sections/",
    ]:
        assert path in paths
    docs = api.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html and "http://" not in html and "https://" not in html


def list_queries(api: APIClient, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(path, {"page_size": 1000}).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "path", ["/api/tasks/", "/api/demos/", "/api/units/", "/api/indicators/", "/api/sections/"]
)
def test_lists_take_a_fixed_number_of_queries_whatever_their_size(
    api: APIClient, path: str
) -> None:
    small = list_queries(api, path)
    add_tasks(40)
    assert list_queries(api, path) == small


def test_listing_all_tasks_with_their_units_takes_three_queries(
    api: APIClient, django_assert_num_queries
) -> None:
    api.get("/api/units/")  # authenticate outside the count
    with django_assert_num_queries(3):  # count, tasks with section and item, assignments
        api.get("/api/tasks/", {"page_size": 1000})
    add_tasks(100)
    with django_assert_num_queries(3):
        data = api.get("/api/tasks/", {"page_size": 1000}).json()
    assert data["count"] == 157
