"""Every Celery job can be sent: Celery refuses ``apply_async`` (and so beat refuses to send it)
when a job's soft time limit exceeds its hard one, as the global soft limit (25 min) does any
shorter hard limit a job sets without a soft limit of its own."""

from django.conf import settings

from hefei_ai_zone.celery import app as celery_app


def test_each_jobs_soft_time_limit_is_within_its_hard_limit() -> None:
    celery_app.loader.import_default_modules()
    jobs = [t for name, t in celery_app.tasks.items() if not name.startswith("celery.")]
    assert {"tasks.jobs.send_reminders_daily", "units.jobs.deliver_pending"} <= {
        j.name for j in jobs
    }
    for job in jobs:
        soft = job.soft_time_limit or settings.CELERY_TASK_SOFT_TIME_LIMIT
        hard = job.time_limit or settings.CELERY_TASK_TIME_LIMIT
        assert soft <= hard, job.name
