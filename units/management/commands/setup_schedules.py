"""Create or update the periodic tasks of beat (django-celery-beat's DatabaseScheduler).

Idempotent: run at every deploy (docker/entrypoint.sh, after migrate). Schedules are in
Asia/Shanghai. Other jobs (the reminders' sweep) add their entries to SCHEDULES.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django_celery_beat.models import CrontabSchedule, PeriodicTask

# name → (task, crontab fields); the crontab in Asia/Shanghai.
SCHEDULES: dict[str, tuple[str, dict[str, str]]] = {
    "通知：补发待投递": ("units.jobs.deliver_pending", {"minute": "*/5"}),
    "提醒：每日报送提醒与催办": ("tasks.jobs.send_reminders_daily", {"minute": "0", "hour": "9"}),
    "文件：补做中断的生成": ("reports.jobs.documents_pick_up", {"minute": "*/5"}),
}
# Created once and then the office's: the admin's edits (the hour, off for a while) survive deploys.
KEEP_EDITS = {"提醒：每日报送提醒与催办"}


class Command(BaseCommand):
    help = "创建或更新定时任务（可重复运行）。"

    def handle(self, *args: Any, **options: Any) -> None:
        for name, (task, fields) in SCHEDULES.items():
            crontab = {
                "minute": "*",
                "hour": "*",
                "day_of_week": "*",
                "day_of_month": "*",
                "month_of_year": "*",
                **fields,
            }
            if name in KEEP_EDITS and PeriodicTask.objects.filter(name=name).exists():
                self.stdout.write(f"定时任务已存在，保留后台的设置：{name}（{task}）")
                continue
            schedule, _ = CrontabSchedule.objects.get_or_create(**crontab, timezone="Asia/Shanghai")
            _, created = PeriodicTask.objects.update_or_create(
                name=name,
                defaults={"task": task, "crontab": schedule, "interval": None, "enabled": True},
            )
            self.stdout.write(f"{'已创建' if created else '已更新'}定时任务：{name}（{task}）")
