"""The office edits the calendar, the reminder rules, the 联络员, the group robots and the beat
schedule in the admin (issue #9), and nothing else there; the administrator keeps everything."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client

from tests.units.factories import make_user
from units.access import OFFICE_GROUP, office_group_ensure, staff_access_apply
from units.models import Role, User
from units.services import user_create

pytestmark = pytest.mark.django_db

OFFICE_PAGES = [
    "/admin/",
    "/admin/tasks/workdayyear/",
    "/admin/tasks/calendarday/",
    "/admin/tasks/calendarday/add/",
    "/admin/tasks/reminderrule/",
    "/admin/units/contact/",
    "/admin/units/contact/add/",
    "/admin/units/webhook/",
    "/admin/units/webhook/add/",
    "/admin/django_celery_beat/periodictask/",
    "/admin/django_celery_beat/periodictask/add/",
    "/admin/django_celery_beat/crontabschedule/",
]
NOT_THE_OFFICES = [
    "/admin/units/user/",
    "/admin/units/user/add/",
    "/admin/auth/group/",
    "/admin/units/unit/",
    "/admin/tasks/escalation/",
    "/admin/django_celery_beat/intervalschedule/",
]


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def office_account() -> User:
    return user_create(username="ban", role=Role.OFFICE, password="Office-pw-2026!").user


@pytest.mark.parametrize("path", OFFICE_PAGES)
def test_an_office_account_opens_its_admin_pages(path) -> None:
    assert client_of(office_account()).get(path).status_code == 200


@pytest.mark.parametrize("path", NOT_THE_OFFICES)
def test_an_office_account_is_refused_the_rest_of_the_admin(path) -> None:
    assert client_of(office_account()).get(path).status_code == 403


def test_the_office_index_lists_only_its_models() -> None:
    page = client_of(office_account()).get("/admin/").content.decode()
    assert "联络员" in page and "群机器人" in page
    assert "/admin/units/user/" not in page


def test_the_administrator_keeps_everything() -> None:
    admin = user_create(username="root", role=Role.ADMIN, password="Admin-pw-2026!").user
    for path in [*OFFICE_PAGES, *NOT_THE_OFFICES]:
        assert client_of(admin).get(path).status_code == 200, path


def test_other_roles_have_no_admin() -> None:
    reporter = user_create(
        username="tb", role=Role.REPORTER, unit_name="市科技局", password="Report-pw-2026!"
    ).user
    assert not reporter.is_staff
    assert client_of(reporter).get("/admin/").status_code == 302  # to the admin's login


def test_a_role_changed_away_from_the_office_loses_the_admin() -> None:
    user = office_account()
    assert user.is_staff and user.groups.filter(name=OFFICE_GROUP).exists()
    user.role = Role.LEADER
    user.save()
    staff_access_apply(user=user)
    user.refresh_from_db()
    assert not user.is_staff and not user.groups.exists()


def test_the_group_is_made_once_and_existing_office_accounts_get_access() -> None:
    existing = make_user("old_office", Role.OFFICE, None)  # made before the migration
    assert not existing.is_staff
    migration = importlib.import_module("units.migrations.0007_office_admin_access")
    migration.grant(apps, None)
    migration.grant(apps, None)
    existing.refresh_from_db()
    assert existing.is_staff and existing.groups.filter(name=OFFICE_GROUP).exists()
    group = Group.objects.get(name=OFFICE_GROUP)
    assert group.permissions.count() == 7 * 3
    assert office_group_ensure().permissions.count() == 21 and Group.objects.count() == 1
    assert client_of(existing).get("/admin/tasks/reminderrule/").status_code == 200
