"""schemathesis against /api/schema/ (issue 11, 入侵防范): every operation of the API, as the
office, a reporter and a leader (token auth, the demo data seeded so that ids exist), with generated
input, valid and not. No answer may be a 5xx, every answer must match the schema (its status
declared, its body of the declared shape and content type).

Bounded and reproducible: ``MAX_EXAMPLES`` examples per operation and role, derandomized (the
same examples every run), no shrinking, no deadline. The module runs in about the time given in
docs/security.md; it calls the application in-process (WSGI) inside the test's transaction, so
nothing it writes survives the test.
"""

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from units.models import User
from units.services import token_issue

MAX_EXAMPLES = 10
ROLES = {"office": "office", "reporter": "kjj_reporter", "leader": "leader"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
FUZZ = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    database=None,
)


@pytest.fixture
def wsgi_app(seeded: None, db: None) -> Iterator[WSGIHandler]:
    """The project's WSGI application, called in this thread: it sees the test's transaction.
    Django's own test client keeps the connection open across a request the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def token_header(username: str) -> dict[str, str]:
    """The account's token (a new one if a generated DELETE /api/auth/token/ revoked it)."""
    token = token_issue(user=User.objects.get(username=username))
    return {"Authorization": f"Token {token.key}"}


def served_schema() -> dict[str, Any]:
    """The schema /api/schema/ serves (drf-spectacular's generator and JSON renderer); a test
    below holds the endpoint to it. Built at import, before any database exists, because
    schemathesis makes one pytest case per operation at collection (its lazy fixture loader
    does not run on pytest 9)."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


SCHEMA = served_schema()
# The coverage phase (boundary cases derived from each parameter, hundreds per operation and not
# bounded by max_examples) is off: the examples of the schema and MAX_EXAMPLES generated ones.
CONFIG = SchemathesisConfig.from_dict(
    {
        "phases": {"coverage": {"enabled": False}},
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "no-shrink": True},
    }
)
schema = schemathesis.openapi.from_dict(copy.deepcopy(SCHEMA), config=CONFIG)


def call(case: Any, app: WSGIHandler, role: str) -> None:
    case.call_and_validate(headers=token_header(ROLES[role]), checks=CHECKS, app=app)


def test_the_schema_is_the_one_the_api_serves(wsgi_app: WSGIHandler) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=token_header(ROLES["office"])["Authorization"])
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert json.loads(response.content) == SCHEMA


@schema.parametrize()
@FUZZ
def test_the_api_as_the_office(case: Any, wsgi_app: WSGIHandler) -> None:
    call(case, wsgi_app, "office")


@schema.parametrize()
@FUZZ
def test_the_api_as_a_reporter(case: Any, wsgi_app: WSGIHandler) -> None:
    call(case, wsgi_app, "reporter")


@schema.parametrize()
@FUZZ
def test_the_api_as_a_leader(case: Any, wsgi_app: WSGIHandler) -> None:
    call(case, wsgi_app, "leader")
