"""Sessions and API tokens: the idle timeout, everything of a person ended by a password change or
an administrator's reset, tokens that expire and that their owner revokes."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.units.factories import make_user
from units.models import Role, User

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"
NEW = "Hefei-AI-2024"


@pytest.fixture
def person(db: None) -> User:
    return make_user("zhangsan", Role.REPORTER, "市科技局")


def logged_in(username: str = "zhangsan", password: str = PASSWORD) -> Client:
    client = Client()
    assert (
        client.post("/accounts/login/", {"username": username, "password": password}).status_code
        == 302
    )
    return client


def with_token(person: User) -> tuple[APIClient, str]:
    key = (
        APIClient()
        .post("/api/auth/token/", {"username": person.username, "password": PASSWORD})
        .json()["token"]
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client, key


def is_in(client: Client) -> bool:
    return client.get("/my/").status_code == 200


def test_a_session_ends_after_30_idle_minutes_and_each_request_extends_it(person: User) -> None:
    assert settings.SESSION_COOKIE_AGE == 1800
    client = logged_in()
    start = timezone.now()
    with time_machine.travel(start + timedelta(minutes=25)):
        assert is_in(client)
    with time_machine.travel(start + timedelta(minutes=50)):  # 25 idle minutes since
        assert is_in(client)
    with time_machine.travel(start + timedelta(minutes=81)):  # 31 idle minutes
        response = client.get("/my/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_changing_ones_password_ends_the_other_sessions_and_every_token(person: User) -> None:
    here, elsewhere = logged_in(), logged_in()
    api, _ = with_token(person)
    assert api.get("/api/tasks/").status_code == 200
    changed = here.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert changed.status_code == 302
    assert is_in(here)  # the session that changed it stays
    assert not is_in(elsewhere)
    refused = api.get("/api/tasks/")
    assert refused.status_code == 401
    assert refused.json()["message"] == "请先登录。"
    assert not Token.objects.filter(user=person).exists()


def test_an_administrators_reset_ends_every_session_and_token_and_forces_a_change(
    person: User,
) -> None:
    session = logged_in()
    api, _ = with_token(person)
    admin = make_user("root", Role.ADMIN, None)
    User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    root = Client()
    root.force_login(User.objects.get(pk=admin.pk))
    weak = root.post(
        f"/admin/units/user/{person.pk}/password/",
        {"password1": "abcdefgh12", "password2": "abcdefgh12", "usable_password": "true"},
    )
    assert weak.status_code == 200
    assert "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。" in weak.content.decode()
    reset = root.post(
        f"/admin/units/user/{person.pk}/password/",
        {"password1": NEW, "password2": NEW, "usable_password": "true"},
    )
    assert reset.status_code == 302
    assert not is_in(session)
    assert api.get("/api/tasks/").status_code == 401
    person.refresh_from_db()
    assert person.must_change_password and person.check_password(NEW)
    fresh = logged_in(password=NEW)
    assert fresh.get("/my/")["Location"].startswith("/accounts/password/change/")
    assert root.get("/admin/").status_code == 200  # the administrator's own session stays


def test_a_token_expires_after_30_days_with_a_chinese_401(person: User) -> None:
    api, key = with_token(person)
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        assert api.get("/api/tasks/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        refused = api.get("/api/tasks/")
        assert refused.status_code == 401
        assert (
            refused.json()["extra"]["detail"] == "令牌已过期，请重新获取（POST /api/auth/token/）。"
        )
        renewed, new_key = with_token(person)
        assert new_key != key
        assert renewed.get("/api/tasks/").status_code == 200


def test_the_same_token_is_given_while_it_is_valid(person: User) -> None:
    assert with_token(person)[1] == with_token(person)[1]


def test_a_person_revokes_their_own_token_through_the_api(person: User) -> None:
    api, _ = with_token(person)
    assert api.delete("/api/auth/token/").status_code == 204
    assert api.get("/api/tasks/").status_code == 401
    assert APIClient().delete("/api/auth/token/").status_code == 401


def test_a_person_revokes_their_own_token_on_the_password_page(person: User) -> None:
    api, _ = with_token(person)
    client = logged_in()
    page = client.get("/accounts/password/change/").content.decode()
    assert "撤销我的 API 令牌" in page
    response = client.post("/accounts/password/token/revoke/", follow=True)
    assert "API 令牌已撤销" in response.content.decode()
    assert api.get("/api/tasks/").status_code == 401
    assert "撤销我的 API 令牌" not in client.get("/accounts/password/change/").content.decode()


def test_an_active_session_is_written_at_most_once_a_minute(person: User) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = logged_in()
    start = timezone.now()

    def writes() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/plan/").status_code == 200
        return sum('UPDATE "django_session"' in q["sql"] for q in queries)

    with time_machine.travel(start + timedelta(seconds=30)):
        assert writes() == 0
    with time_machine.travel(start + timedelta(seconds=90)):
        assert writes() == 1
        assert writes() == 0
