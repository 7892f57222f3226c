"""Reads of units: the unit list with its groups, and what a unit answers for."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Unit


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
