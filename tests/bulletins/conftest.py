"""The demo data (seed_demo) once for the module, and the people of each role."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from reports.bulletins.models import Bulletin, BulletinNumber
from tasks.models import ReportingPeriod
from tests.conftest import demo_data_committed, demo_data_removed
from units.models import User

PERIOD = "2021Q3"


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """seed_demo: four years of quarterly reports, milestones and ledger entries, and the demo
    accounts (office, leader, kjj_reporter, kjj_approver, ...); removed afterwards."""
    with django_db_blocker.unblock():
        users_before = demo_data_committed()
        cache.clear()
        try:
            yield
        finally:
            Bulletin.objects.all().delete()
            BulletinNumber.objects.all().delete()
            demo_data_removed(users_before)
            cache.clear()


@pytest.fixture
def accounts(demo: None) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=ROLES)}


ROLES = ("office", "leader", "kjj_reporter", "kjj_approver")


@pytest.fixture
def period(demo: None) -> ReportingPeriod:
    return ReportingPeriod.objects.select_related("plan").get(code=PERIOD)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
