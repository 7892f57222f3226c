"""Writes of contact people (the office): create, change, delete; each validated, in one
transaction, with Chinese messages."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from units.models import Unit, User

from .models import Contact
from .permissions import can_manage_contacts

FIELDS = ("name", "mobile", "office_phone", "email", "note", "order")


def _require(actor: User) -> None:
    if not can_manage_contacts(actor):
        raise NotPermittedError("只有领导小组办公室可以维护联络员。")


def _save(contact: Contact) -> Contact:
    try:
        contact.full_clean()
    except ValidationError as error:
        fields = error.message_dict
        message = "；".join(m for ms in fields.values() for m in ms)
        raise ApplicationError(message, {"fields": fields}) from error
    contact.save()
    return contact


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ApplicationError(f"未知的字段：{'、'.join(sorted(unknown))}。")
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items()}


@transaction.atomic
def contact_create(*, actor: User, unit: Unit, **values: Any) -> Contact:
    _require(actor)
    if unit.is_group:
        raise ApplicationError("单位集合没有联络员，请为其成员单位添加。")
    return _save(Contact(unit=unit, **_clean(values)))


@transaction.atomic
def contact_update(*, actor: User, contact: Contact, **values: Any) -> Contact:
    _require(actor)
    for name, value in _clean(values).items():
        setattr(contact, name, value)
    return _save(contact)


@transaction.atomic
def contact_delete(*, actor: User, contact: Contact) -> None:
    _require(actor)
    contact.delete()
