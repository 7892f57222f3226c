"""Who may do what with milestones (年度工作安排), through the API and the pages: every user
against every endpoint, in the manner of tests/reporting/test_permissions.py.

The milestones are on task 1's assignment to 市发改委 (a co-unit), owed by 市发改委; 市科技局
leads task 1, so its staff propose milestones for the office to confirm and read the evidence.
A refused request changes nothing; an allowed write changes something. The API's
allowed_actions of each milestone is checked against what each user could do.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tasks.milestones import services as svc
from tasks.models import Milestone
from tests.permission_matrix import client_as, fill, matrix_cases, send
from tests.plan.factories import assignment_of
from units.models import User

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

USERS = (
    "anonymous",
    "owing_unit_reporter",
    "owing_unit_approver",
    "lead_unit_reporter",
    "other_unit_reporter",
    "office",
    "leader",
    "admin",
)
ACCOUNTS = {  # the accounts of tests/conftest.py's `people`
    "owing_unit_reporter": "fgw_reporter",  # 市发改委
    "owing_unit_approver": "fgw_approver",
    "lead_unit_reporter": "kjj_reporter",  # 市科技局, lead of task 1
    "other_unit_reporter": "other_reporter",  # 市统计局
    "office": "office",
    "leader": "leader",
    "admin": "admin",
}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # {m} is the milestone, {assignment} 市发改委's assignment on task 1
    milestone: str | None = None  # confirmed | proposed | done: the milestone's state first
    body: dict[str, Any] = field(default_factory=dict)
    multipart: bool = False
    page: bool = False  # a browser page (anonymous users are sent to the login page)
    writes: bool = True


NEW = {"assignment": "{assignment}", "title": "完成平台建设", "due_date": "2021-12-31"}

ENDPOINTS = {
    "list": Endpoint("get", "/api/milestones/", "confirmed", writes=False),
    "retrieve": Endpoint("get", "/api/milestones/{m}/", "confirmed", writes=False),
    "retrieve a missing one": Endpoint("get", "/api/milestones/99999999/", writes=False),
    "create": Endpoint("post", "/api/milestones/", body=NEW),
    "update a confirmed one": Endpoint(
        "patch", "/api/milestones/{m}/", "confirmed", {"title": "改期"}
    ),
    "update a proposed one": Endpoint("patch", "/api/milestones/{m}/", "proposed", {"title": "改"}),
    "delete a confirmed one": Endpoint("delete", "/api/milestones/{m}/", "confirmed"),
    "delete a proposed one": Endpoint("delete", "/api/milestones/{m}/", "proposed"),
    "confirm the arrangement": Endpoint(
        "post", "/api/milestones/{m}/confirm-arrangement/", "proposed"
    ),
    "confirm a confirmed arrangement": Endpoint(
        "post", "/api/milestones/{m}/confirm-arrangement/", "confirmed"
    ),
    "mark done": Endpoint(
        "post", "/api/milestones/{m}/mark-done/", "confirmed", {"note": "已完成。"}, multipart=True
    ),
    "mark a proposed one done": Endpoint(
        "post", "/api/milestones/{m}/mark-done/", "proposed", {"note": "已完成。"}
    ),
    "confirm done": Endpoint("post", "/api/milestones/{m}/confirm/", "done"),
    "confirm a pending one": Endpoint("post", "/api/milestones/{m}/confirm/", "confirmed"),
    "reject": Endpoint("post", "/api/milestones/{m}/reject/", "done", {"comment": "请补充。"}),
    "download the evidence": Endpoint("get", "/api/milestones/{m}/file/", "done", writes=False),
    "page: list": Endpoint("get", "/milestones/", "confirmed", page=True, writes=False),
    "page: the milestone": Endpoint("get", "/milestones/{m}/", "done", page=True, writes=False),
    "page: new": Endpoint("get", "/milestones/new/{assignment}/", page=True, writes=False),
    "page: edit a proposed one": Endpoint(
        "get", "/milestones/{m}/edit/", "proposed", page=True, writes=False
    ),
    "page: mark done": Endpoint(
        "post", "/milestones/{m}/done/", "confirmed", {"note": "已完成。"}, page=True
    ),
    "page: confirm done": Endpoint("post", "/milestones/{m}/confirm/", "done", page=True),
    "page: reject": Endpoint(
        "post", "/milestones/{m}/reject/", "done", {"comment": "请补充。"}, page=True
    ),
    "page: confirm the arrangement": Endpoint(
        "post", "/milestones/{m}/confirm-arrangement/", "proposed", page=True
    ),
    "page: delete a proposed one": Endpoint(
        "post", "/milestones/{m}/delete/", "proposed", page=True
    ),
    "page: download the evidence": Endpoint(
        "get", "/milestones/{m}/file/", "done", page=True, writes=False
    ),
}

# fmt: off
MATRIX = {
    #                                   anon owing appr lead other office leader admin
    "list":                             (401, 200, 200, 200, 200, 200, 200, 200),
    "retrieve":                         (401, 200, 200, 200, 200, 200, 200, 200),
    "retrieve a missing one":           (401, 404, 404, 404, 404, 404, 404, 404),
    "create":                           (401, 403, 403, 201, 403, 201, 403, 201),
    "update a confirmed one":           (401, 403, 403, 403, 403, 200, 403, 200),
    "update a proposed one":            (401, 403, 403, 200, 403, 200, 403, 200),
    "delete a confirmed one":           (401, 403, 403, 403, 403, 204, 403, 204),
    "delete a proposed one":            (401, 403, 403, 204, 403, 204, 403, 204),
    "confirm the arrangement":          (401, 403, 403, 403, 403, 200, 403, 200),
    "confirm a confirmed arrangement":  (401, 403, 403, 403, 403, 400, 403, 400),
    "mark done":                        (401, 200, 200, 403, 403, 403, 403, 403),
    "mark a proposed one done":         (401, 400, 400, 403, 403, 403, 403, 403),
    "confirm done":                     (401, 403, 403, 403, 403, 200, 403, 200),
    "confirm a pending one":            (401, 403, 403, 403, 403, 400, 403, 400),
    "reject":                           (401, 403, 403, 403, 403, 200, 403, 200),
    "download the evidence":            (401, 200, 200, 200, 403, 200, 200, 200),
    "page: list":                       (302, 200, 200, 200, 200, 200, 200, 200),
    "page: the milestone":              (302, 200, 200, 200, 200, 200, 200, 200),
    "page: new":                        (302, 403, 403, 200, 403, 200, 403, 200),
    "page: edit a proposed one":        (302, 403, 403, 200, 403, 200, 403, 200),
    "page: mark done":                  (302, 302, 302, 403, 403, 403, 403, 403),
    "page: confirm done":               (302, 403, 403, 403, 403, 302, 403, 302),
    "page: reject":                     (302, 403, 403, 403, 403, 302, 403, 302),
    "page: confirm the arrangement":    (302, 403, 403, 403, 403, 302, 403, 302),
    "page: delete a proposed one":      (302, 403, 403, 302, 403, 302, 403, 302),
    "page: download the evidence":      (302, 200, 200, 200, 403, 200, 200, 200),
}
# fmt: on

CASES = matrix_cases(MATRIX, USERS)


def test_the_matrix_covers_every_endpoint_and_user() -> None:
    assert set(MATRIX) == set(ENDPOINTS)
    assert all(len(codes) == len(USERS) for codes in MATRIX.values())


def milestone_in(state: str, people: dict[str, User]) -> Milestone:
    """市发改委's milestone on task 1: set by the office (confirmed), proposed by the lead unit,
    or set and marked done with a file."""
    who = "kjj_reporter" if state == "proposed" else "office"
    m = svc.milestone_create(
        actor=people[who],
        assignment=assignment_of(1, "市发改委"),
        title="完成实施方案编制",
        due_date=date(2021, 6, 30),
    )
    if state == "done":
        upload = SimpleUploadedFile("验收报告.pdf", PDF, content_type="application/pdf")
        m = svc.milestone_mark_done(
            actor=people["fgw_reporter"], milestone=m, note="已印发。", upload=upload
        )
    return m


def world() -> list[tuple[Any, ...]]:
    """Everything a request could change."""
    return list(
        Milestone.objects.order_by("pk").values_list(
            "pk", "title", "due_date", "state", "arrangement_confirmed", "done_at", "file"
        )
    )


def request(spec: Endpoint, user: str, people: dict[str, User], path: str, body: dict) -> Any:
    account = people[ACCOUNTS[user]] if user != "anonymous" else None
    if spec.multipart:
        body = {**body, "file": SimpleUploadedFile("纪要.pdf", PDF)}
        return getattr(client_as(account), spec.method)(path, body, format="multipart")
    return send(account, spec.method, path, body, page=spec.page)


@pytest.mark.parametrize(("endpoint", "user", "expected"), CASES)
def test_each_user_gets_exactly_the_access_their_role_gives(
    people, settings, tmp_path, endpoint, user, expected
) -> None:
    settings.MEDIA_ROOT = tmp_path
    spec = ENDPOINTS[endpoint]
    names = {"assignment": assignment_of(1, "市发改委").pk}
    if spec.milestone:
        names["m"] = milestone_in(spec.milestone, people).pk
    path, body = spec.path.format(**names), fill(spec.body, names)
    before = world()

    response = request(spec, user, people, path, body)

    assert response.status_code == expected, response.content[:300]
    if expected == 302 and user == "anonymous":
        assert response.url.startswith("/accounts/login/")
    changed = world() != before
    assert changed == (spec.writes and expected in (200, 201, 204, 302) and user != "anonymous")
    if not spec.page and expected >= 400:
        data = response.json()
        assert set(data) == {"message", "extra"} and data["message"]


CALLS = {  # each action of allowed_actions as its API call
    "update": ("patch", "", {"title": "改"}),
    "delete": ("delete", "", None),
    "confirm_arrangement": ("post", "confirm-arrangement/", None),
    "mark_done": ("post", "mark-done/", {"note": "已完成。"}),
    "confirm": ("post", "confirm/", None),
    "reject": ("post", "reject/", {"comment": "请补充。"}),
}


@pytest.mark.parametrize("state", ["confirmed", "proposed", "done"])
@pytest.mark.parametrize("user", [u for u in USERS if u != "anonymous"])
def test_allowed_actions_name_exactly_what_the_user_can_do(
    people, settings, tmp_path, state, user
) -> None:
    """Each action the API offers succeeds; each other one is refused and changes nothing."""
    settings.MEDIA_ROOT = tmp_path
    api = APIClient()
    api.force_authenticate(people[ACCOUNTS[user]])
    offered, done = None, set()
    for action, (method, suffix, body) in CALLS.items():
        Milestone.objects.all().delete()
        m = milestone_in(state, people)  # a fresh one for each try
        if offered is None:
            offered = set(api.get(f"/api/milestones/{m.pk}/").json()["allowed_actions"])
        before = world()
        response = getattr(api, method)(f"/api/milestones/{m.pk}/{suffix}", body, format="json")
        if response.status_code < 300:
            done.add(action)
        else:
            assert world() == before
    assert offered == done
