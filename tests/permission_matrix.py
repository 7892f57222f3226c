"""What every permission matrix shares (tests/*/test_permissions.py): the matrix as parametrize
cases, placeholders in paths and bodies filled with ids, and a request made as one user through
the API or a page."""

from collections.abc import Mapping
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from units.models import User


def matrix_cases(matrix: Mapping[str, tuple[int, ...]], users: tuple[str, ...]) -> list[Any]:
    """One pytest case per endpoint and user, with the status the user must get."""
    return [
        pytest.param(endpoint, user, code, id=f"{endpoint}-{user}-{code}".replace(" ", "_"))
        for endpoint, codes in matrix.items()
        for user, code in zip(users, codes, strict=True)
    ]


def fill(value: Any, names: dict[str, int]) -> Any:
    """``"{name}"`` placeholders (whole values, in lists and dicts too) replaced by ids."""
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return names[value[1:-1]]
    if isinstance(value, list):
        return [fill(v, names) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, names) for k, v in value.items()}
    return value


def client_as(account: User | None, *, page: bool = False) -> Any:
    """A browser (``page``) or API client logged in as ``account`` (None: anonymous)."""
    if page:
        client = Client()
        if account is not None:
            client.force_login(account)
        return client
    api = APIClient()
    if account is not None:
        api.force_authenticate(account)
    return api


def send(
    account: User | None, method: str, path: str, body: dict[str, Any], *, page: bool = False
) -> Any:
    """The request as ``account``: a page's form post or the API's JSON."""
    client = client_as(account, page=page)
    if page:
        return getattr(client, method)(path, body or {})
    return getattr(client, method)(path, body or None, format="json")
