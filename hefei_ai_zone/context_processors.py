"""What every page's layout needs to know about the user, asked of units.permissions."""

from django.http import HttpRequest

from tasks.reporting.worklists import WorkCounts
from units.permissions import is_leader, is_office, is_unit_staff


def roles(request: HttpRequest) -> dict[str, bool]:
    user = request.user
    return {
        "is_unit_staff": is_unit_staff(user),  # type: ignore[arg-type]
        "is_office": is_office(user),  # type: ignore[arg-type]
        "is_leader": is_leader(user),  # type: ignore[arg-type]
    }


def work_counts(request: HttpRequest) -> dict[str, object]:
    """What waits for the user, for the navigation bar: 待我审核 (a unit's approver) and 审核
    (the office). One query each, made only when the page shows it."""
    return {"work_counts": WorkCounts(request.user)}  # type: ignore[arg-type]
