"""The permission matrix covers every endpoint and page (issue 11, 访问控制): every URL pattern of
the project has a row in url_matrix.URLS, and each role gets there what the row says. Anonymous
visitors are sent to the login page (pages) or get a 401 in the one JSON shape (/api/), except on
the public URLs; a refused POST changes nothing."""

import json
from typing import Any

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.security.surface_samples import samples_make
from tests.security.url_matrix import DONE, LOGIN, PUBLIC, ROLES, URLS, Entry, Expect

EXCLUDED_PREFIXES = ("admin/", "static/", "media/")


def patterns(resolvers: list[Any] | None = None, prefix: str = "") -> list[str]:
    """Every URL pattern of the project, includes walked, as the resolver spells it."""
    found = []
    for item in get_resolver().url_patterns if resolvers is None else resolvers:
        spelled = prefix + str(item.pattern)
        if spelled.startswith(EXCLUDED_PREFIXES):
            continue
        if isinstance(item, URLResolver):
            found += patterns(item.url_patterns, spelled)
        elif isinstance(item, URLPattern):
            found.append(spelled)
    return found


def format_twin(pattern: str) -> bool:
    """The API router's format-suffix twin of a pattern (same view, same permissions)."""
    return "(?P<format>" in pattern or "<drf_format_suffix:format>" in pattern


def test_every_url_pattern_has_a_row_in_the_matrix() -> None:
    project = [p for p in patterns() if not format_twin(p)]
    missing = [p for p in project if p not in URLS]
    assert not missing, (
        "URL patterns without a row in tests/security/url_matrix.py (add what each role gets): "
        + ", ".join(missing)
    )
    stale = [p for p in URLS if p not in project]
    assert not stale, f"rows of url_matrix.py for patterns that no longer exist: {stale}"
    assert all(p in URLS for p in PUBLIC)


def test_every_row_names_every_role() -> None:
    incomplete = {
        pattern: sorted(set(ROLES) - set(entry.get or entry.post))
        for pattern, entry in URLS.items()
        if set(entry.get or entry.post) != set(ROLES) or bool(entry.get) == bool(entry.post)
    }
    assert not incomplete, f"rows missing a role (or with neither/both get and post): {incomplete}"


def test_anonymous_is_sent_to_login_except_on_the_public_urls() -> None:
    for pattern, entry in URLS.items():
        expected = (entry.get or entry.post)["anonymous"]
        if pattern in PUBLIC:
            assert expected != 401 and (expected != LOGIN or pattern == "accounts/logout/"), pattern
        elif pattern.startswith("api/"):
            assert expected == 401, pattern
        else:
            assert expected == LOGIN, pattern


def snapshot(objects: list[Model]) -> tuple[dict[str, int], list[dict[str, Any] | None]]:
    """Row counts of every table and the sample objects' fields: what a refused POST keeps."""
    counts = {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy
    }
    rows = [type(o)._default_manager.filter(pk=o.pk).values().first() for o in objects]
    return counts, rows


def outcome(response: Any, expected: Expect, url: str, names: dict[str, Any]) -> str | None:
    """What is wrong with ``response`` (None: as the row says)."""
    status, location = response.status_code, response.get("Location", "")
    if expected == LOGIN:
        ok = status == 302 and location.startswith(f"/accounts/login/?next={url}")
    elif expected == DONE:
        ok = status == 302 and not location.startswith("/accounts/login/")
    elif isinstance(expected, str) and expected.startswith("to:"):
        ok = status == 302 and location == expected[3:].format(**names)
    else:
        ok = status == expected
    if ok and status == 401:  # the one JSON shape, whatever the view renders otherwise
        assert response["Content-Type"] == "application/json", (url, response["Content-Type"])
        body = json.loads(response.content)
        ok = set(body) == {"message", "extra"} and bool(body["message"])
    return None if ok else f"got {status} {location}".strip()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says(
    role: str, seeded: None, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    names = samples_make()
    users, objects = names.pop("users"), names.pop("objects")
    wrong = []
    for pattern, entry in URLS.items():
        wrong += check(entry, role, users.get(role), names, objects, pattern)
    assert not wrong, f"{role}: " + "; ".join(wrong)


def check(
    entry: Entry,
    role: str,
    user: Any,
    names: dict[str, Any],
    objects: list[Model],
    pattern: str,
) -> list[str]:
    url = entry.url.format(**names)
    method = "get" if entry.get else "post"
    expected = (entry.get or entry.post)[role]
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    refused = method == "post" and (expected in (LOGIN, 401, 403, 404))
    before = snapshot(objects) if refused else None
    savepoint = transaction.savepoint()  # each request starts from the same data
    try:
        response = getattr(client, method)(url)
        problem = outcome(response, expected, url, names)
        if problem is None and before is not None and snapshot(objects) != before:
            problem = "a refused POST changed data"
        if problem is None and method == "post" and user is not None:
            answered = client.get(url).status_code  # a POST-only view: a GET is a 405, not a 500
            problem = None if answered == 405 else f"GET answered {answered}, not 405"
    finally:
        transaction.savepoint_rollback(savepoint)
    return (
        []
        if problem is None
        else [f"{method.upper()} {url} ({pattern}) expected {expected}, {problem}"]
    )
