"""Shared fixtures. The plan is loaded once per session into the PostgreSQL test database.

Browser tests (marked e2e) run last: they use a live server, which needs committed data and
flushes the database afterwards, so they load the plan themselves.
"""

from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from units.models import Role, Unit, User


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        call_command("load_plan", verbosity=0)


def make_user(username: str, role: str = Role.REPORTER, unit: str | None = "市科技局") -> User:
    user = User(username=username, role=role, unit=Unit.objects.get(name=unit) if unit else None)
    user.set_password("pw-for-tests-1")
    user.save()
    return user


@pytest.fixture
def user(db: None) -> User:
    return make_user("kjj")


@pytest.fixture
def api(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def anon_api() -> APIClient:
    return APIClient()
