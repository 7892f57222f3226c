"""Who may do what with notifications: everyone reads and marks their own notices; the office
reads the delivery log and resends."""

from django.contrib.auth.models import AnonymousUser

from units.models import User
from units.permissions import is_office


def can_see_delivery_log(user: User | AnonymousUser) -> bool:
    return is_office(user)


def can_resend(user: User | AnonymousUser) -> bool:
    return is_office(user)
