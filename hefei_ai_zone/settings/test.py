"""Tests: `make test` sets DATABASE_URL (a throwaway PostgreSQL) and REDIS_URL (a throwaway Redis)."""

from .base import *
from .base import env

SECRET_KEY = "test-only-secret-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REQUIRE_POSTGRES = env.bool("REQUIRE_POSTGRES", default=False)
