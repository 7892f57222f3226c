"""What every page's layout needs to know about the user, asked of tasks.permissions."""

from django.http import HttpRequest

from tasks import permissions


def roles(request: HttpRequest) -> dict[str, bool]:
    user = request.user
    return {
        "is_unit_staff": permissions.is_unit_staff(user),  # type: ignore[arg-type]
        "is_office": permissions.is_office(user),  # type: ignore[arg-type]
        "is_leader": permissions.is_leader(user),  # type: ignore[arg-type]
    }
