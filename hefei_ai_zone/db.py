"""Database helpers every service shares."""

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


def locked(instance: M, *related: str) -> M:
    """The row of ``instance`` read again under ``SELECT … FOR UPDATE`` (only its own table's row
    is locked, not the joined ones), with ``related`` joined; for a service's transaction that
    checks and then changes it."""
    manager = type(instance)._default_manager
    return manager.select_for_update(of=("self",)).select_related(*related).get(pk=instance.pk)
