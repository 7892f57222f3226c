"""Who may have the annual export built and read it: the office (and the administrator) and the
leaders. Units' staff see their own records elsewhere; the annual export covers every unit."""

from django.contrib.auth.models import AnonymousUser

from units.models import User
from units.permissions import is_leader, is_office


def can_export_annual(user: User | AnonymousUser) -> bool:
    return is_office(user) or is_leader(user)
