"""The one clock: every "as of today" of the application asks here.

In production ``SUPERVISION_TODAY`` is unset and the real date (Asia/Shanghai) is used. The demo
data is of the plan's years (2020–2023), so the embedded default (`make run`) runs on a demo date
inside the plan (``SUPERVISION_TODAY=2023-12-20``): overdue days, on time or late, lights and
reminders all read as a live quarter, and a report submitted today is stamped on that day, not
on the real calendar's. The time of day stays the real one.

Model fields stamped when a row is saved use ``default=clock.now`` or, for ``auto_now`` and
``auto_now_add``, ``ClockDateTimeField``.
"""

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


def demo_date() -> date | None:
    """The demo date the application runs on, or None in production."""
    value = getattr(settings, "SUPERVISION_TODAY", None)
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def today() -> date:
    """Today's date for every rule (Asia/Shanghai), or the demo date."""
    return demo_date() or timezone.localdate()


def now() -> datetime:
    """The current moment (aware); on a demo date, that date at the real time of day."""
    moment = timezone.localtime()
    fixed = demo_date()
    if fixed is None:
        return moment
    return moment.replace(year=fixed.year, month=fixed.month, day=fixed.day)


def real_now() -> datetime:
    """The real current moment (aware), whatever the demo date: the one home of the real time,
    for records that must say when something truly happened (the audit log)."""
    return timezone.now()


def local_date(moment: datetime) -> date:
    """The Asia/Shanghai date of a stored moment (submitted_at, done_at, ...)."""
    return timezone.localdate(moment)


class ClockDateTimeField(models.DateTimeField):
    """A DateTimeField whose ``auto_now`` / ``auto_now_add`` stamp comes from ``now()``: a report
    saved on the demo date says it was last changed on the demo date."""

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        if self.auto_now or (self.auto_now_add and add):
            value = now()
            setattr(model_instance, self.attname, value)
            return value
        return super().pre_save(model_instance, add)
