"""Writes to units and accounts.

``user_create`` is the one path by which an account comes into being: ``add_user``,
``add_users`` (through ``users_create``), the demo accounts and the demo data's placeholder
reporters all go through it, so the same checks apply everywhere and every message is Chinese.
An account created without a password gets a one-time password (``password_generate``), shown
once to whoever created it; ``must_change_password`` then holds the person at the password change
page until they have chosen their own (``hefei_ai_zone.middleware``, ``user_password_change``).
"""

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from rest_framework.authtoken.models import Token

from hefei_ai_zone import clock
from hefei_ai_zone.errors import ApplicationError, NotPermittedError

from .access import staff_access_apply
from .audit import services as audit
from .audit.models import AuditKind
from .authentication import token_expired
from .lockout import lockout_clear
from .models import PasswordHistory, Role, Unit, User
from .permissions import can_set_self_approval

# Letters and digits that cannot be mistaken for one another when read out or copied by hand
# (no 0/O/o, 1/l/I): 56 symbols, 12 of them ≈ 70 bits.
UNAMBIGUOUS_SYMBOLS = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

# What a person may write for a role (the CSV file, --role): the code or the Chinese name.
ROLE_ALIASES = {
    **{value: value for value in Role.values},
    **{str(label): value for value, label in Role.choices},
    "督查员": Role.OFFICE,
    "领导小组办公室": Role.OFFICE,
    "管理员": Role.ADMIN,
}


def password_generate() -> str:
    """A one-time password such as ``hK7p-3mQx-9RtW``: 12 random symbols (``secrets``) with at
    least one lower-case letter, upper-case letter and digit, in groups of four for dictation."""
    while True:
        symbols = "".join(secrets.choice(UNAMBIGUOUS_SYMBOLS) for _ in range(12))
        if (
            any(c.islower() for c in symbols)
            and any(c.isupper() for c in symbols)
            and any(c.isdigit() for c in symbols)
        ):
            return "-".join(symbols[i : i + 4] for i in range(0, 12, 4))


def password_problems(password: str, *, user: User | None = None) -> list[str]:
    """What Django's password validators (AUTH_PASSWORD_VALIDATORS) find wrong, in Chinese
    (locale/ supplies the one message Django 5.2's own Chinese catalogue lacks)."""
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def role_parse(text: str) -> str | None:
    """The role code for ``reporter`` or ``填报员`` (and the other roles), else None."""
    return ROLE_ALIASES.get(text.strip())


@dataclass(frozen=True)
class AccountRequest:
    """One account to create, as a person or a line of a CSV file gives it."""

    username: str
    role: str
    unit_name: str = ""
    email: str = ""
    display_name: str = ""
    password: str = ""  # empty: a one-time password is generated
    line: int | None = None  # where it came from, for messages about a file
    problems: tuple[str, ...] = ()  # what the reader of the file found wrong with the line


@dataclass(frozen=True)
class NewAccount:
    """A created account; ``password`` is its one-time password, "" when one was given."""

    user: User
    password: str

    @property
    def one_time(self) -> bool:
        return bool(self.password)


def _prepare(
    request: AccountRequest, *, check_password: bool, can_log_in: bool
) -> tuple[User, str, list[str]]:
    """The unsaved user, its one-time password ("" if none) and every problem found, in Chinese."""
    errors: list[str] = list(request.problems)
    username = request.username.strip()
    if not username:
        errors.append("缺少用户名。")
    elif User.objects.filter(username__iexact=username).exists():
        errors.append(f"用户名“{username}”已被使用。")

    role = role_parse(request.role)
    if role is None:
        names = "、".join(f"{value}（{label}）" for value, label in Role.choices)
        errors.append(f"角色“{request.role}”无效，应为 {names} 之一。")

    unit = None
    unit_name = request.unit_name.strip()
    if unit_name:
        unit = Unit.objects.filter(name=unit_name).first()
        if unit is None:
            errors.append(f"单位“{unit_name}”不存在（请使用方案中的单位简称，如“市科技局”）。")
        elif unit.is_group:
            errors.append(f"“{unit_name}”是单位集合，不能作为所属单位；请指定其中的具体单位。")
        elif not unit.is_active:
            errors.append(f"单位“{unit_name}”已停用。")
    elif role in (Role.REPORTER, Role.APPROVER):
        errors.append(f"{Role(role).label}必须指定所属单位。")

    email = request.email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(f"邮箱“{email}”格式不正确。")

    user = User(
        username=username,
        role=role or "",
        unit=unit if unit is not None and not unit.is_group else None,
        email=email,
        first_name=request.display_name.strip(),
        is_staff=role in (Role.ADMIN, Role.OFFICE),  # the office edits some models (units.access)
        is_superuser=role == Role.ADMIN,
        is_active=can_log_in,
    )
    one_time = ""
    if not can_log_in:
        user.set_unusable_password()
    elif request.password:
        if check_password and (problems := password_problems(request.password, user=user)):
            errors.append("密码不够安全：" + "".join(problems))
        user.set_password(request.password)
    else:
        one_time = password_generate()
        user.set_password(one_time)
        user.must_change_password = True

    if not errors:
        # What the model itself checks (lengths, the characters of a username, ...).
        try:
            user.full_clean(validate_unique=False)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                name = (
                    ""
                    if field == "__all__"
                    else getattr(User._meta.get_field(field), "verbose_name", field)
                )
                errors.extend(f"{name}：{m}" if name else m for m in messages)
    return user, one_time, errors


def _account_save(user: User) -> None:
    """Save a new account; a password it was given starts its rotation clock and history."""
    usable = user.has_usable_password()
    if usable:
        user.password_changed_at = clock.now()
    user.save()
    if usable:
        PasswordHistory.objects.create(user=user, password=user.password)
    staff_access_apply(user=user)


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    unit_name: str | None = None,
    email: str = "",
    password: str | None = None,
    display_name: str = "",
    check_password: bool = True,
    can_log_in: bool = True,
) -> NewAccount:
    """Create an account with its unit and role.

    Without ``password`` a one-time password is generated and returned, and the person must
    change it at first login. ``check_password=False`` skips Django's password validators (only
    for the public demo passwords); ``can_log_in=False`` creates an inactive account with an
    unusable password (the demo data's placeholder reporters). Every problem found is reported
    at once, in Chinese, and nothing is written.
    """
    request = AccountRequest(
        username=username,
        role=role,
        unit_name=unit_name or "",
        email=email,
        display_name=display_name,
        password=password or "",
    )
    user, one_time, errors = _prepare(request, check_password=check_password, can_log_in=can_log_in)
    if errors:
        raise ApplicationError("".join(errors), {"errors": errors})
    _account_save(user)
    return NewAccount(user, one_time)


@transaction.atomic
def users_create(*, requests: Sequence[AccountRequest]) -> list[NewAccount]:
    """Create several accounts: all of them, or, if any is wrong, none.

    Every request is checked before anything is written; the error lists every bad one by its
    ``line`` (``extra["rows"]``: line → messages), so a file can be corrected in one go.
    """
    if not requests:
        raise ApplicationError("没有要创建的账号。")
    prepared: list[tuple[User, str]] = []
    problems: dict[int, list[str]] = {}
    first_line: dict[str, int] = {}
    for index, request in enumerate(requests, start=1):
        line = request.line or index
        user, one_time, errors = _prepare(request, check_password=True, can_log_in=True)
        key = user.username.lower()
        if key and key in first_line:
            errors.insert(0, f"用户名“{user.username}”与第 {first_line[key]} 行重复。")
        elif key:
            first_line[key] = line
        if errors:
            problems[line] = errors
        prepared.append((user, one_time))
    if problems:
        raise ApplicationError(f"有 {len(problems)} 行有误，没有创建任何账号。", {"rows": problems})
    accounts = []
    for user, one_time in prepared:
        _account_save(user)
        accounts.append(NewAccount(user, one_time))
    return accounts


def _password_set(user: User, password: str) -> None:
    """Set the password, date it and keep its hash in the history (the last
    PASSWORD_HISTORY_COUNT are kept); every API token of the person is revoked. Their other
    sessions end by themselves: Django checks each session against the password's hash."""
    user.set_password(password)
    user.password_changed_at = clock.now()
    user.save()
    PasswordHistory.objects.create(user=user, password=user.password)
    keep = max(settings.PASSWORD_HISTORY_COUNT, 1)
    stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[keep:]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    Token.objects.filter(user=user).delete()


@transaction.atomic
def user_password_change(*, user: User, password: str) -> User:
    """Set the password the person chose (validated by the form that asked for it); the
    one-time password requirement is lifted, the rotation clock restarts, tokens are revoked."""
    user.must_change_password = False
    _password_set(user, password)
    audit.record(AuditKind.PASSWORD_CHANGE, actor=user, obj=user, detail="本人修改密码。")
    return user


@transaction.atomic
def user_password_reset(*, actor: User, user: User, password: str) -> User:
    """An administrator sets a person's password (validated by the admin's form): the person
    must change it at the next login; every session and token of theirs ends."""
    if not actor.is_superuser:
        raise NotPermittedError("只有系统管理员可以重置密码。")
    user.must_change_password = True
    _password_set(user, password)
    audit.record(
        AuditKind.PASSWORD_RESET, actor=actor, obj=user, detail=f"系统管理员重置“{user}”的密码。"
    )
    return user


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> int:
    """An administrator lifts a login lockout (units.lockout) before its time; the number of
    failures forgotten."""
    if not actor.is_superuser:
        raise NotPermittedError("只有系统管理员可以解除登录锁定。")
    forgotten = lockout_clear(user.username)
    audit.record(
        AuditKind.UNLOCK,
        actor=actor,
        obj=user,
        detail=f"解除“{user}”的登录锁定（清除 {forgotten} 次失败记录）。",
    )
    return forgotten


@transaction.atomic
def unit_self_approval_set(*, actor: User, unit: Unit, allowed: bool) -> Unit:
    """The office allows (or no longer allows) the unit's approver to approve a report they wrote
    (a unit with a single approver, issue 11)."""
    if not can_set_self_approval(actor):
        raise NotPermittedError("只有领导小组办公室可以设置是否允许本人审核本人报告。")
    if unit.is_group:
        raise ApplicationError("单位集合没有审核人，不能设置。")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.self_approval_allowed != allowed:
        unit.self_approval_allowed = allowed
        unit.save(update_fields=["self_approval_allowed"])
    return unit


# ---------------------------------------------------------------------------------------------
# API tokens: each person has at most one; it expires API_TOKEN_TTL_DAYS days after it was
# issued (units.authentication) and its owner may revoke it.
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def token_issue(*, user: User) -> Token:
    """The person's token: the current one while it is valid, else a new one."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and not token_expired(token):
        return token
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@transaction.atomic
def token_revoke(*, user: User) -> bool:
    """Revoke the person's token; whether there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)


# ---------------------------------------------------------------------------------------------
# Single sign-on (units.sso): the local account of a person of the unified identity platform
# ---------------------------------------------------------------------------------------------

SSO_ROLES = (Role.REPORTER, Role.APPROVER, Role.OFFICE, Role.LEADER)  # never admin by SSO


@dataclass(frozen=True)
class SsoPerson:
    """What the platform says of a person: its subject, username, name, unit and role values."""

    subject: str
    username: str
    name: str
    unit: str
    roles: tuple[str, ...]


def _sso_unit(value: str) -> Unit | None:
    value = value.strip()
    if not value:
        return None
    unit = (
        Unit.objects.organisations()
        .filter(is_active=True)
        .filter(models.Q(name=value) | models.Q(full_name=value))
        .first()
    )
    if unit is None:
        raise ApplicationError(
            f"统一身份认证平台给出的单位“{value[:64]}”不在本平台的单位名录中，不能登录。"
            "请联系领导小组办公室添加该单位或更正单位名称。"
        )
    return unit


def _sso_role(values: Sequence[str]) -> str:
    mapping = settings.OIDC_ROLE_MAP
    for value in values:
        role = mapping.get(str(value))
        if role in SSO_ROLES:
            return str(role)
    shown = "、".join(str(v)[:32] for v in values) or "（无）"
    raise ApplicationError(
        f"统一身份认证平台给出的角色“{shown}”在本平台没有对应角色，不能登录。请联系领导小组办公室。"
    )


@transaction.atomic
def sso_account_sync(*, person: SsoPerson) -> User:
    """Find the account of this platform subject or make it; its unit and role follow the
    platform at every login. An unknown unit or role refuses the login and writes nothing. Never
    linked to a local account by its username, never an administrator."""
    if not person.subject:
        raise ApplicationError("统一身份认证平台没有给出用户标识，不能登录。")
    role = _sso_role(person.roles)
    unit = _sso_unit(person.unit)
    if unit is None and role in (Role.REPORTER, Role.APPROVER):
        raise ApplicationError("统一身份认证平台没有给出所属单位，填报员和审核人不能登录。")
    user = User.objects.select_for_update().filter(sso_subject=person.subject).first()
    if user is None:
        username = person.username[:150] or person.subject[:150]
        if User.objects.filter(username=username).exists():
            username = f"sso-{person.subject}"[:150]
        user = User(username=username, sso_subject=person.subject)
        user.set_unusable_password()
    user.unit = unit
    user.role = role
    user.must_change_password = False
    if person.name:
        user.last_name, user.first_name = person.name[:150], ""
    user.save()
    staff_access_apply(user=user)
    return user


# ---------------------------------------------------------------------------------------------
# Demo accounts (public passwords; the commands refuse to create them unless DEBUG is on)
# ---------------------------------------------------------------------------------------------


def demo_accounts_read(path: Path) -> list[dict[str, Any]]:
    """The demo accounts listed in ``fixtures/demo_accounts.yaml`` (or another such file)."""
    accounts: list[dict[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8"))["accounts"]
    return accounts


@transaction.atomic
def demo_accounts_ensure(*, accounts: Sequence[dict[str, Any]]) -> list[tuple[dict, bool]]:
    """Create the demo accounts that do not exist yet (by username); existing ones are left as
    they are. Returns each account with whether it was created now."""
    result = []
    for account in accounts:
        exists = User.objects.filter(username=account["username"]).exists()
        if not exists:
            user_create(
                username=account["username"],
                role=account["role"],
                unit_name=account.get("unit"),
                email=account.get("email", ""),
                password=account["password"],
                display_name=account.get("display_name", ""),
                check_password=False,
            )
        result.append((account, not exists))
    return result
