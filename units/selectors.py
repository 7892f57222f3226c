"""Reads of units: the unit list with its groups, and what a unit answers for."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from tasks.models import Assignment

from .models import Unit, UnitKind


def unit_list() -> QuerySet[Unit]:
    """Units and groups in the customary order, with members, groups and assignment counts."""
    return (
        Unit.objects.prefetch_related(
            Prefetch("members", queryset=Unit.objects.order_by("sort_order")),
            Prefetch("groups", queryset=Unit.objects.order_by("sort_order")),
        )
        .annotate(
            lead_count=Count(
                "assignments", filter=Q(assignments__role="lead", assignments__task__isnull=False)
            ),
            co_count=Count(
                "assignments", filter=Q(assignments__role="co", assignments__task__isnull=False)
            ),
        )
        .order_by("sort_order", "id")
    )


@dataclass(frozen=True)
class UnitDuty:
    """One assignment as seen by a unit: direct, or through a group it belongs to."""

    assignment: Assignment
    via: Unit | None  # the group, when the plan names the group and not the unit

    @property
    def role(self) -> str:
        return self.assignment.role


def unit_duties(unit: Unit) -> list[UnitDuty]:
    """Every task and demo assignment the unit answers for, in plan order (three queries)."""
    owners = [unit] if unit.kind == UnitKind.GROUP else [unit, *unit.groups.all()]
    assignments = (
        Assignment.objects.filter(unit__in=owners)
        .select_related("unit", "task__section", "task__item", "demo")
        .order_by("task__seq", "demo__seq", "order")
    )
    return [UnitDuty(a, None if a.unit_id == unit.pk else a.unit) for a in assignments]
