"""The browser pages: login, the plan browser, units, demos, targets; all in Chinese, all local."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from demos.models import DemoProject
from tasks.models import Section, Task
from tests.plan.factories import add_tasks
from units.models import Unit, User

pytestmark = pytest.mark.django_db

PAGES = ["/plan/", "/units/", "/demos/", "/plan/indicators/"]


@pytest.fixture
def browser(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_login_page_is_in_chinese_and_loads_nothing_from_outside() -> None:
    response = Client().get("/accounts/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="zh-Hans"' in html and "登录督查平台" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)


@pytest.mark.parametrize("path", [*PAGES, "/plan/tasks/1/", "/units/1/", "/demos/1/"])
def test_pages_send_anonymous_visitors_to_the_login_page(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_logging_in_with_a_wrong_password_says_so_in_chinese(user: User) -> None:
    response = Client().post("/accounts/login/", {"username": user.username, "password": "x"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_logging_in_opens_the_units_work_list(user: User) -> None:
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": "pw-for-tests-1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("reporting:my-tasks")
    assert "我的任务" in response.content.decode()


def test_the_plan_browser_shows_all_57_rows_grouped_with_the_lead_unit_marked(
    browser: Client,
) -> None:
    html = browser.get("/plan/").content.decode()
    assert html.count('class="task-row"') == 57
    assert "共 57 项" in html
    for section in Section.objects.all():
        assert f"{section.number}{section.title}" in html
    assert "4.人工智能+公共安全" in html and "四、保障措施" in html
    assert html.count('<span class="visually-hidden">（牵头）</span>') == 57  # one lead a row
    assert Task.objects.get(seq=22).content in html


def test_searching_and_filtering_the_plan_browser(browser: Client) -> None:
    html = browser.get("/plan/", {"search": "自动驾驶"}).content.decode()
    assert html.count('class="task-row"') == 1 and "（已筛选）" in html
    section = Section.objects.get(code="3.5")
    html = browser.get("/plan/", {"section": section.pk}).content.decode()
    assert html.count('class="task-row"') == 17
    unit = Unit.objects.get(name="市委网信办")
    html = browser.get("/plan/", {"unit": unit.pk}).content.decode()
    assert html.count('class="task-row"') == 1
    html = browser.get("/plan/", {"search": "不存在的内容"}).content.decode()
    assert "没有符合条件的任务" in html


def test_a_bad_filter_value_shows_a_chinese_message_not_an_error(browser: Client) -> None:
    response = browser.get("/plan/", {"section": "not-a-number"})
    assert response.status_code == 200
    assert "筛选条件有误" in response.content.decode()


def test_task_text_is_escaped(browser: Client) -> None:
    task = Task.objects.get(seq=1)
    Task.objects.filter(pk=task.pk).update(content="<script>alert(1)</script>")
    html = browser.get(f"/plan/tasks/{task.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_the_unit_page_lists_lead_and_co_assignments_and_those_via_groups(browser: Client) -> None:
    unit = Unit.objects.get(name="高新区管委会")
    response = browser.get(f"/units/{unit.pk}/")
    html = response.content.decode()
    assert "合肥高新技术产业开发区管理委员会" in html
    duties = response.context["task_duties"]
    assert any(d.via and d.via.name == "开发区管委会" for d in duties)
    assert {d.assignment.task.code for d in duties if d.role == "lead" and not d.via} == {
        "3.3.6-2",
        "3.5.2-2",
        "3.5.2-5",
        "3.5.3-3",
    }
    assert "经由“开发区管委会”" in html
    assert "智慧学校" in html  # a demo project it leads


def test_the_demo_list_shows_the_twelve_projects_with_their_periods(browser: Client) -> None:
    html = browser.get("/demos/").content.decode()
    for demo in DemoProject.objects.all():
        assert demo.name in html
    assert "2019-2020年" in html and "共 12 项" in html


def test_the_targets_page_shows_each_indicator_per_year(browser: Client) -> None:
    html = browser.get("/plan/indicators/").content.decode()
    assert "人工智能授权发明专利" in html and "≥50 项" in html and "5–8 个" in html


@pytest.mark.parametrize("path", PAGES)
def test_pages_take_a_fixed_number_of_queries_whatever_the_data_size(
    browser: Client, path: str
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert browser.get(path).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    add_tasks(30)
    assert count() == small


def test_the_admin_is_in_chinese_and_lists_every_model(db: None) -> None:
    admin = User.objects.create_superuser("root", password="pw-for-tests-1")
    client = Client()
    client.force_login(admin)
    html = client.get("/admin/").content.decode()
    for label in [
        "单位",
        "单位集合",
        "用户",
        "任务",
        "责任分工",
        "示范工程",
        "目标指标",
        "实施方案",
    ]:
        assert label in html
    for path in [
        "/admin/tasks/task/?q=骆岗",
        "/admin/units/unitgroup/",
        "/admin/units/unit/",
        "/admin/demos/demoproject/",
        "/admin/tasks/indicator/",
        "/admin/tasks/assignment/",
        "/admin/units/user/",
    ]:
        assert client.get(path).status_code == 200, path
    group = Unit.objects.get(name="开发区管委会")
    assert client.get(f"/admin/units/unitgroup/{group.pk}/change/").status_code == 200


def test_admin_unit_lookup_offers_groups_for_assignments_but_not_for_users(db: None) -> None:
    admin = User.objects.create_superuser("root", password="pw-for-tests-1")
    client = Client()
    client.force_login(admin)

    def lookup(model: tuple[str, str]) -> list[str]:
        response = client.get(
            "/admin/autocomplete/",
            {"term": "开发区", "app_label": model[0], "model_name": model[1], "field_name": "unit"},
        )
        assert response.status_code == 200
        return [r["text"] for r in response.json()["results"]]

    assert "开发区管委会" in lookup(("tasks", "assignment"))
    assert "开发区管委会" not in lookup(("units", "user"))


def test_the_admin_member_selector_speaks_chinese(db: None) -> None:
    admin = User.objects.create_superuser("root", password="pw-for-tests-1")
    client = Client()
    client.force_login(admin)
    catalog = client.get("/admin/jsi18n/").content.decode()
    assert "\\u5168\\u9009" in catalog or "全选" in catalog  # 全选%s: "Choose all %s"
