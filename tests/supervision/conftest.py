"""Fixtures of the 催办 and 督办单 tests."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command


@pytest.fixture(scope="module")
def data_restored(django_db_blocker: Any) -> Iterator[None]:
    """A transactional test's database is flushed after it; once the module's are done, the
    plan and the working-day calendar are loaded again, as the session left them."""
    yield
    with django_db_blocker.unblock():
        call_command("load_plan", verbosity=0)
        call_command("load_workdays", verbosity=0)


@pytest.fixture
def committed_data(data_restored: None, transactional_db: None) -> None:
    call_command("load_plan", verbosity=0)
    call_command("load_workdays", verbosity=0)
