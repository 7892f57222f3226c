"""Every /api/ answer is the one JSON error shape, 404, 405, 413 and 500 included; a page's error
is a Chinese page."""

from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from units.models import User

pytestmark = pytest.mark.django_db

BIG = 6 * 1024 * 1024  # over DATA_UPLOAD_MAX_MEMORY_SIZE (5 MB)


@pytest.fixture(autouse=True)
def failing_views(settings: Settings) -> None:
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.error_urls"  # the project's URLs plus views that fail


def logged_in(user: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def shape(response: Any) -> dict[str, Any]:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"message", "extra"}, body
    assert body["message"] and not body["message"].isascii()  # Chinese
    return body


@pytest.mark.parametrize("path", ["/api/nope/", "/api/tasks/99999999999999999999/", "/api/x²/"])
def test_an_unknown_api_path_is_a_json_404(people: dict[str, User], path: str) -> None:
    response = logged_in(people["office"]).get(path)
    assert response.status_code == 404
    shape(response)


def test_a_method_not_allowed_is_a_json_405(people: dict[str, User]) -> None:
    response = logged_in(people["office"]).delete("/api/tasks/")
    assert response.status_code == 405
    assert shape(response)["message"] == "不支持该请求方法。"


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_an_oversized_api_body_is_a_json_413(people: dict[str, User], content_type: str) -> None:
    body = b'{"narrative": "' + b"x" * BIG + b'"}'
    if content_type != "application/json":
        body = b"narrative=" + b"x" * BIG
    response = logged_in(people["kjj_reporter"]).post(
        "/api/progress-reports/", body, content_type=content_type
    )
    assert response.status_code == 413
    assert "过大" in shape(response)["message"]


def test_an_oversized_form_on_a_page_is_a_chinese_page(people: dict[str, User]) -> None:
    response = logged_in(people["office"]).post(
        "/review/", b"comment=" + b"x" * BIG, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    assert "提交的内容过大" in response.content.decode()


def test_a_body_that_is_not_json_is_a_json_400(people: dict[str, User]) -> None:
    response = logged_in(people["kjj_reporter"]).post(
        "/api/progress-reports/", b"{not json", content_type="application/json"
    )
    assert response.status_code == 400
    shape(response)


def test_a_crash_under_the_api_is_a_json_500() -> None:
    response = Client(raise_request_exception=False).get("/api/test-errors/drf-crash/")
    assert response.status_code == 500
    shape(response)


def test_a_missing_page_is_a_chinese_404(people: dict[str, User]) -> None:
    response = logged_in(people["office"]).get("/nope/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "找不到" in response.content.decode() or "不存在" in response.content.decode()
