"""Who must have a second factor: the roles of OTP_REQUIRED_ROLES (the office and the
administrators by default; a superuser counts as an administrator)."""

from django.conf import settings

from units.models import Role, User


def two_factor_required(user: User) -> bool:
    roles = set(settings.OTP_REQUIRED_ROLES)
    if not roles or not user.is_authenticated:
        return False
    return user.role in roles or (user.is_superuser and Role.ADMIN in roles)


def may_turn_off(user: User) -> bool:
    """A person of a required role keeps the second factor (an administrator resets it)."""
    return not two_factor_required(user)
