"""Runtime wiring: the real Redis cache, the health check, production's refusal of a weak key."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from hefei_ai_zone.celery import app as celery_app


def test_the_cache_is_the_redis_server_the_test_command_started() -> None:
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    assert settings.CACHES["default"]["LOCATION"] == os.environ["REDIS_URL"]
    cache.set("probe", "值", 10)
    assert cache.get("probe") == "值"


def test_the_cache_keeps_one_redis_client_and_still_works_across_threads() -> None:
    """hefei_ai_zone.cache reuses one redis-py client per connection pool (Django's backend
    builds one per call); the client is shared by threads, each command on its own connection."""
    from concurrent.futures import ThreadPoolExecutor

    client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
    assert cache._cache.get_client(write=True) is client  # type: ignore[attr-defined]

    def roundtrip(n: int) -> int:
        cache.set(f"probe-{n}", n, 10)
        return cache.get(f"probe-{n}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(roundtrip, range(64))) == list(range(64))
    assert cache.get_many([f"probe-{n}" for n in range(3)]) == {f"probe-{n}": n for n in range(3)}


def test_celery_uses_redis_when_it_is_configured() -> None:
    assert celery_app.conf.broker_url == os.environ["REDIS_URL"]
    assert celery_app.conf.task_always_eager is False


@pytest.mark.django_db
def test_the_health_check_answers_ok_when_database_and_cache_answer() -> None:
    response = Client().get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def run_django(settings_module: str, code: str = "", **env: str) -> subprocess.CompletedProcess:
    """Start Django in a fresh interpreter with these settings; an empty value unsets a variable."""
    environment = {k: v for k, v in os.environ.items() if k not in env}
    environment.update({k: v for k, v in env.items() if v}, DJANGO_SETTINGS_MODULE=settings_module)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


@pytest.mark.parametrize("key", ["", "django-insecure-abc", "short"])
def test_production_settings_refuse_to_start_without_a_real_secret_key(key: str) -> None:
    result = run_django("hefei_ai_zone.settings.production", SECRET_KEY=key)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_start_with_a_real_secret_key() -> None:
    result = run_django("hefei_ai_zone.settings.production", SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr


def test_the_embedded_default_runs_celery_eagerly_on_sqlite() -> None:
    code = (
        "from django.conf import settings as s; from hefei_ai_zone.celery import app; "
        "print(s.DATABASES['default']['ENGINE'], app.conf.task_always_eager)"
    )
    result = run_django("hefei_ai_zone.settings.local", code, DATABASE_URL="", REDIS_URL="")
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True"], result.stderr
