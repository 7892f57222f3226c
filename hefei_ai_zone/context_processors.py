"""What every page's layout needs to know about the user, asked of units.permissions."""

from django.http import HttpRequest

from units.permissions import is_leader, is_office, is_unit_staff


def roles(request: HttpRequest) -> dict[str, bool]:
    user = request.user
    return {
        "is_unit_staff": is_unit_staff(user),
        "is_office": is_office(user),
        "is_leader": is_leader(user),
    }
