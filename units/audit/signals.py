"""What the audit log hears without being asked: every write of the project's models and the
authentication events. Connected once in ``units.apps.UnitsConfig.ready``.

Writes: ``pre_save`` reads the row as it is in the database (one query, only for an update),
``post_save`` records ``create`` (the values set) or ``update`` (each changed field's
[before, after], texts whole), ``post_delete`` records ``delete`` (the values it had). All in the
business transaction. Not recorded (``EXCLUDED``): the audit log itself, histories that are
append-only records of their own (report versions and transitions, the 督办单's and the
督办事项's steps, notices and deliveries, trend points, lights versions), counters, the
document builds' progress (a build is recorded when requested), password hashes. Bulk writes
(``bulk_create``, ``QuerySet.update``) send no signals: the services use them only for seeding,
the plan's load and counters.
"""

from typing import Any

from axes.signals import user_locked_out
from django.apps import apps
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest

from . import services
from .models import AuditKind

AUDITED_APPS = frozenset({"units", "tasks", "demos", "reports"})
EXCLUDED = frozenset(
    {
        "units.auditentry",
        "units.passwordhistory",
        "units.notice",
        "units.delivery",
        "tasks.reportversion",
        "tasks.reporttransition",
        "tasks.supervisionnumber",
        "tasks.supervisionstep",
        "tasks.directivenumber",
        "tasks.directivestep",
        "reports.trendpoint",
        "reports.lightsversion",
        "reports.bulletinnumber",
        "reports.documentbuild",
    }
)
# Fields never recorded: the login time (a login is recorded as such), password hashes (a
# change is recorded as password_change) and the time of the last password change.
IGNORED_FIELDS = frozenset({"last_login", "password", "password_changed_at"})
SECRET_WORDS = ("secret", "token", "hash")
MASK = "（已隐藏）"


def _audited(sender: type[models.Model]) -> bool:
    if sender.__module__ == "__fake__":  # a migration's historical model
        return False
    meta = sender._meta.concrete_model._meta  # type: ignore[union-attr]
    return meta.app_label in AUDITED_APPS and meta.label_lower not in EXCLUDED


def _fields(sender: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in sender._meta.concrete_fields
        if not f.primary_key and f.name not in IGNORED_FIELDS and not getattr(f, "auto_now", False)
    ]


def _shown(field: models.Field, value: Any) -> Any:
    if any(word in field.name for word in SECRET_WORDS) and value not in (None, ""):
        return MASK
    return services.json_value(value)


def before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if kwargs.get("raw") or not _audited(sender) or instance._state.adding or instance.pk is None:
        return
    fields = _fields(sender)
    update_fields = kwargs.get("update_fields")
    if update_fields is not None:
        fields = [f for f in fields if f.name in update_fields or f.attname in update_fields]
    if not fields:
        instance._audit_before = {}  # type: ignore[attr-defined]
        return
    row = (
        sender._base_manager.using(kwargs.get("using"))
        .filter(pk=instance.pk)
        .values(*[f.attname for f in fields])
        .first()
    )
    instance._audit_before = row  # type: ignore[attr-defined]


def after_save(
    sender: type[models.Model], instance: models.Model, created: bool, **kwargs: Any
) -> None:
    if kwargs.get("raw") or not _audited(sender):
        return
    fields = _fields(sender)
    if created:
        changes = {
            f.name: [None, _shown(f, f.value_from_object(instance))]
            for f in fields
            if f.value_from_object(instance) not in (None, "")
        }
        services.record(AuditKind.CREATE, obj=instance, changes=changes)
        return
    before = getattr(instance, "_audit_before", None)
    if before is None:  # saved with a pk that was not in the table: an insert after all
        changes = {f.name: [None, _shown(f, f.value_from_object(instance))] for f in fields}
        services.record(AuditKind.CREATE, obj=instance, changes=changes)
        return
    changes = {}
    for f in fields:
        if f.attname not in before:
            continue
        old, new = before[f.attname], f.value_from_object(instance)
        if old != new:
            changes[f.name] = [_shown(f, old), _shown(f, new)]
    del instance._audit_before  # type: ignore[attr-defined]
    if changes:
        services.record(AuditKind.UPDATE, obj=instance, changes=changes)


def after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if not _audited(sender):
        return
    changes = {
        f.name: [_shown(f, f.value_from_object(instance)), None]
        for f in _fields(sender)
        if f.value_from_object(instance) not in (None, "")
    }
    services.record(AuditKind.DELETE, obj=instance, changes=changes)


def logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    services.record(AuditKind.LOGIN, request=request, actor=user, obj=user)


def logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        services.record(AuditKind.LOGOUT, request=request, actor=user, obj=user)


def login_failed(
    sender: Any, credentials: dict, request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username") or "")
    services.record(
        AuditKind.LOGIN_FAILED,
        request=request,
        username=username,
        detail=f"用户名“{username}”登录失败。",
        object_type="units.user",
        object_repr=username,
    )


def locked_out(
    sender: Any, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any
) -> None:
    services.record(
        AuditKind.LOCKOUT,
        request=request,
        username=username or "",
        detail=f"用户名“{username or ''}”登录失败次数过多，已锁定。",
        object_type="units.user",
        object_repr=username or "",
    )


def audited_models() -> list[type[models.Model]]:
    return [
        model
        for label in sorted(AUDITED_APPS)
        for model in apps.get_app_config(label).get_models()
        if _audited(model)
    ]


def connect() -> None:
    """Each audited model by itself (sender=): the excluded ones keep Django's fast delete, which
    any post_delete receiver of theirs would turn off (a row fetched and signalled at a time)."""
    for model in audited_models():
        uid = model._meta.label_lower
        pre_save.connect(before_save, sender=model, dispatch_uid=f"audit_before_save:{uid}")
        post_save.connect(after_save, sender=model, dispatch_uid=f"audit_after_save:{uid}")
        post_delete.connect(after_delete, sender=model, dispatch_uid=f"audit_after_delete:{uid}")
    user_logged_in.connect(logged_in, dispatch_uid="audit_logged_in")
    user_logged_out.connect(logged_out, dispatch_uid="audit_logged_out")
    user_login_failed.connect(login_failed, dispatch_uid="audit_login_failed")
    user_locked_out.connect(locked_out, dispatch_uid="audit_locked_out")
