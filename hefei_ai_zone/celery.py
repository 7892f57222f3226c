"""The Celery application.

Without REDIS_URL (the embedded default for `make run`) tasks run eagerly in-process; with it,
Redis is the broker and result backend. Job modules are `<app>/jobs.py` (not `tasks.py`, which
would be confused with the plan's tasks) and are listed for autodiscovery below.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hefei_ai_zone.settings.local")

app = Celery("hefei_ai_zone")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(related_name="jobs")
