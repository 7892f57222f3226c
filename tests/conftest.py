"""Shared fixtures. The plan and the working-day calendar are loaded once per session into the
PostgreSQL test database.

Browser tests (marked e2e) run last: they use a live server, which needs committed data and
flushes the database afterwards, so they load the plan themselves.
"""

import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from rest_framework.test import APIClient

from tests.units.factories import make_user
from units.models import Role, User

if TYPE_CHECKING:
    from tasks.models import ReportingPeriod


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock():
        call_command("load_plan", verbosity=0)
        call_command("load_workdays", verbosity=0)


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


# --- reporting --------------------------------------------------------------------------------


@pytest.fixture
def period(db: None) -> "ReportingPeriod":
    """2021Q3, open (the plan's dates are in the past: tests freeze time where dates matter)."""
    from tasks.models import Plan, ReportingPeriod
    from tasks.reporting.services import periods_ensure

    periods_ensure(plan=Plan.objects.get(code="hefei-ai-2020-2023"))
    ReportingPeriod.objects.filter(code="2021Q3").update(state="open")
    return ReportingPeriod.objects.get(code="2021Q3")


@pytest.fixture
def people(db: None) -> dict[str, User]:
    """One account per role: 市科技局 (lead of task 1) and 市发改委 (co-unit of task 1) each have a
    reporter and an approver; 市司法局 has only a reporter (no approver: straight to the office)."""
    return {
        "kjj_reporter": make_user("kjj_reporter", Role.REPORTER, "市科技局"),
        "kjj_approver": make_user("kjj_approver", Role.APPROVER, "市科技局"),
        "fgw_reporter": make_user("fgw_reporter", Role.REPORTER, "市发改委"),
        "fgw_approver": make_user("fgw_approver", Role.APPROVER, "市发改委"),
        "sfj_reporter": make_user("sfj_reporter", Role.REPORTER, "市司法局"),
        "other_reporter": make_user("other_reporter", Role.REPORTER, "市统计局"),
        "office": make_user("office", Role.OFFICE, "市科技局"),
        "leader": make_user("leader", Role.LEADER, None),
        "admin": make_user("admin", Role.ADMIN, None),
    }


# Transactional tests (real worker processes read committed rows): the plan and the calendar
# loaded before the test and restored after the module.
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


# The demo data (seed_demo) committed for a module and removed after it: the tests that read it
# with the pages' own connections (bulletins built by the builders, the lights compared page by
# page). One place that knows everything seed_demo writes.
def demo_data_committed() -> set[int]:
    """Run seed_demo (committed); returns the users that existed before, for demo_data_removed."""
    users_before = set(User.objects.values_list("pk", flat=True))
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=io.StringIO())
    return users_before


def demo_data_removed(users_before: set[int]) -> None:
    """Remove what seed_demo wrote (its items, reports, periods, milestones, ledger, accounts)."""
    from tasks.models import (
        AchievementEntry,
        Directive,
        DirectiveNumber,
        Milestone,
        ProgressReport,
        ReportingPeriod,
    )

    Directive.objects.all().delete()
    DirectiveNumber.objects.all().delete()
    ProgressReport.objects.all().delete()
    Milestone.objects.all().delete()
    AchievementEntry.objects.all().delete()
    ReportingPeriod.objects.filter(plan__code="hefei-ai-2020-2023").delete()
    User.objects.exclude(pk__in=users_before).delete()
