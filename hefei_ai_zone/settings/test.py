"""Tests: `make test` sets DATABASE_URL and REDIS_URL (a throwaway PostgreSQL and Redis)."""

from .base import *

SECRET_KEY = "test-only-secret-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SUPERVISION_TODAY = None  # the real (or frozen) date; tests that need a demo date override it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Tests run on a real PostgreSQL that `make test` starts (scripts/with-services.sh); refuse to fall
# back silently to the embedded SQLite file.
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("测试需要 PostgreSQL：请用 `make test` 运行（它会启动临时数据库）。")
# WhiteNoise serves straight from the static folders (no collectstatic in development and tests).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Throttling is tested with its own low rates (tests/security); elsewhere tests call freely.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "auth_token": "100000/minute"},
}

# Two-factor authentication is required where it is tested (tests/security/test_two_factor.py).
OTP_REQUIRED_ROLES = []
