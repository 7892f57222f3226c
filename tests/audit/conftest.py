"""The audit tests' accounts: the shared ``people`` and the security auditor; the
administrator made as the services make it (superuser, staff)."""

import pytest

from tests.units.factories import make_user
from units.models import Role, User
from units.services import user_create


@pytest.fixture
def people(people: dict[str, User]) -> dict[str, User]:
    return {
        **people,
        "auditor": make_user("auditor", Role.AUDITOR, None),
        "admin_su": user_create(
            username="root", role=Role.ADMIN, password="pw-for-tests-1", check_password=False
        ).user,
    }
