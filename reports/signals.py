"""Cache invalidation for the dashboard (the one use of signals here: a decoupled hook).

Any write to what the dashboard counts replaces the cache version token at once and again after
the transaction commits (so that a dashboard computed from the old rows in between is not kept).
"""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .dashboards import cache_invalidate


def _invalidate(sender: type, **kwargs: Any) -> None:
    cache_invalidate()
    transaction.on_commit(cache_invalidate)


def connect() -> None:
    from demos.models import DemoProject
    from tasks.models import (
        AchievementEntry,
        Assignment,
        Indicator,
        IndicatorTarget,
        Milestone,
        ProgressReport,
        ReportingPeriod,
        Task,
    )
    from units.models import Unit

    watched = (
        ProgressReport,
        Milestone,
        AchievementEntry,
        ReportingPeriod,
        Assignment,
        Task,
        DemoProject,
        Indicator,
        IndicatorTarget,
        Unit,
    )
    for model in watched:
        uid = f"dashboard-cache-{model._meta.label_lower}"
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_invalidate, sender=model, dispatch_uid=f"{uid}-delete")
