"""Writes to units and accounts."""

from django.db import transaction

from hefei_ai_zone.errors import ApplicationError

from .models import Role, Unit, User


@transaction.atomic
def user_create(
    *,
    username: str,
    role: str,
    unit_name: str | None = None,
    email: str = "",
    password: str,
    display_name: str = "",
) -> User:
    """Create an account with its unit and role; validation errors come back in Chinese."""
    if role not in Role.values:
        raise ApplicationError(f"角色“{role}”无效，应为 {', '.join(Role.values)} 之一。")
    unit = None
    if unit_name:
        unit = Unit.objects.filter(name=unit_name).first()
        if unit is None:
            raise ApplicationError(f"单位“{unit_name}”不存在。")
    if User.objects.filter(username=username).exists():
        raise ApplicationError(f"用户名“{username}”已被使用。")
    user = User(
        username=username,
        role=role,
        unit=unit,
        email=email,
        first_name=display_name,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    return user
