"""python manage.py refresh_dashboard: forget every number the dashboard keeps.

Every write through the application refreshes what it changes by itself. This is for after
writes that bypass it (SQL in psql, a restored backup, an import with bulk statements): the next
dashboard then counts everything again, the earlier periods' trend points included (about a
second at 400,000 reports, once)."""

from typing import Any

from django.core.management.base import BaseCommand

from reports.dashboards import everything_changed
from reports.models import TrendPoint


class Command(BaseCommand):
    help = "让总览重新计算全部数字（在绕过本系统直接改动数据库之后使用）。"

    def handle(self, *args: Any, **options: Any) -> None:
        kept = TrendPoint.objects.count()
        everything_changed()
        self.stdout.write(
            f"总览的缓存已全部失效，保存的 {kept} 个趋势点将在下次打开总览时重新计算。"
        )
