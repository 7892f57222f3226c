"""Production: PostgreSQL, Redis, gunicorn. Refuses to start without a real SECRET_KEY."""

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import env

if not SECRET_KEY or SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("生产环境必须设置 SECRET_KEY（至少 32 个字符的随机串）。")
DEBUG = False
# Persistent database connections (checked before reuse: CONN_HEALTH_CHECKS in base.py).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)

# HTTPS only (docs/security.md; `manage.py check --deploy` answers no warning, tested). The site
# stands behind a reverse proxy (nginx) that ends TLS and sets X-Forwarded-Proto itself, dropping
# any the client sent: only then may SECURE_PROXY_SSL_HEADER be trusted.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]  # the container's health check asks over plain HTTP
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
# HSTS for a year, subdomains included (every 督查平台 host is HTTPS). Not preloaded: an intranet
# name cannot be on the browsers' public preload list, and preloading cannot be undone quickly;
# so security.W021 (no preload) is silenced on purpose.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = False
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]

# The API answers JSON only: no browsable API in production (its HTML forms, its CSS and JS).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "hefei_ai_zone.negotiation.JsonFallbackNegotiation",
}
