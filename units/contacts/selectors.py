"""Reads of contact people: per unit, and for many units in one query."""

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import Contact


def contact_list(unit_id: int) -> QuerySet[Contact]:
    return Contact.objects.filter(unit_id=unit_id).order_by("order", "id")


def contacts_of(unit_ids: Iterable[int]) -> dict[int, list[Contact]]:
    """Each unit's contacts in their order, for many units: one query. Units without contacts
    are absent (``.get(unit_id, [])``)."""
    ids = list(set(unit_ids))
    found: dict[int, list[Contact]] = {}
    if not ids:
        return found
    for contact in Contact.objects.filter(unit_id__in=ids).order_by("unit_id", "order", "id"):
        found.setdefault(contact.unit_id, []).append(contact)
    return found
