"""Identity (等保 2.0 身份鉴别): the password rules, their history and rotation, the lockout on
both ways in, its unlock by an administrator, and throttling of the token endpoint."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from tests.units.factories import make_user
from units.models import PasswordHistory, Role, User
from units.services import password_problems, user_password_change

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"  # tests.units.factories.make_user's (3 classes, no username)
LOCKED = "登录失败次数过多（15 分钟内 5 次），账号已锁定 30 分钟。请稍后再试，或请系统管理员解锁。"


@pytest.fixture
def person(db: None) -> User:
    return make_user("zhangsan", Role.REPORTER, "市科技局")


# --- the rules ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!xyz", "密码太短，至少需要 8 个字符。"),
        ("abcdefgh12", "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。"),
        ("ABCDEFGH!!", "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。"),
        ("Zhangsan-2024", "密码不能包含用户名。"),
        ("xx-ZHANGSAN-9", "密码不能包含用户名。"),
    ],
)
def test_each_password_rule_says_what_is_wrong_in_chinese(
    person: User, password: str, message: str
) -> None:
    assert message in password_problems(password, user=person)


@pytest.mark.parametrize("password", ["Hefei-AI-2024", "合肥试验区ab12", "kjj-Report9"])
def test_a_password_with_three_classes_and_no_username_is_accepted(
    person: User, password: str
) -> None:
    assert password_problems(password, user=person) == []


def test_composition_is_a_setting(settings: Settings, person: User) -> None:
    assert "密码须包含" in " ".join(password_problems("abcdefgh12x", user=person))
    settings.AUTH_PASSWORD_VALIDATORS = [  # Django drops its cached validators on this change
        v for v in settings.AUTH_PASSWORD_VALIDATORS if "Composition" not in v["NAME"]
    ]
    assert password_problems("abcdefgh12x", user=person) == []


def test_none_of_the_last_three_passwords_comes_back(person: User) -> None:
    history = ["Hefei-AI-2021", "Hefei-AI-2022", "Hefei-AI-2023", "Hefei-AI-2024"]
    for password in history:
        assert password_problems(password, user=person) == []
        user_password_change(user=person, password=password)
    reused = "新密码不能与最近 3 次使用过的密码相同。"
    for password in history[1:]:
        assert reused in password_problems(password, user=person)
    assert password_problems(history[0], user=person) == []  # four changes ago: allowed
    assert PasswordHistory.objects.filter(user=person).count() == 3
    assert all(h.password.startswith("md5$") for h in PasswordHistory.objects.all())  # hashes


def test_the_change_page_refuses_a_weak_password_with_the_rules_message(person: User) -> None:
    client = Client()
    client.force_login(person)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "abcdefgh12", "new_password2": "abcdefgh12"},
    )
    assert response.status_code == 200
    assert "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。" in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_an_existing_password_that_breaks_the_rules_still_logs_in() -> None:
    """The demo accounts' passwords are never re-validated at login."""
    user = make_user("office-demo", Role.OFFICE, "市科技局")
    user.set_password("office-demo-2020")
    user.save()
    response = Client().post(
        "/accounts/login/", {"username": "office-demo", "password": "office-demo-2020"}
    )
    assert response.status_code == 302


# --- rotation ------------------------------------------------------------------------------------


def test_a_password_older_than_90_days_must_be_changed_first(person: User) -> None:
    User.objects.filter(pk=person.pk).update(
        password_changed_at=timezone.now() - timedelta(days=91)
    )
    client = Client()
    client.force_login(person)
    page = client.get("/my/")
    assert page.status_code == 302 and page["Location"].startswith("/accounts/password/change/")
    form = client.get(page["Location"])
    assert "您的密码已超过 90 天未修改" in form.content.decode()
    api = client.get("/api/tasks/")
    assert api.status_code == 403
    assert api.json()["message"] == "密码已超过规定期限未修改，请先修改密码。"
    changed = client.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "Hefei-AI-2024",
            "new_password2": "Hefei-AI-2024",
        },
    )
    assert changed.status_code == 302
    assert client.get("/my/").status_code == 200


def test_a_password_of_89_days_or_rotation_off_is_not_held(
    person: User, settings: Settings
) -> None:
    User.objects.filter(pk=person.pk).update(
        password_changed_at=timezone.now() - timedelta(days=89)
    )
    client = Client()
    client.force_login(person)
    assert client.get("/my/").status_code == 200
    User.objects.filter(pk=person.pk).update(
        password_changed_at=timezone.now() - timedelta(days=400)
    )
    settings.PASSWORD_MAX_AGE_DAYS = 0
    assert client.get("/my/").status_code == 200


def test_an_account_made_by_the_services_starts_its_clock(db: None) -> None:
    from units.services import user_create

    user = user_create(
        username="lisi", role="reporter", unit_name="市科技局", password="Hefei-AI-2024"
    ).user
    assert user.password_changed_at is not None
    assert PasswordHistory.objects.filter(user=user).count() == 1


# --- lockout -------------------------------------------------------------------------------------


def login(client: Client, password: str, username: str = "zhangsan") -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def token(client: APIClient, password: str, username: str = "zhangsan") -> Any:
    return client.post("/api/auth/token/", {"username": username, "password": password})


def test_five_failures_on_the_login_page_lock_the_account_for_30_minutes(person: User) -> None:
    client = Client()
    for _ in range(4):
        assert login(client, "wrong").status_code == 200
    fifth = login(client, "wrong")
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode()
    right = login(client, PASSWORD)
    assert right.status_code == 429 and "_auth_user_id" not in client.session
    assert token(APIClient(), PASSWORD).status_code == 429  # the API is locked as well
    with time_machine.travel(timezone.now() + timedelta(minutes=29)):
        assert login(Client(), PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert login(Client(), PASSWORD).status_code == 302


def test_five_failures_on_the_token_endpoint_lock_the_account(person: User) -> None:
    client = APIClient()
    for _ in range(4):
        response = token(client, "wrong")
        assert response.status_code == 400
    fifth = token(client, "wrong")
    assert fifth.status_code == 429
    assert fifth.json()["message"] == LOCKED
    assert set(fifth.json()) == {"message", "extra"}
    assert fifth.json()["extra"]["locked_until"]
    assert token(client, PASSWORD).status_code == 429
    assert login(Client(), PASSWORD).status_code == 429  # and so is the login page


def test_failures_spread_over_more_than_15_minutes_do_not_lock(person: User) -> None:
    start = timezone.now()
    for minutes in (0, 4, 8, 12, 16):
        with time_machine.travel(start + timedelta(minutes=minutes)):
            assert login(Client(), "wrong").status_code == 200
    with time_machine.travel(start + timedelta(minutes=17)):
        assert login(Client(), PASSWORD).status_code == 302


def test_other_accounts_are_not_locked(person: User) -> None:
    make_user("lisi", Role.REPORTER, "市科技局")
    for _ in range(5):
        login(Client(), "wrong")
    assert login(Client(), PASSWORD, username="lisi").status_code == 302


def test_an_administrator_unlocks_in_the_user_admin(person: User) -> None:
    for _ in range(5):
        login(Client(), "wrong")
    assert login(Client(), PASSWORD).status_code == 429
    admin = make_user("root", Role.ADMIN, None)
    User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(User.objects.get(pk=admin.pk))
    response = client.post(
        "/admin/units/user/", {"action": "unlock", "_selected_action": [person.pk]}, follow=True
    )
    assert "已解除登录锁定：zhangsan。" in response.content.decode()
    assert login(Client(), PASSWORD).status_code == 302


def test_the_token_endpoint_is_throttled_per_client(person: User, settings: Settings) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/minute", "auth_token": "3/minute"},
    }
    client = APIClient(REMOTE_ADDR="10.11.12.13")
    for _ in range(3):
        assert token(client, PASSWORD).status_code == 200
    refused = token(client, PASSWORD)
    assert refused.status_code == 429
    assert refused.json()["message"] == "请求过于频繁，请稍后再试。"
    assert token(APIClient(REMOTE_ADDR="10.11.12.14"), PASSWORD).status_code == 200
