"""Who enters the admin (管理后台): the administrator (superuser: everything) and the office
(staff, in the group 领导小组办公室: view, add and change of the calendar, the reminder rules,
the 联络员, the group robots and the beat schedule, nothing else).

``office_group_ensure`` creates the group with its permissions, idempotently (migration
units.0007 does the same for a database being migrated; this one serves a database flushed since,
and a deploy that added a model to the list); ``staff_access_apply`` gives a person what their
role says, wherever a role is set (the account services, the user admin).
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from .models import Role, User

OFFICE_GROUP = "领导小组办公室"
# (app label, model name): what the office edits in the admin (issue #9)
OFFICE_ADMIN_MODELS: tuple[tuple[str, str], ...] = (
    ("tasks", "workdayyear"),
    ("tasks", "calendarday"),
    ("tasks", "reminderrule"),
    ("units", "contact"),
    ("units", "webhook"),
    ("django_celery_beat", "periodictask"),
    ("django_celery_beat", "crontabschedule"),
)
OFFICE_ADMIN_ACTIONS: tuple[str, ...] = ("view", "add", "change")


def office_permissions() -> list[Permission]:
    wanted = Q(pk__in=[])
    for app_label, model in OFFICE_ADMIN_MODELS:
        codenames = [f"{action}_{model}" for action in OFFICE_ADMIN_ACTIONS]
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    return list(Permission.objects.filter(wanted).order_by("id"))


@transaction.atomic
def office_group_ensure() -> Group:
    """The office's group with exactly its permissions (created, or set again)."""
    group, _ = Group.objects.get_or_create(name=OFFICE_GROUP)
    group.permissions.set(office_permissions())
    return group


@transaction.atomic
def staff_access_apply(*, user: User) -> User:
    """The admin access of the person's role: the office is staff and in the office's group;
    the administrator is staff (and superuser, set where the account is made); anyone else
    leaves the office's group and, if they were in it, the staff."""
    if user.role == Role.OFFICE:
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(office_group_ensure())
    elif user.role != Role.ADMIN:
        group = Group.objects.filter(name=OFFICE_GROUP).first()
        if group is not None and user.groups.filter(pk=group.pk).exists():
            user.groups.remove(group)
            if user.is_staff and not user.is_superuser:
                user.is_staff = False
                user.save(update_fields=["is_staff"])
    return user
