"""Cache invalidation for the dashboard (the one use of signals here: a decoupled hook).

Any write to what the dashboard counts replaces the cache version token at once and again after
the transaction commits (so that a dashboard computed from the old rows in between is not kept).
Ledger entries, indicators, targets and plans also replace the ledger token, under which the
indicator values are cached apart (reports written every day do not touch them). Writes that can
change lights also move the lights version of the periods they touch, after the
commit (reports.models explains why after): a report its period's, a milestone the periods ending
on or after its due date (the old one too, if it moved), the plan's rows every period's.
"""

from datetime import date
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .dashboards import cache_invalidate, ledger_cache_invalidate, lights_changed


def _invalidate(sender: type, **kwargs: Any) -> None:
    cache_invalidate()
    transaction.on_commit(cache_invalidate)


def _invalidate_ledger(sender: type, **kwargs: Any) -> None:
    ledger_cache_invalidate()
    transaction.on_commit(ledger_cache_invalidate)


def _report_written(sender: type, instance: Any, **kwargs: Any) -> None:
    transaction.on_commit(partial(lights_changed, period_ids=[instance.period_id]))


def _milestone_written(sender: type, instance: Any, **kwargs: Any) -> None:
    dues = [instance.due_date, getattr(instance, "loaded_due_date", instance.due_date)]
    known = [d for d in dues if isinstance(d, date)]
    # a due date never loaded (deferred) may have been anything: every period then
    ending_from = min(known) if len(known) == len(dues) else None
    transaction.on_commit(partial(lights_changed, ending_from=ending_from, every=not ending_from))


def _period_written(sender: type, instance: Any, **kwargs: Any) -> None:
    transaction.on_commit(partial(lights_changed, period_ids=[instance.pk]))


def _plan_written(sender: type, **kwargs: Any) -> None:
    transaction.on_commit(partial(lights_changed, every=True))


def connect() -> None:
    from demos.models import DemoProject
    from tasks.models import (
        AchievementEntry,
        Assignment,
        Indicator,
        IndicatorTarget,
        Milestone,
        Plan,
        ProgressReport,
        ReportingPeriod,
        Task,
    )
    from units.models import Unit

    # Lights handlers first: on_commit callbacks run in order, and the cache token must move
    # after the versions, or a dashboard cached in between would keep the old trend.
    lights = {
        ProgressReport: _report_written,
        Milestone: _milestone_written,
        ReportingPeriod: _period_written,
        Assignment: _plan_written,
        Task: _plan_written,
        DemoProject: _plan_written,
        Plan: _plan_written,
    }
    for model, handler in lights.items():
        uid = f"dashboard-lights-{model._meta.label_lower}"
        post_save.connect(handler, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(handler, sender=model, dispatch_uid=f"{uid}-delete")
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
        Plan,
    )
    for model in watched:
        uid = f"dashboard-cache-{model._meta.label_lower}"
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_invalidate, sender=model, dispatch_uid=f"{uid}-delete")
    for model in (AchievementEntry, Indicator, IndicatorTarget, Plan):
        uid = f"dashboard-ledger-{model._meta.label_lower}"
        post_save.connect(_invalidate_ledger, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_invalidate_ledger, sender=model, dispatch_uid=f"{uid}-delete")
