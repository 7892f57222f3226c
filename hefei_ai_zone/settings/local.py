"""Development and the embedded default of `make run`: SQLite, eager Celery, DEBUG on, and the demo
date 2023-12-20 (the demo data is of the plan's years)."""

from .base import *
from .base import env, supervision_today

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = SECRET_KEY or "django-insecure-development-only-key-do-not-use-in-production"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise serves straight from the static folders (no collectstatic in development and tests).
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The day the demo data (seed_demo) is written as of: 2023Q4 open and due 2024-01-08, milestones
# due around it, nothing recorded later. SUPERVISION_TODAY= (empty) runs on the real date.
SUPERVISION_TODAY = supervision_today(env, default="2023-12-20")

# make run's demo accounts log in with the password only; OTP_REQUIRED_ROLES=office,admin to try.
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=[])
