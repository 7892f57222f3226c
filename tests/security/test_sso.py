"""Single sign-on against a real OpenID provider on loopback: a small provider in a thread
(http.server) with /authorize (back to the callback with a code), /token (an RS256-signed
id_token, its key made with cryptography), /userinfo and /jwks. Django's test client follows the
redirects to it; the backend talks to it over HTTP as it would to the government's platform."""

import json
import secrets
import threading
import time
from base64 import urlsafe_b64encode
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.test import Client
from pytest_django.fixtures import Settings

from tests.units.factories import make_user
from units.models import Role, Unit, User

pytestmark = pytest.mark.django_db

CLIENT_ID = "duchaping-test"
CLIENT_SECRET = "s3cret-for-tests"


def _b64(number: int) -> str:
    raw = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return urlsafe_b64encode(raw).rstrip(b"=").decode()


class Provider:
    """The identity platform: the claims of the next person to log in are set by the test."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.claims: dict[str, Any] = {}
        self.codes: dict[str, tuple[str, dict[str, Any]]] = {}
        self.tokens: dict[str, dict[str, Any]] = {}
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, body: dict[str, Any], status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/authorize":
                    assert query["client_id"] == CLIENT_ID
                    code = secrets.token_urlsafe(8)
                    provider.codes[code] = (query["nonce"], dict(provider.claims))
                    back = urlencode({"code": code, "state": query["state"]})
                    self.send_response(302)
                    self.send_header("Location", f"{query['redirect_uri']}?{back}")
                    self.end_headers()
                elif url.path == "/userinfo":
                    token = self.headers["Authorization"].removeprefix("Bearer ")
                    self._json(provider.tokens[token])
                elif url.path == "/jwks":
                    numbers = provider.key.public_key().public_numbers()
                    jwk = {"kty": "RSA", "kid": "k1", "alg": "RS256", "use": "sig"}
                    self._json({"keys": [{**jwk, "n": _b64(numbers.n), "e": _b64(numbers.e)}]})
                else:
                    self._json({"error": "not_found"}, 404)

            def do_POST(self) -> None:
                length = int(self.headers["Content-Length"])
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if form.get("client_secret") != CLIENT_SECRET or form["code"] not in provider.codes:
                    self._json({"error": "invalid_grant"}, 400)
                    return
                nonce, claims = provider.codes.pop(form["code"])
                now = int(time.time())
                id_token = jwt.encode(
                    {
                        "iss": provider.url,
                        "sub": claims["sub"],
                        "aud": CLIENT_ID,
                        "iat": now,
                        "exp": now + 300,
                        "nonce": nonce,
                    },
                    provider.key,
                    algorithm="RS256",
                    headers={"kid": "k1"},
                )
                access = secrets.token_urlsafe(16)
                provider.tokens[access] = claims
                self._json({"access_token": access, "id_token": id_token, "token_type": "Bearer"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def provider(settings: Settings) -> Iterator[Provider]:
    provider = Provider()
    thread = threading.Thread(target=provider.server.serve_forever, daemon=True)
    thread.start()
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider.url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider.url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider.url}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider.url}/jwks"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_UNIT_CLAIM = "org_name"
    settings.OIDC_ROLE_CLAIM = "roles"
    settings.OIDC_ROLE_MAP = {"tbry": "reporter", "shr": "approver", "xtgly": "admin"}
    yield provider
    provider.server.shutdown()
    provider.server.server_close()


def sso_login(client: Client) -> Any:
    """The browser's round: our /oidc/authenticate/ → the platform → our callback."""
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302
    assert start["Location"].startswith(f"{settings.OIDC_OP_AUTHORIZATION_ENDPOINT}?")
    at_platform = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_platform.status_code == 302
    back = urlsplit(at_platform.headers["Location"])
    assert back.path == "/oidc/callback/"
    return client.get(f"{back.path}?{back.query}", follow=True)


def claims(**more: Any) -> dict[str, Any]:
    return {
        "sub": "gov-0001",
        "preferred_username": "wangwu",
        "name": "王五",
        "org_name": "市科技局",
        "roles": ["tbry"],
        **more,
    }


def test_the_login_page_offers_sso_only_when_enabled(settings: Settings) -> None:
    settings.OIDC_ENABLED = False
    assert "使用统一身份认证登录" not in Client().get("/accounts/login/").content.decode()
    assert Client().get("/oidc/authenticate/").status_code == 404
    settings.OIDC_ENABLED = True
    assert "使用统一身份认证登录" in Client().get("/accounts/login/").content.decode()


def test_a_person_of_a_known_unit_logs_in_with_its_unit_and_role(provider: Provider) -> None:
    provider.claims = claims()
    client = Client()
    page = sso_login(client)
    assert page.status_code == 200
    user = User.objects.get(sso_subject="gov-0001")
    assert (user.username, user.display_name, user.role) == ("wangwu", "王五", Role.REPORTER)
    assert user.unit == Unit.objects.get(name="市科技局")
    assert not user.has_usable_password()
    assert client.get("/my/").status_code == 200


def test_a_second_login_updates_the_account_and_never_duplicates_it(provider: Provider) -> None:
    provider.claims = claims()
    sso_login(Client())
    provider.claims = claims(org_name="合肥市经济和信息化局", roles=["shr"], name="王五二")
    assert Unit.objects.filter(full_name="合肥市经济和信息化局").exists()
    assert sso_login(Client()).status_code == 200
    assert User.objects.filter(sso_subject="gov-0001").count() == 1
    user = User.objects.get(sso_subject="gov-0001")
    assert user.role == Role.APPROVER
    assert user.unit is not None and user.unit.full_name == "合肥市经济和信息化局"
    assert user.display_name == "王五二"


def test_an_unknown_unit_is_refused_and_no_account_is_made(provider: Provider) -> None:
    provider.claims = claims(org_name="某不存在的局")
    client = Client()
    page = sso_login(client)
    html = page.content.decode()
    assert page.request["PATH_INFO"] == "/accounts/login/"
    assert "统一身份认证平台给出的单位“某不存在的局”不在本平台的单位名录中，不能登录。" in html
    assert not User.objects.filter(sso_subject="gov-0001").exists()
    assert client.get("/my/").status_code == 302


def test_sso_never_makes_an_administrator(provider: Provider) -> None:
    provider.claims = claims(roles=["xtgly"])
    page = sso_login(Client())
    assert "在本平台没有对应角色，不能登录" in page.content.decode()
    assert not User.objects.filter(sso_subject="gov-0001").exists()


def test_a_local_account_of_the_same_username_is_not_taken_over(provider: Provider) -> None:
    local = make_user("wangwu", Role.OFFICE, None)
    provider.claims = claims()
    assert sso_login(Client()).status_code == 200
    made = User.objects.get(sso_subject="gov-0001")
    assert made.pk != local.pk
    assert made.username == "sso-gov-0001"
    local.refresh_from_db()
    assert local.role == Role.OFFICE and local.sso_subject is None


def test_the_platform_down_is_a_message_and_local_accounts_still_log_in(
    provider: Provider, settings: Settings
) -> None:
    make_user("zhangsan", Role.REPORTER, "市科技局")
    provider.claims = claims()
    client = Client()
    start = client.get("/oidc/authenticate/")
    back = urlsplit(
        requests.get(start["Location"], allow_redirects=False, timeout=5).headers["Location"]
    )
    provider.server.shutdown()
    provider.server.server_close()
    page = client.get(f"{back.path}?{back.query}", follow=True)
    assert page.status_code == 200
    assert "统一身份认证平台暂时无法访问" in page.content.decode()
    local = Client()
    response = local.post(
        "/accounts/login/", {"username": "zhangsan", "password": "pw-for-tests-1"}
    )
    assert response.status_code == 302
    assert local.get("/my/").status_code == 200
