"""Error pages with DEBUG off: a Chinese page in the site's layout for people, the API's one JSON
shape under /api/; the API docs page sends a visitor to the login page; 接口文档 in the menu only
for the office and the administrator."""

from typing import Any

import pytest
from django.test import Client, RequestFactory
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings

from hefei_ai_zone.views import SERVER_ERROR_MESSAGE, server_error
from units.models import User

pytestmark = pytest.mark.django_db

TEST_URLS = "tests.error_urls"  # the project's URLs plus views that fail on purpose


@pytest.fixture(autouse=True)
def production_like(settings: Settings) -> None:
    settings.DEBUG = False


@pytest.fixture
def failing_views(settings: Settings) -> None:
    settings.ROOT_URLCONF = TEST_URLS


def logged_in(user: User, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def in_site_layout(html: str) -> bool:
    return (
        'lang="zh-Hans"' in html
        and "app-navbar" in html
        and "/static/css/app.css" in html
        and "合肥人工智能试验区督查平台" in html  # the title
        and "领导小组办公室 · 督查平台" in html  # the footer
        and '<a class="btn btn-primary" href="/">返回首页</a>' in html
    )


# --- pages ------------------------------------------------------------------------------------


def test_a_missing_page_says_so_in_chinese_with_the_users_menu(people: dict[str, User]) -> None:
    office = people["office"]
    office.last_name, office.first_name = "欧阳", "晓明"
    office.save()
    response = logged_in(office).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>页面不存在 · " in html and "您要访问的页面不存在" in html
    assert in_site_layout(html)
    assert '<span class="app-user-name">欧阳晓明</span>' in html and "审核</a>" in html


def test_a_task_that_does_not_exist_is_the_same_chinese_page(user: User) -> None:
    response = logged_in(user).get("/plan/tasks/999999/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_an_anonymous_visitor_gets_the_missing_page_without_a_menu() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert in_site_layout(html) and "页面不存在" in html
    assert "app-user" not in html and "navbar-toggler" not in html


def test_a_refused_page_is_a_chinese_403_page(failing_views: None, user: User) -> None:
    response = logged_in(user).get("/test-errors/forbid/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "<title>没有权限访问 · " in html and "您的账号没有访问此页面的权限" in html
    assert in_site_layout(html) and "app-user-name" in html


def test_a_bad_request_is_a_chinese_400_page(failing_views: None) -> None:
    response = Client().get("/test-errors/bad/")
    assert response.status_code == 400
    html = response.content.decode()
    assert "<title>请求有误 · " in html and in_site_layout(html)


def test_a_crash_is_a_chinese_500_page_that_asks_nothing_of_the_database(
    failing_views: None, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/test-errors/crash/")
    assert response.status_code == 500
    html = response.content.decode()
    assert (
        "<title>系统出错了 · " in html and "系统出错了，请稍后再试" in html and "错误已记录" in html
    )
    assert in_site_layout(html)
    assert "测试用" not in html  # nothing of the exception reaches the page


def test_a_logged_in_user_gets_the_same_500_page_without_their_menu(
    failing_views: None, user: User
) -> None:
    response = logged_in(user, raise_request_exception=False).get("/test-errors/crash/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "系统出错了，请稍后再试" in html and in_site_layout(html)
    assert "app-user" not in html  # rendered without the request: no user, no query


def test_the_500_handler_itself_makes_no_query(
    user: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    request = RequestFactory().get("/plan/")
    request.user = user
    with django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert "系统出错了，请稍后再试" in response.content.decode()


def test_should_the_500_template_fail_a_plain_chinese_page_still_answers(
    failing_views: None, settings: Settings
) -> None:
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": []}]  # templates/500.html is gone
    response = Client(raise_request_exception=False).get("/test-errors/crash/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>系统出错了</h1>" in html and '<a href="/">返回首页</a>' in html


# --- /api/ ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/nope", "/api/nope/", "/api/tasks/1/nope/"])
def test_an_unknown_api_path_answers_the_json_error_shape(user: User, path: str) -> None:
    for client in (Client(), logged_in(user)):
        response = client.get(path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json() == {"message": "未找到。", "extra": {}}


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/api/test-errors/crash/", 500, SERVER_ERROR_MESSAGE),
        ("/api/test-errors/drf-crash/", 500, SERVER_ERROR_MESSAGE),
        ("/api/test-errors/forbid/", 403, "没有权限执行此操作。"),
    ],
)
def test_api_errors_outside_drf_answer_the_json_error_shape(
    failing_views: None, path: str, status: int, message: str
) -> None:
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == status
    assert response.json() == {"message": message, "extra": {}}
    assert "测试用" not in response.content.decode()


# --- the API docs page ------------------------------------------------------------------------


def test_an_anonymous_visitor_of_the_api_docs_logs_in_and_comes_back(user: User) -> None:
    client = Client()
    response = client.get("/api/docs/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/api/docs/"
    response = client.post(
        response["Location"],
        {"username": user.username, "password": "pw-for-tests-1", "next": "/api/docs/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/api/docs/"
    assert response.status_code == 200 and "swagger-ui" in response.content.decode()


def test_a_program_without_credentials_gets_the_apis_401_for_the_docs_and_the_schema() -> None:
    docs = Client().get("/api/docs/")
    assert docs.status_code == 401
    assert docs.json()["message"] == "请先登录。" and set(docs.json()) == {"message", "extra"}
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 401
    assert schema.json()["message"] == "请先登录。"


# --- the menu ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "sees_api_docs"),
    [
        ("kjj_reporter", False),
        ("kjj_approver", False),
        ("leader", False),
        ("office", True),
        ("admin", True),
    ],
)
def test_the_api_docs_menu_item_is_for_the_office_and_the_administrator(
    people: dict[str, User], person: str, sees_api_docs: bool
) -> None:
    html = logged_in(people[person]).get("/plan/").content.decode()
    assert ('href="/api/docs/">接口文档</a>' in html) is sees_api_docs
