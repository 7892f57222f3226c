"""Organisations and people.

A Unit is anything the plan names as responsible (责任单位): a bureau, a district government, a
zone committee, a company. A collective designation such as 各县（市）区政府 is a Unit too, of kind
``group``, whose ``members`` are the units it stands for. Keeping both in one table means an
Assignment always points at one Unit, ids never collide in the API, and the plan's designations
keep their order and wording. ``UnitGroup`` is a proxy for editing groups in the admin.
"""

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models


class UnitKind(models.TextChoices):
    MUNICIPAL = "municipal", "市政府工作部门"
    PARTY = "party", "市委部门"
    DISTRICT = "district", "县（市）区政府"
    DEVZONE = "devzone", "开发区管委会"
    AREA = "area", "功能区管委会"
    COMPANY = "company", "企业"
    ORGANISATION = "organisation", "人民团体"
    GROUP = "group", "单位集合"


class UnitQuerySet(models.QuerySet["Unit"]):
    def organisations(self) -> "UnitQuerySet":
        return self.exclude(kind=UnitKind.GROUP)

    def groups(self) -> "UnitQuerySet":
        return self.filter(kind=UnitKind.GROUP)


class Unit(models.Model):
    name = models.CharField(
        "简称", max_length=64, unique=True, help_text="方案中的写法，如“市科技局”。"
    )
    full_name = models.CharField(
        "全称", max_length=128, blank=True, help_text="正式名称，如“合肥市科学技术局”。"
    )
    kind = models.CharField("类别", max_length=16, choices=UnitKind.choices)
    description = models.CharField("说明", max_length=255, blank=True)
    members = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="groups",
        blank=True,
        verbose_name="成员单位",
        help_text="仅“单位集合”有成员，如“各县（市）区政府”的各区县政府。",
    )
    sort_order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)
    self_approval_allowed = models.BooleanField(
        "允许本人审核本人报告",
        default=False,
        help_text="单位只有一名审核人时，由领导小组办公室决定是否允许撰写报告的人审核自己的报告。",
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["sort_order", "id"]
        indexes = [models.Index(fields=["kind", "sort_order"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_group(self) -> bool:
        return self.kind == UnitKind.GROUP


class UnitGroupManager(models.Manager["UnitGroup"]):
    def get_queryset(self) -> models.QuerySet["UnitGroup"]:
        return super().get_queryset().filter(kind=UnitKind.GROUP)


class UnitGroup(Unit):
    """A collective designation (各县（市）区政府, 开发区管委会, 各牵头单位), for the admin."""

    objects: ClassVar[UnitGroupManager] = UnitGroupManager()  # type: ignore[assignment]

    class Meta:
        proxy = True
        verbose_name = "单位集合"
        verbose_name_plural = "单位集合"


class Role(models.TextChoices):
    REPORTER = "reporter", "填报员"
    APPROVER = "approver", "审核人"
    OFFICE = "office", "督查员"  # of the leading group's office (领导小组办公室)
    LEADER = "leader", "领导"
    ADMIN = "admin", "系统管理员"
    AUDITOR = "auditor", "安全审计员"


class AccountManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> "User":
        """A superuser is the system administrator (三员分立: ``user_roles_valid``)."""
        extra.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra)


# 三员分立: the system administrator, the security auditor and the business office are three
# different accounts. The database refuses any account holding two of them.
SEPARATION_OF_DUTIES = (
    (
        models.Q(role="auditor", is_staff=False, is_superuser=False) | ~models.Q(role="auditor"),
        "user_auditor_not_staff",
        "安全审计员不能同时是系统管理员或后台管理人员。",
    ),
    (
        ~models.Q(role="office", is_superuser=True),
        "user_office_not_superuser",
        "督查员不能同时是系统管理员（超级用户）。",
    ),
    (
        models.Q(is_superuser=False) | models.Q(role="admin"),
        "user_superuser_is_admin",
        "超级用户的角色只能是系统管理员。",
    ),
)


def separation_problems(*, role: str, is_staff: bool, is_superuser: bool) -> list[str]:
    """What 三员分立 forbids in this combination, in Chinese (the same rules as the constraints)."""
    problems = []
    if role == Role.AUDITOR and (is_staff or is_superuser):
        problems.append(SEPARATION_OF_DUTIES[0][2])
    if role == Role.OFFICE and is_superuser:
        problems.append(SEPARATION_OF_DUTIES[1][2])
    if is_superuser and role != Role.ADMIN:
        problems.append(SEPARATION_OF_DUTIES[2][2])
    return problems


class User(AbstractUser):
    """A person; reporters and approvers belong to one (non-group) unit."""

    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name="所属单位",
        limit_choices_to=~models.Q(kind=UnitKind.GROUP),
    )
    role = models.CharField("角色", max_length=16, choices=Role.choices, default=Role.REPORTER)
    must_change_password = models.BooleanField(
        "须修改密码", default=False, help_text="使用一次性密码登录后，必须先修改密码。"
    )
    password_changed_at = models.DateTimeField(
        "密码修改时间",
        null=True,
        blank=True,
        help_text="超过 PASSWORD_MAX_AGE_DAYS 天未修改时，登录后须先修改密码。",
    )
    sso_subject = models.CharField(
        "统一身份认证标识",
        max_length=255,
        null=True,
        blank=True,
        unique=True,
        help_text="经统一身份认证平台登录的用户在平台上的标识（sub）；本地账号为空。",
    )

    objects: ClassVar[AccountManager] = AccountManager()

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        constraints = [
            models.CheckConstraint(condition=condition, name=name, violation_error_message=message)
            for condition, name, message in SEPARATION_OF_DUTIES
        ]

    def clean(self) -> None:
        super().clean()
        if self.unit is not None and self.unit.is_group:
            raise ValidationError({"unit": "用户只能属于具体单位，不能属于单位集合。"})
        if self.role in (Role.REPORTER, Role.APPROVER) and not self.unit_id:
            raise ValidationError({"unit": "填报员和审核人必须指定所属单位。"})
        if problems := separation_problems(
            role=self.role, is_staff=self.is_staff, is_superuser=self.is_superuser
        ):
            raise ValidationError({"role": problems})

    @property
    def display_name(self) -> str:
        return (self.last_name + self.first_name) or self.username


class PasswordHistory(models.Model):
    """A password a person has had (its hash only, never the password): a new one may not be
    one of the last PASSWORD_HISTORY_COUNT (units.password_rules.PasswordHistoryValidator)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="password_history", verbose_name="用户"
    )
    password = models.CharField("密码摘要", max_length=128)
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


# The notification slice's models (units/notifications/models.py), registered with this app.
from units.audit.models import AuditEntry  # noqa: E402, F401
from units.contacts.models import Contact  # noqa: E402, F401
from units.notifications.models import Delivery, Notice, Webhook  # noqa: E402, F401
