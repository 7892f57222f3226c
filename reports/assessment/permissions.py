"""Who may do what with 督查考核: the office edits the rules and publishes; the office and the
leaders see every unit's ranking (published or the preview); a unit's staff see their own unit's
published score and rank only (never the preview nor other units'); the auditor nothing."""

from django.contrib.auth.models import AnonymousUser

from units.models import User
from units.permissions import is_leader, is_office, is_unit_staff


def can_manage(user: User | AnonymousUser) -> bool:
    """Edit the rules (a new version), publish the ranking."""
    return is_office(user)


def can_see_all(user: User | AnonymousUser) -> bool:
    return is_office(user) or is_leader(user)


def can_see(user: User | AnonymousUser) -> bool:
    """The page and the API at all (unit staff: their own unit's published row)."""
    return can_see_all(user) or is_unit_staff(user)


def visible_rows(user: User, rows: list[dict], *, published: bool) -> list[dict]:
    if can_see_all(user):
        return rows
    if not published or not is_unit_staff(user):
        return []
    return [r for r in rows if r["unit_id"] == user.unit_id]
