"""The office enters the admin: the group 领导小组办公室 with the view/add/change permissions of
the calendar, the reminder rules, the 联络员, the group robots and the beat schedule (see
units.access), and the existing office accounts made staff and put in it. Idempotent."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

OFFICE_GROUP = "领导小组办公室"
MODELS = (
    ("tasks", "workdayyear"),
    ("tasks", "calendarday"),
    ("tasks", "reminderrule"),
    ("units", "contact"),
    ("units", "webhook"),
    ("django_celery_beat", "periodictask"),
    ("django_celery_beat", "crontabschedule"),
)
ACTIONS = ("view", "add", "change")


def grant(apps, schema_editor):
    # on a new database the permissions are only made after every migration (post_migrate)
    for label in ("tasks", "units", "django_celery_beat"):
        create_permissions(global_apps.get_app_config(label), verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    User = apps.get_model("units", "User")
    group, _ = Group.objects.get_or_create(name=OFFICE_GROUP)
    for app_label, model in MODELS:
        codenames = [f"{action}_{model}" for action in ACTIONS]
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        )
    for user in User.objects.filter(role="office"):
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(group)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("units", "User")
    User.objects.filter(role="office", is_superuser=False).update(is_staff=False)
    Group.objects.filter(name=OFFICE_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0006_delivery_transmitting_at"),
        ("tasks", "0016_reminders"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
