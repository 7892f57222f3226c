"""What every page's layout needs to know: the user's roles, asked of units.permissions, and the
demo date the application runs on (the banner), asked of hefei_ai_zone.clock."""

from datetime import date

from django.http import HttpRequest

from hefei_ai_zone import clock
from tasks.reporting.worklists import WorkCounts
from units.models import User
from units.permissions import is_leader, is_office, is_unit_staff


def roles(request: HttpRequest) -> dict[str, bool]:
    user = request.user
    return {
        "is_unit_staff": is_unit_staff(user),
        "is_office": is_office(user),
        "is_leader": is_leader(user),
    }


def demo_date(request: HttpRequest) -> dict[str, date | None]:
    """The demo date while one is set (base.html shows 演示数据 · 按 … 计算), else None."""
    return {"demo_date": clock.demo_date()}


def work_counts(request: HttpRequest) -> dict[str, object]:
    """What waits for the user, for the navigation bar: 待我审核 (a unit's approver) and 审核
    (the office). One query each, made only when the page shows it."""
    user = request.user
    return {"work_counts": WorkCounts(user) if isinstance(user, User) else None}
