"""Reads of the plan import: which of a workbook's unit names the platform knows, the units a
name may be mapped to, and whether a plan code is taken."""

from django.db.models import Q, QuerySet

from tasks.models import Plan
from units.models import Unit


def units_known(names: list[str]) -> dict[str, Unit]:
    """Each name that is a unit's 简称 or 全称 (the 简称 wins), with its unit: one query."""
    found: dict[str, Unit] = {}
    units = Unit.objects.filter(Q(name__in=names) | Q(full_name__in=names))
    for unit in sorted(units, key=lambda u: u.name not in names):
        for key in (unit.name, unit.full_name):
            if key in names and key not in found:
                found[key] = unit
    return found


def units_to_map() -> QuerySet[Unit]:
    """The units and groups an unknown name may be mapped to, in the site's order."""
    return Unit.objects.filter(is_active=True).order_by("kind", "sort_order", "pk")


def plan_code_taken(code: str) -> bool:
    return Plan.objects.filter(code=code).exists()
