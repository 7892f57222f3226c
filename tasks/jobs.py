"""Celery jobs of the tasks app (``jobs``, not ``tasks``: a plan's task is another thing).

``send_reminders_daily`` is run by beat at 09:00 Asia/Shanghai (``setup_schedules``); it sweeps
as of the one clock's today. The sweep is idempotent (each notice once per rule, key and
recipient), so a redelivered or repeated run sends nothing twice.
"""

import logging

from celery import shared_task

from hefei_ai_zone import clock
from tasks.reminders.services import reminders_sweep
from tasks.workdays.selectors import WorkdayYearMissing

logger = logging.getLogger(__name__)


@shared_task(
    name="tasks.jobs.send_reminders_daily", acks_late=True, soft_time_limit=540, time_limit=600
)
def send_reminders_daily() -> str:
    try:
        result = reminders_sweep(as_of=clock.today())
    except WorkdayYearMissing as error:
        logger.error("提醒未发送：%s", error.message)
        return error.message
    return result.summary()
