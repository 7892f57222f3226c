"""Who may download a progress template and who may import one.

A unit's staff (reporters and approvers) download their own unit's template and import it; the
office downloads any unit's template (to send it, or to look at what a unit will fill) but
imports nothing: the reports are the unit's, written through tasks.reporting.services, which
let only the unit's staff write them. Leaders read and write nothing here.
"""

from units.models import Unit, User
from units.permissions import is_office, is_unit_staff


def can_download_template(user: User, unit: Unit) -> bool:
    if is_office(user):
        return True
    return is_unit_staff(user) and user.unit_id == unit.pk


def can_use_imports(user: User) -> bool:
    """The import page: the unit's staff (upload) and the office (templates)."""
    return is_office(user) or is_unit_staff(user)


def can_import(user: User, unit: Unit) -> bool:
    return is_unit_staff(user) and user.unit_id == unit.pk
