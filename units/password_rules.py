"""The password rules (等保 2.0 level 3: 身份鉴别), the one home of what a password must be and
when it must change. Listed in AUTH_PASSWORD_VALIDATORS (settings/base.py), so the change page,
the administrator's reset and the account commands all apply them, each message in Chinese.

- ``CompositionValidator``: at least ``min_classes`` of the four classes (upper-case, lower-case,
  digits, symbols). On when ``PASSWORD_COMPOSITION`` is true (the default; see docs/security.md
  for why OWASP ASVS would leave it off and why this system keeps it).
- ``NoUsernameValidator``: the password may not contain the username (any case).
- ``PasswordHistoryValidator``: not the current password nor one of the last ``count``
  (``PASSWORD_HISTORY_COUNT``, hashes in ``units.PasswordHistory``).
- ``password_expired``: older than ``PASSWORD_MAX_AGE_DAYS`` (0 = never), which the middleware
  turns into a visit to the change page.

Existing passwords are never re-validated at login (the demo accounts keep theirs).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

from hefei_ai_zone import clock

from .models import PasswordHistory, User

CLASSES = ("大写字母", "小写字母", "数字", "符号")


def character_classes(password: str) -> set[str]:
    """Which of the four classes the password uses (letters and digits of ASCII; anything
    else, Chinese characters included, counts as a symbol)."""
    found: set[str] = set()
    for c in password:
        if "A" <= c <= "Z":
            found.add("大写字母")
        elif "a" <= c <= "z":
            found.add("小写字母")
        elif "0" <= c <= "9":
            found.add("数字")
        elif not c.isspace():
            found.add("符号")
    return found


class CompositionValidator:
    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: User | None = None) -> None:
        if len(character_classes(password)) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return f"密码须包含{'、'.join(CLASSES)}中的至少 {self.min_classes} 类。"


class NoUsernameValidator:
    def validate(self, password: str, user: User | None = None) -> None:
        username = (getattr(user, "username", "") or "").strip().lower()
        if username and username in password.lower():
            raise ValidationError("密码不能包含用户名。", code="password_contains_username")

    def get_help_text(self) -> str:
        return "密码不能包含用户名。"


class PasswordHistoryValidator:
    def __init__(self, count: int = 3) -> None:
        self.count = count

    def validate(self, password: str, user: User | None = None) -> None:
        if user is None or user.pk is None or self.count <= 0:
            return
        hashes = list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[
                : self.count
            ]
        )
        if user.password and user.has_usable_password() and user.password not in hashes:
            hashes = [user.password, *hashes[: self.count - 1]]
        if any(check_password(password, encoded) for encoded in hashes):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self) -> str:
        return f"新密码不能与最近 {self.count} 次使用过的密码相同。"


def password_expired(user: User) -> bool:
    """Whether the person's password is older than PASSWORD_MAX_AGE_DAYS (0: never). An
    account without a date (made before the rule, outside the services) is not held back."""
    days = settings.PASSWORD_MAX_AGE_DAYS
    changed = getattr(user, "password_changed_at", None)
    if not days or changed is None:
        return False
    return clock.now() - changed > timedelta(days=days)
