"""The API's one error shape for Django's own ValidationError (a model's full_clean() in a
service, a validator): a 400 naming the fields, never a 500."""

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def failing_views(settings: Settings) -> None:
    settings.DEBUG = False
    settings.ROOT_URLCONF = "tests.error_urls"  # the project's URLs plus views that fail


def test_a_models_validation_error_is_a_400_naming_its_fields() -> None:
    response = Client(raise_request_exception=False).get("/api/test-errors/invalid/")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"message", "extra"}
    fields = body["extra"]["fields"]
    assert {"name", "kind"} <= set(fields)
    assert all(isinstance(m, str) and m for messages in fields.values() for m in messages)
    assert fields["name"] == ["此字段不能为空。"]  # Django's own message, in Chinese
    assert body["message"].startswith("以下内容有误：") and "name" in body["message"]


def test_a_validation_error_of_the_whole_object_says_so() -> None:
    response = Client().get("/api/test-errors/invalid/", {"whole": "1"})
    assert response.status_code == 400
    assert response.json() == {
        "message": "测试用：整个对象有误。",
        "extra": {"fields": {"non_field_errors": ["测试用：整个对象有误。"]}},
    }
