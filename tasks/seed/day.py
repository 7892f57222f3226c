"""The day the demo data is written as of: 20 December of the plan's last year (2023-12-20 for the
seed plan), the demo date of `make run` (SUPERVISION_TODAY in hefei_ai_zone.settings.local).

On that day the last quarter is open and due in the new year, its reports are in every state,
milestones fall due around it, and nothing was recorded on or after it, so the demo reads as a
live quarter. The day depends on the plan alone, so the data is the same on every run.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings

from tasks.plan.models import Plan


def demo_day(plan: Plan) -> date:
    return date(plan.end_year, 12, 20)


def demo_cutoff(plan: Plan) -> datetime:
    """The first moment of the demo day: every demo timestamp lies before it."""
    return datetime.combine(demo_day(plan), time(0), tzinfo=ZoneInfo(settings.TIME_ZONE))
