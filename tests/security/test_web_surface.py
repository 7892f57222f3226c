"""The web surface (等保 2.0 level 3, 安全通信 and 入侵防范 at the application): `check --deploy`
with the production settings says nothing, production answers over HTTPS only with HSTS, the
Content Security Policy and the other headers, JSON only from the API, and no server name;
no template holds an inline script, an on* handler or a <style> element."""

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "hefei_ai_zone.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "duban.hefei.gov.cn,127.0.0.1",
}


def production_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return {**env, **PRODUCTION}


def test_check_deploy_with_the_production_settings_prints_no_warning() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNINGS" not in output and "ERRORS" not in output, output
    assert "System check identified no issues" in output


# --- production behind gunicorn ----------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def gunicorn() -> Iterator[str]:
    """gunicorn with the production settings and the repository's gunicorn.conf.py."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "hefei_ai_zone.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=ROOT,
        env=production_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers={"Host": "duban.hefei.gov.cn", **headers})  # noqa: S310
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_plain_http_is_sent_to_https(gunicorn: str) -> None:
    status, headers, _ = fetch(f"{gunicorn}/accounts/login/")
    assert status == 301
    assert headers["Location"] == "https://duban.hefei.gov.cn/accounts/login/"


def test_production_answers_carry_hsts_csp_and_the_other_headers(gunicorn: str) -> None:
    """(An API answer: the pages need collectstatic's manifest, minutes of work for a test. The
    cookies' Secure and HttpOnly flags are what check --deploy verifies above.)"""
    status, headers, body = fetch(f"{gunicorn}/api/tasks/", **{"X-Forwarded-Proto": "https"})
    assert status == 401, body[:300]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    csp = headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert directive in csp, csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_names_no_server_and_has_no_browsable_api(gunicorn: str) -> None:
    status, headers, body = fetch(
        f"{gunicorn}/api/tasks/", **{"X-Forwarded-Proto": "https", "Accept": "text/html"}
    )
    assert status == 401
    assert headers["Content-Type"] == "application/json"
    assert body.decode().startswith('{"message":')  # no HTML page of the browsable API
    assert headers["Server"] == "web"  # gunicorn.conf.py: neither "gunicorn" nor a version
    assert "gunicorn" not in str(headers).lower()


# --- the application itself --------------------------------------------------------------------


@pytest.mark.django_db
def test_django_sends_no_server_header_and_a_policy_on_every_page() -> None:
    response = Client().get("/accounts/login/")
    assert "Server" not in response.headers
    assert "script-src 'self'" in response["Content-Security-Policy"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)


PDF_BASE = ROOT / "templates" / "documents" / "gongwen.html"


def test_no_template_holds_an_inline_script_handler_or_style_element() -> None:
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        if path == PDF_BASE:
            continue  # the 公文 layout's base: rendered by WeasyPrint into PDFs, never served
        text = path.read_text(encoding="utf-8")
        for name, pattern in (
            ("script", INLINE_SCRIPT),
            ("on*", HANDLER),
            ("style", STYLE_ELEMENT),
        ):
            found += [
                f"{path.relative_to(ROOT)}: {name} {m.group(0)!r}" for m in pattern.finditer(text)
            ]
    assert found == []
