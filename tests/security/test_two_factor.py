"""Two-factor authentication (TOTP, django-otp): enrolment, the login's second step, recovery
codes, throttling, the roles that must have it (pages and API), the token endpoint's otp, turning
it off and the administrator's reset. Codes are computed by django_otp.oath.totp from the key the
enrolment page shows, as a phone's authenticator would."""

import re
from base64 import b32decode

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from tests.units.factories import make_user
from units.models import Role, User
from units.two_factor.services import enrolment_confirm, enrolment_start

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"
PAGE = "/plan/"


def code(key: bytes, steps_ahead: int = 0) -> str:
    """The authenticator's code now (or that many 30-second steps later, within the tolerance of
    one step: django-otp refuses a step already used)."""
    return f"{totp(key, t0=-30 * steps_ahead):06d}"


def enrolled(user: User) -> tuple[bytes, list[str]]:
    """A person who has enrolled (the services the page uses); the key and recovery codes."""
    device = enrolment_start(user=user)
    key = device.bin_key
    _, codes = enrolment_confirm(user=user, code=code(key))
    return key, codes


def login(username: str = "zhangsan") -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def person(db: None) -> User:
    return make_user("zhangsan", Role.REPORTER, "市科技局")


@pytest.fixture
def no_throttle(settings: Settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def test_enrol_with_the_qr_code_page_then_login_asks_for_the_code(
    person: User, no_throttle: None
) -> None:
    client = login()
    assert client.get(PAGE).status_code == 200  # no authenticator: the password is enough
    page = client.get("/accounts/2fa/enrol/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in html
    secret = re.search(r'id="secret">([A-Z2-7 ]+)<', html)
    assert secret is not None
    groups = secret.group(1).split()
    assert all(len(g) == 4 for g in groups[:-1])
    key = b32decode("".join(groups) + "=" * (-len("".join(groups)) % 8))
    assert client.get("/accounts/2fa/enrol/").content.decode().count(secret.group(1)) == 1  # same

    wrong = client.post(
        "/accounts/2fa/enrol/", {"code": "000000" if code(key) != "000000" else "1"}
    )
    assert wrong.status_code == 400
    assert "验证码不正确" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=person, confirmed=True).exists()

    done = client.post("/accounts/2fa/enrol/", {"code": code(key)})
    assert done.status_code == 200
    shown = re.findall(
        r'<span class="border rounded px-2 py-1 d-inline-block">([a-z0-9]+)<', done.content.decode()
    )
    assert len(shown) == 10
    assert sorted(shown) == sorted(
        StaticToken.objects.filter(device__user=person).values_list("token", flat=True)
    )
    assert client.get(PAGE).status_code == 200  # this session gave a code

    # The next login: the password, then the code.
    client = login()
    held = client.get(PAGE)
    assert held.status_code == 302
    assert held["Location"] == "/accounts/2fa/verify/?next=%2Fplan%2F"
    api = client.get("/api/units/")
    assert api.status_code == 403
    assert api.json()["message"] == "请先完成两步验证（输入验证器中的 6 位验证码）。"
    assert client.get("/accounts/password/change/").status_code == 302  # nothing before the code
    refused = client.post("/accounts/2fa/verify/", {"code": "12345"})
    assert refused.status_code == 400
    assert "验证码不正确或已过期" in refused.content.decode()
    assert client.get(PAGE).status_code == 302
    passed = client.post("/accounts/2fa/verify/", {"code": code(key, 1), "next": PAGE})
    assert passed.status_code == 302
    assert passed["Location"] == PAGE
    assert client.get(PAGE).status_code == 200
    assert client.get("/api/units/").status_code == 200


def test_a_code_is_not_accepted_twice(person: User, no_throttle: None) -> None:
    key, _ = enrolled(person)
    client = login()
    assert client.post("/accounts/2fa/verify/", {"code": code(key, 1)}).status_code == 302
    other = login()
    assert other.post("/accounts/2fa/verify/", {"code": code(key, 1)}).status_code == 400


def test_a_recovery_code_works_once(person: User, no_throttle: None) -> None:
    _, codes = enrolled(person)
    client = login()
    used = client.post("/accounts/2fa/verify/", {"code": codes[0].upper()}, follow=True)
    assert used.status_code == 200
    assert "您使用了一个恢复码（每个只能用一次），还剩 9 个。" in used.content.decode()
    assert client.get(PAGE).status_code == 200
    again = login()
    assert again.post("/accounts/2fa/verify/", {"code": codes[0]}).status_code == 400
    assert again.get(PAGE).status_code == 302


def test_repeated_wrong_codes_are_throttled(person: User) -> None:
    key, _ = enrolled(person)
    client = login()
    assert client.post("/accounts/2fa/verify/", {"code": "000001"}).status_code == 400
    throttled = client.post("/accounts/2fa/verify/", {"code": code(key, 1)})
    assert throttled.status_code == 400
    assert "验证码错误次数过多，请" in throttled.content.decode()
    assert client.get(PAGE).status_code == 302


def test_the_roles_that_require_it_are_sent_to_enrolment_first(
    settings: Settings, no_throttle: None
) -> None:
    settings.OTP_REQUIRED_ROLES = ["office", "admin"]
    make_user("office1", Role.OFFICE, None)
    make_user("zhangsan", Role.REPORTER, "市科技局")
    assert login("zhangsan").get(PAGE).status_code == 200  # not a required role

    client = login("office1")
    held = client.get(PAGE)
    assert held.status_code == 302
    assert held["Location"].startswith("/accounts/2fa/enrol/")
    api = client.get("/api/units/")
    assert api.status_code == 403
    assert api.json() == {
        "message": "您的角色须启用两步验证：请先绑定验证器。",
        "extra": {"url": "/accounts/2fa/enrol/"},
    }
    token = APIClient().post("/api/auth/token/", {"username": "office1", "password": PASSWORD})
    assert token.status_code == 403
    assert "须启用两步验证" in token.json()["message"]

    page = client.get("/accounts/2fa/enrol/")
    assert "您的角色须启用两步验证" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="office1", confirmed=False)
    assert client.post("/accounts/2fa/enrol/", {"code": code(device.bin_key)}).status_code == 200
    assert client.get(PAGE).status_code == 200

    # The office may not turn it off.
    office = User.objects.get(username="office1")
    refused = client.post("/accounts/2fa/disable/", {"code": code(device.bin_key, 1)}, follow=True)
    assert "您的角色必须使用两步验证，不能关闭" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=office, confirmed=True).exists()


def test_the_setting_empty_lets_the_office_in_with_the_password(
    settings: Settings,
) -> None:
    settings.OTP_REQUIRED_ROLES = []
    make_user("office1", Role.OFFICE, None)
    assert login("office1").get(PAGE).status_code == 200
    token = APIClient().post("/api/auth/token/", {"username": "office1", "password": PASSWORD})
    assert token.status_code == 200


def test_a_person_turns_it_off_with_a_current_code(person: User, no_throttle: None) -> None:
    key, codes = enrolled(person)
    client = login()
    assert client.post("/accounts/2fa/verify/", {"code": codes[0]}).status_code == 302
    wrong = client.post("/accounts/2fa/disable/", {"code": "99999x"}, follow=True)
    assert "验证码不正确或已过期" in wrong.content.decode()
    assert TOTPDevice.objects.filter(user=person).exists()
    off = client.post("/accounts/2fa/disable/", {"code": code(key, 1)}, follow=True)
    assert "两步验证已关闭。" in off.content.decode()
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticToken.objects.filter(device__user=person).exists()
    assert login().get(PAGE).status_code == 200


def test_the_token_endpoint_wants_the_code_of_a_person_with_an_authenticator(
    person: User, no_throttle: None
) -> None:
    key, codes = enrolled(person)
    api = APIClient()
    data = {"username": "zhangsan", "password": PASSWORD}
    missing = api.post("/api/auth/token/", data)
    assert missing.status_code == 400
    assert missing.json()["message"].startswith("您已启用两步验证：请同时提供 otp")
    wrong = api.post(
        "/api/auth/token/", {**data, "otp": "000000" if code(key, 1) != "000000" else "1"}
    )
    assert wrong.status_code == 401
    assert wrong.json()["message"].startswith("验证码不正确或已过期")
    right = api.post("/api/auth/token/", {**data, "otp": code(key, 1)})
    assert right.status_code == 200
    token = right.json()["token"]
    assert APIClient(HTTP_AUTHORIZATION=f"Token {token}").get("/api/units/").status_code == 200
    assert api.post("/api/auth/token/", {**data, "otp": codes[3]}).status_code == 200
    bad_password = api.post("/api/auth/token/", {**data, "password": "nope", "otp": codes[4]})
    assert bad_password.status_code == 400
    assert StaticToken.objects.filter(token=codes[4]).exists()  # not spent on a wrong password


def test_an_administrator_resets_the_second_factor_in_the_user_admin(
    person: User, no_throttle: None
) -> None:
    enrolled(person)
    admin = make_user("root", Role.ADMIN, None)
    User.objects.filter(pk=admin.pk).update(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(User.objects.get(pk=admin.pk))
    response = client.post(
        "/admin/units/user/",
        {"action": "reset_two_factor", "_selected_action": [person.pk]},
        follow=True,
    )
    assert "已重置两步验证：zhangsan。" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=person).exists()
    assert not StaticToken.objects.filter(device__user=person).exists()
    assert login().get(PAGE).status_code == 200  # the password alone, until enrolled again


def test_wrong_codes_at_enrolment_are_throttled_too(person: User) -> None:
    client = login()
    assert client.get("/accounts/2fa/enrol/").status_code == 200
    key = TOTPDevice.objects.get(user=person, confirmed=False).bin_key
    wrong = "000000" if code(key) != "000000" else "111111"
    assert client.post("/accounts/2fa/enrol/", {"code": wrong}).status_code == 400
    throttled = client.post("/accounts/2fa/enrol/", {"code": code(key)})
    assert throttled.status_code == 400
    assert "验证码错误次数过多，请" in throttled.content.decode()
    assert not TOTPDevice.objects.filter(user=person, confirmed=True).exists()
