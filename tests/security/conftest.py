"""The demo data (seed_demo) once per module for the tests that walk the whole surface (the URL
matrix, schemathesis): accounts of every role and four years of reports, milestones and ledger
entries, so that ids exist. Seeded in a transaction rolled back after the module (each test's own
transaction nests in it), and the cache emptied before and after."""

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        cache.clear()
        try:
            with override_settings(DEBUG=True):
                call_command("seed_demo", stdout=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()
