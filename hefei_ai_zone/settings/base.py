"""Settings shared by every environment; values come from the environment (django-environ).

local.py (the default of manage.py), test.py and production.py import from here.
"""

from datetime import date, timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(environ.Env().str("DATA_DIR", default=str(BASE_DIR / "data")))

env = environ.Env(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    REDIS_URL=(str, ""),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
SECRET_KEY = env("SECRET_KEY", default="")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "units",
    "tasks",
    "demos",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "hefei_ai_zone.middleware.NulRefusedMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hefei_ai_zone.middleware.SessionIdleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # the second step of the login first, then the password change, then the enrolment
    "units.two_factor.middleware.SecondFactorMiddleware",
    "hefei_ai_zone.middleware.PasswordChangeRequiredMiddleware",
    "units.two_factor.middleware.EnrolmentRequiredMiddleware",
    "units.audit.context.AuditContextMiddleware",  # who and from where, for the audit log
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into units.lockout's answer
]

ROOT_URLCONF = "hefei_ai_zone.urls"
WSGI_APPLICATION = "hefei_ai_zone.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hefei_ai_zone.context_processors.roles",
                "hefei_ai_zone.context_processors.demo_date",
                "hefei_ai_zone.context_processors.work_counts",
                "units.notifications.context_processors.notifications",
            ],
        },
    },
]

# Database: DATABASE_URL, or an embedded SQLite file in the data folder.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# A PostgreSQL restart (docs/architecture.md, "Faults"): a kept connection is checked before a
# request reuses it and replaced if dead, so the app recovers without a restart; while the
# database is down requests answer 503 (hefei_ai_zone.views.server_error). Connections are kept
# DATABASE_CONN_MAX_AGE seconds (0: one per request; production keeps them 60 s).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
# SQLite ignores the included (non-key) columns of a covering index and keeps its key columns:
# the index still serves, and only PostgreSQL's index-only scans need the rest. Harmless, so
# silenced. (Constraints are kept plain, so that W039, a constraint SQLite drops, never arises.)
SILENCED_SYSTEM_CHECKS = [
    "models.W040",
    # axes would add the client's address to the lockout: behind a bureau's NAT every civil
    # servant shares one, and five typos would lock them all out. units.lockout counts the
    # failures of a username whatever its address or browser, so changing them gains nothing.
    "axes.W006",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "units.User"
# The lockout's backend first (units.lockout): a locked username is refused before its password
# is checked.
AUTHENTICATION_BACKENDS = ["units.lockout.LockoutBackend", "units.backends.UserWithUnitBackend"]
# Password rules (units.password_rules, docs/security.md): 8 characters at least; 3 of the 4
# character classes (PASSWORD_COMPOSITION, the 等保 practice; OWASP ASVS would drop it); never
# the username; not one of the last PASSWORD_HISTORY_COUNT; changed every PASSWORD_MAX_AGE_DAYS
# days (0 = never).
PASSWORD_MIN_LENGTH = env.int("PASSWORD_MIN_LENGTH", default=8)
PASSWORD_COMPOSITION = env.bool("PASSWORD_COMPOSITION", default=True)
PASSWORD_HISTORY_COUNT = env.int("PASSWORD_HISTORY_COUNT", default=3)
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=90)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    *(
        [{"NAME": "units.password_rules.CompositionValidator", "OPTIONS": {"min_classes": 3}}]
        if PASSWORD_COMPOSITION
        else []
    ),
    {"NAME": "units.password_rules.NoUsernameValidator"},
    {
        "NAME": "units.password_rules.PasswordHistoryValidator",
        "OPTIONS": {"count": PASSWORD_HISTORY_COUNT},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
MESSAGE_TAGS = {40: "danger"}  # messages.ERROR as Bootstrap's alert-danger
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"  # unit staff → 我的任务, the office → 审核, others → the plan
LOGOUT_REDIRECT_URL = "login"

LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT: Path | None = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

# Redis: broker and cache when set; without it Celery runs eagerly and the cache is local memory.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "hefei_ai_zone.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_WORKER_MAX_MEMORY_PER_CHILD = 1_000_000  # KiB: WeasyPrint on long tables is hungry
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="督查平台 <noreply@localhost>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an unauthenticated call is a 401 with WWW-Authenticate.
        "units.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "hefei_ai_zone.api.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "hefei_ai_zone.api.exception_handler",
    "PAGE_SIZE": 50,
    # Calls without credentials per client address; the token endpoint has its own scope.
    "DEFAULT_THROTTLE_CLASSES": ["hefei_ai_zone.throttling.AnonThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="120/minute"),
        "auth_token": env.str("API_TOKEN_RATE", default="10/minute"),
    },
    # How many reverse proxies stand before the application (1 behind nginx): the client's
    # address for throttling is then read from X-Forwarded-For; 0 trusts no such header.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "合肥人工智能试验区督查平台 API",
    "DESCRIPTION": "合肥建设国家新一代人工智能创新发展试验区实施方案（2020-2023年）的任务、"
    "责任单位、示范工程与主要目标。需要登录（会话或令牌）。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation declares the one error shape for 400/401/403/404/409/412/413/415/429.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "hefei_ai_zone.api.declare_errors",
    ],
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx and the API docs page read it to send X-CSRFToken
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (django-csp 4, docs/security.md): nothing but this site's own files run
# or load; no inline script, no on* handler, no <style> element. Inline style *attributes* are
# allowed (style-src-attr): the widths of progress and timeline bars and ECharts' tooltips set
# them; they cannot run script. A response that sets its own policy (evidence downloads:
# sandbox) keeps it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

# Sessions (docs/security.md): ended after SESSION_IDLE_MINUTES without a request and when the
# browser closes. hefei_ai_zone.middleware.SessionIdleMiddleware moves the expiry on at most
# once every SESSION_TOUCH_SECONDS (not SESSION_SAVE_EVERY_REQUEST: a write per request); a
# password change ends the person's other sessions (Django checks each against the password's
# hash).
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_TOUCH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# API tokens (units.authentication): valid this many days after they were issued (0 = always).
API_TOKEN_TTL_DAYS = env.int("API_TOKEN_TTL_DAYS", default=30)

# Login lockout (units.lockout, django-axes with its database handler): 5 failures of a username
# within 15 minutes lock it for 30 minutes; an administrator unlocks it in the user admin.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_HANDLER = "units.lockout.WindowedLockoutHandler"
AXES_LOCKOUT_CALLABLE = "units.lockout.lockout_response"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_ON_SUCCESS = False  # a success does not wipe out the failures before it
AXES_VERBOSE = False

# Two-factor authentication (units.two_factor, django-otp, docs/security.md): TOTP available to
# everyone; the roles named here must enrol before anything else (settings.local and
# settings.test empty it). Recovery codes are django-otp's static tokens. TOTP checks use the
# real time (time.time()), never the demo date.
OTP_REQUIRED_ROLES: list[str] = env.list("OTP_REQUIRED_ROLES", default=["office", "admin"])
OTP_TOTP_ISSUER = "合肥试验区督查平台"
OTP_RECOVERY_CODES = 10

# Single sign-on through the government's unified identity platform (units.sso,
# mozilla-django-oidc), off unless OIDC_ENABLED. Local accounts keep working whatever the
# platform's state. OIDC_ROLE_MAP maps the platform's role values to ours (reporter, approver,
# office, leader; admin is never granted by SSO), e.g. "tbry=reporter,shr=approver".
OIDC_ENABLED = env.bool("OIDC_ENABLED", default=False)
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid profile")
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT", default=10)
OIDC_USERNAME_CLAIM = env.str("OIDC_USERNAME_CLAIM", default="preferred_username")
OIDC_NAME_CLAIM = env.str("OIDC_NAME_CLAIM", default="name")
OIDC_UNIT_CLAIM = env.str("OIDC_UNIT_CLAIM", default="unit")
OIDC_ROLE_CLAIM = env.str("OIDC_ROLE_CLAIM", default="role")
OIDC_ROLE_MAP: dict[str, str] = env.dict(
    "OIDC_ROLE_MAP",
    default={
        "reporter": "reporter",
        "approver": "approver",
        "office": "office",
        "leader": "leader",
    },
)
LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"
# Last: it answers only the platform's callback (and nothing while OIDC_ENABLED is off).
AUTHENTICATION_BACKENDS.append("units.sso.UnitOIDCBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint logs every layout step and fontTools every subset at INFO
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools")},
}

# Evidence files (佐证材料): stored under MEDIA_ROOT, never served as static files.
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
REPORT_TEXT_MAX_CHARS = 10_000
# The Excel import of progress (tasks.imports): a file over IMPORT_MAX_BYTES is refused from its
# Content-Length before it is read; a zip whose entries inflate beyond
# IMPORT_MAX_UNCOMPRESSED_BYTES or IMPORT_MAX_RATIO times their packed size (a zip bomb) is refused
# from its directory, before openpyxl opens it.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
IMPORT_MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
IMPORT_MAX_RATIO = 200
# A review comment (approve, accept, return, reopen): the services refuse longer ones.
COMMENT_MAX_CHARS = 2_000
# 督办事项 (tasks.directives): an extension the office approved still needs a leader's approval.
DIRECTIVE_EXTENSION_LEADER_APPROVAL = env.bool("DIRECTIVE_EXTENSION_LEADER_APPROVAL", default=False)
# A period's due date (tasks.reporting.services.quarter_dates): by default the
# PERIOD_DUE_WORKDAYS-th working day (工作日, tasks.workdays) after the quarter ends; with
# PERIOD_DUE_RULE="days", PERIOD_DUE_DAYS calendar days after it.
PERIOD_DUE_RULE = env.str("PERIOD_DUE_RULE", default="workdays")
PERIOD_DUE_WORKDAYS = env.int("PERIOD_DUE_WORKDAYS", default=5)
PERIOD_DUE_DAYS = env.int("PERIOD_DUE_DAYS", default=5)
if PERIOD_DUE_RULE not in ("workdays", "days"):
    raise ImproperlyConfigured(
        f"PERIOD_DUE_RULE 应为 workdays（按工作日）或 days（按自然日）；现在是“{PERIOD_DUE_RULE}”。"
    )

# Traffic lights computed from facts (tasks.lights): a milestone past due and not done by more
# than LIGHT_RED_OVERDUE_DAYS days makes an assignment red, by more than LIGHT_YELLOW_OVERDUE_DAYS
# days yellow.
LIGHT_RED_OVERDUE_DAYS = env.int("LIGHT_RED_OVERDUE_DAYS", default=30)
LIGHT_YELLOW_OVERDUE_DAYS = env.int("LIGHT_YELLOW_OVERDUE_DAYS", default=0)

# The one clock (hefei_ai_zone.clock): unset in production (the real date); the embedded default
# runs the demo data on a date inside the plan (settings.local). An empty value means the real date.


def supervision_today(env: environ.Env, *, default: str) -> date | None:
    """SUPERVISION_TODAY from the environment as a date; a malformed value stops the start."""
    value = env.str("SUPERVISION_TODAY", default=default).strip()
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise ImproperlyConfigured(
            f"SUPERVISION_TODAY 应为“年-月-日”格式的日期（如 2023-12-20），或留空表示按实际日期"
            f"计算；现在是“{value}”。"
        ) from None


SUPERVISION_TODAY = supervision_today(env, default="")

# Documents the platform issues (reports.documents): the issuing office printed in red at the head
# of every 公文 (督办单, 督查通报, annual report) and the prefix of their numbers (文号).
DOCUMENT_ISSUER = env.str(
    "DOCUMENT_ISSUER", default="合肥国家新一代人工智能创新发展试验区建设工作领导小组办公室"
)
DOCUMENT_NUMBER_PREFIX = env.str("DOCUMENT_NUMBER_PREFIX", default="合智试办")
# A document's long table (the appendices of the 督查通报 and the annual report) is laid out this
# many rows per WeasyPrint document and the pieces joined (reports.documents.layout
# .pdf_render_parts); a table of at most this many rows keeps the document in one piece.
# Measured in docs/performance.md (the 督查通报 at 2,000 tasks): 300 sets the peak no higher
# than the body does.
DOCUMENT_PDF_CHUNK_ROWS = 300
# A build is a Celery job (reports.jobs.build_document) under the global limits; a build left
# "running" longer than the lease (longer than the hard limit: never a live worker's) was
# abandoned by a dead worker and is run again, at most DOCUMENT_BUILD_MAX_ATTEMPTS times in all.
DOCUMENT_JOB_SOFT_TIME_LIMIT = 15 * 60
DOCUMENT_JOB_TIME_LIMIT = 16 * 60
DOCUMENT_BUILD_LEASE = 20 * 60
DOCUMENT_BUILD_MAX_ATTEMPTS = 3
DOCUMENT_PICKUP_GRACE = 5 * 60  # a build queued this long had its message lost: enqueue it again

# Notifications (units.notifications, docs/notifications.md). Redis redelivers a job not
# acknowledged within the visibility timeout (acks_late): no countdown or ETA may come near it.
# Publishing retries once, at once: with Redis down, a request that enqueues after its commit goes
# on within milliseconds (the deliveries wait in the database for deliver_pending), instead of
# redis-py's seconds of backoff.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")  # links in mail and group messages
NOTICE_MAX_ATTEMPTS = env.int("NOTICE_MAX_ATTEMPTS", default=5)  # per delivery, then failed
NOTICE_RETRY_BACKOFF = 30  # seconds before the 2nd attempt, doubled each time, with jitter
NOTICE_RETRY_BACKOFF_MAX = 900  # the cap of one wait (15 minutes)
NOTICE_SEND_TIMEOUT = 15  # seconds for one SMTP or HTTP exchange
NOTICE_JOB_SOFT_TIME_LIMIT = 60
NOTICE_JOB_TIME_LIMIT = 90
# A delivery left "sending" longer than this was abandoned by a dead worker (longer than the
# job's hard time limit, so never a live one).
NOTICE_SENDING_LEASE = 5 * 60
# A pending delivery is picked up by deliver_pending (beat, every 5 minutes) this long after it
# was due, so that the job enqueued after the commit normally comes first.
NOTICE_PICKUP_GRACE = 2 * 60
NOTICE_PICKUP_BATCH = 500
_VISIBILITY = CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
if _VISIBILITY <= NOTICE_RETRY_BACKOFF_MAX + NOTICE_PICKUP_GRACE or (
    NOTICE_SENDING_LEASE <= NOTICE_JOB_TIME_LIMIT
):
    raise ImproperlyConfigured(
        "通知的重试间隔须短于 Redis 的 visibility_timeout，发送租期须长于任务时限。"
    )
