"""The security audit log (安全审计): one append-only table whose rows are chained by hash.

Rows are written only by ``units.audit.services.record``; nothing in the application updates or
deletes them: ``save()`` refuses an existing row, ``delete()`` and the queryset's ``update()`` and
``delete()`` raise, the model is not in the admin, and the database itself refuses UPDATE and
DELETE (a trigger, migration units.0009). Each row carries the hash of the row before it, so an
edit made behind the application's back breaks the chain (``manage.py audit_verify``).
"""

import hashlib
import json
from datetime import UTC
from typing import Any, ClassVar

from django.db import models

from hefei_ai_zone import clock

USER_AGENT_MAX = 255
REPR_MAX = 200


class AuditKind(models.TextChoices):
    LOGIN = "login", "登录"
    LOGOUT = "logout", "退出"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOCKOUT = "lockout", "账号锁定"
    UNLOCK = "unlock", "解除锁定"
    PASSWORD_CHANGE = "password_change", "修改密码"
    PASSWORD_RESET = "password_reset", "重置密码"
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    EXPORT = "export", "导出"
    DOCUMENT_BUILD = "document_build", "生成文件"
    DOWNLOAD = "download", "下载"
    URGE = "urge", "催办"
    ORDER = "order", "督办单"
    DIRECTIVE = "directive", "督办事项"


class AppendOnlyError(Exception):
    """An attempt to change or delete an audit entry."""

    def __init__(self) -> None:
        super().__init__("审计日志只能追加，不能修改或删除。")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError

    def _raw_delete(self, using: Any) -> int:
        raise AppendOnlyError


class AuditEntry(models.Model):
    at = models.DateTimeField("时间", default=clock.real_now, db_index=True)
    kind = models.CharField("事件", max_length=20, choices=AuditKind.choices)
    # Who, by id and by the snapshots below. No database constraint and nothing done on delete:
    # an account deleted later leaves its entries as they were (SET_NULL would be an UPDATE,
    # which the trigger refuses; PROTECT would forbid deleting anyone who ever logged in).
    actor = models.ForeignKey(
        "units.User",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
        db_index=False,
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    role = models.CharField("角色", max_length=32, blank=True)
    unit_pk = models.IntegerField("单位编号", null=True, blank=True)
    unit_name = models.CharField("单位", max_length=64, blank=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=USER_AGENT_MAX, blank=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=REPR_MAX, blank=True)
    changes = models.JSONField("变更", default=dict, blank=True)
    detail = models.TextField("说明", blank=True)
    prev_hash = models.CharField("上一条摘要", max_length=64)
    hash = models.CharField("摘要", max_length=64)

    objects: ClassVar[models.Manager["AuditEntry"]] = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["username", "-id"], name="audit_username"),
            models.Index(fields=["unit_pk", "-id"], name="audit_unit"),
            models.Index(fields=["kind", "-id"], name="audit_kind"),
            models.Index(fields=["actor", "-id"], name="audit_actor"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '系统'} {self.get_kind_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError

    def canonical(self) -> str:
        """The row's content as canonical JSON (sorted keys, no spaces): what its hash covers."""
        return json.dumps(
            {
                "at": self.at.astimezone(UTC).isoformat(),
                "kind": self.kind,
                "actor": self.actor_id,
                "username": self.username,
                "role": self.role,
                "unit_pk": self.unit_pk,
                "unit_name": self.unit_name,
                "ip": self.ip,
                "user_agent": self.user_agent,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "object_repr": self.object_repr,
                "changes": self.changes,
                "detail": self.detail,
            },
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )

    def compute_hash(self) -> str:
        return hashlib.sha256((self.prev_hash + self.canonical()).encode()).hexdigest()
