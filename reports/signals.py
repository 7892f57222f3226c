"""Cache invalidation for the dashboard (the one use of signals here: a decoupled hook).

Any write to what the dashboard counts replaces the cache versions of what it changes, at once
and again after the transaction commits (so that a dashboard computed from the old rows in
between is not kept): every write the whole dashboard's (VERSION_KEY); milestones, the plan's
rows and the ledger also the versions of the parts cached apart (reports.dashboards).

Writes that can change lights also move the lights version of the periods they touch, after the
commit (reports.models explains why after): a report its period's, a milestone the periods ending
on or after its due date (the old one too, if it moved), a period its own, the plan's rows every
period's.
"""

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

from .dashboards.cache import (
    LEDGER_VERSION_KEY,
    MILESTONE_VERSION_KEY,
    PLAN_VERSION_KEY,
    VERSION_KEY,
    lights_changed,
    versions_replace,
)


def _replace(keys: tuple[str, ...], sender: type, **kwargs: Any) -> None:
    versions_replace(*keys)
    transaction.on_commit(partial(versions_replace, *keys))


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
    from reports.assessment.models import AssessmentRules
    from tasks.models import (
        AchievementEntry,
        Assignment,
        Indicator,
        IndicatorTarget,
        Milestone,
        Plan,
        ProgressReport,
        ReportingPeriod,
        Section,
        Task,
    )
    from units.models import Unit

    # Lights handlers first: on_commit callbacks run in order, and the cache versions must move
    # after the lights versions, or a dashboard cached in between would keep the old trend.
    lights: dict[type[Model], Callable[..., None]] = {
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

    plan_rows = (VERSION_KEY, PLAN_VERSION_KEY)
    replaced: dict[type[Model], tuple[str, ...]] = {
        ProgressReport: (VERSION_KEY,),
        ReportingPeriod: (VERSION_KEY,),
        Milestone: (VERSION_KEY, MILESTONE_VERSION_KEY),
        AchievementEntry: (VERSION_KEY, LEDGER_VERSION_KEY),
        Indicator: (VERSION_KEY, LEDGER_VERSION_KEY),
        IndicatorTarget: (VERSION_KEY, LEDGER_VERSION_KEY),
        Assignment: plan_rows,
        Task: plan_rows,
        Section: plan_rows,
        DemoProject: plan_rows,
        Unit: plan_rows,
        Unit.members.through: plan_rows,
        Plan: plan_rows,
        AssessmentRules: (VERSION_KEY,),  # the scorecard's score: the rules in force
    }
    for model, keys in replaced.items():
        uid = f"dashboard-cache-{model._meta.label_lower}"
        handler = partial(_replace, keys)
        if model is Unit.members.through:  # a group's members: who holds its duties
            m2m_changed.connect(handler, sender=model, weak=False, dispatch_uid=f"{uid}-m2m")
            continue
        post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"{uid}-save")
        post_delete.connect(handler, sender=model, weak=False, dispatch_uid=f"{uid}-delete")
