"""Who may do what with the achievement ledger (成果台账), through the API and the pages: every
user against every endpoint, in the manner of tests/reporting/test_permissions.py.

The entry is 市科技局's (recorded by its reporter): its staff see and correct it until it is
verified; other units see it once verified; the office verifies or rejects; the leader reads.
A refused request changes nothing; an allowed write changes something. The API's
allowed_actions of each entry is checked against what each user could do.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from tasks.ledger import services as svc
from tasks.models import AchievementEntry, Plan
from tests.permission_matrix import fill, matrix_cases, send
from units.models import Unit, User

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

USERS = (
    "anonymous",
    "own_unit_reporter",
    "own_unit_approver",
    "other_unit_reporter",
    "office",
    "leader",
    "admin",
)
ACCOUNTS = {  # the accounts of tests/conftest.py's `people`
    "own_unit_reporter": "kjj_reporter",  # 市科技局, whose entry it is
    "own_unit_approver": "kjj_approver",
    "other_unit_reporter": "fgw_reporter",  # 市发改委
    "office": "office",
    "leader": "leader",
    "admin": "admin",
}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # {e}: the entry; {kjj}: 市科技局's id
    entry: str | None = None  # pending | verified | rejected: the entry's state first
    body: dict[str, Any] = field(default_factory=dict)
    page: bool = False
    writes: bool = True


NEW = {"kind": "major_achievement", "title": "类脑芯片", "date": "2021-05-01", "unit": "{kjj}"}
PAGE_FIELDS = {"kind": "major_achievement", "domain": "general", "date": "2021-05-01"}

ENDPOINTS = {
    "list": Endpoint("get", "/api/achievements/", "pending", writes=False),
    "retrieve a pending entry": Endpoint("get", "/api/achievements/{e}/", "pending", writes=False),
    "retrieve a verified entry": Endpoint(
        "get", "/api/achievements/{e}/", "verified", writes=False
    ),
    "record for 市科技局": Endpoint("post", "/api/achievements/", body=NEW),
    "update a pending entry": Endpoint(
        "patch", "/api/achievements/{e}/", "pending", {"title": "改"}
    ),
    "update a verified entry": Endpoint(
        "patch", "/api/achievements/{e}/", "verified", {"title": "改"}
    ),
    "update a rejected entry": Endpoint(
        "patch", "/api/achievements/{e}/", "rejected", {"title": "改"}
    ),
    "verify": Endpoint("post", "/api/achievements/{e}/verify/", "pending"),
    "verify a verified entry": Endpoint("post", "/api/achievements/{e}/verify/", "verified"),
    "reject": Endpoint("post", "/api/achievements/{e}/reject/", "pending", {"comment": "重复"}),
    "reject a rejected entry": Endpoint(
        "post", "/api/achievements/{e}/reject/", "rejected", {"comment": "重复"}
    ),
    "download the evidence": Endpoint(
        "get", "/api/achievements/{e}/file/", "pending", writes=False
    ),
    "indicator progress": Endpoint("get", "/api/indicators/progress/", writes=False),
    "page: list": Endpoint("get", "/ledger/", "pending", page=True, writes=False),
    "page: a pending entry": Endpoint("get", "/ledger/{e}/", "pending", page=True, writes=False),
    "page: record": Endpoint(
        "post", "/ledger/", body={**PAGE_FIELDS, "title": "类脑芯片", "unit": "{kjj}"}, page=True
    ),
    "page: update": Endpoint(
        "post",
        "/ledger/{e}/",
        "pending",
        {**PAGE_FIELDS, "action": "update", "title": "改", "unit": "{kjj}"},
        page=True,
    ),
    "page: verify": Endpoint("post", "/ledger/{e}/", "pending", {"action": "verify"}, page=True),
    "page: the verification queue": Endpoint("get", "/ledger/verify/", page=True, writes=False),
    "page: download the evidence": Endpoint(
        "get", "/ledger/{e}/file/", "pending", page=True, writes=False
    ),
}

# fmt: off
MATRIX = {
    #                                anon  own  appr other office leader admin
    "list":                          (401, 200, 200, 200, 200, 200, 200),
    "retrieve a pending entry":      (401, 200, 200, 404, 200, 200, 200),
    "retrieve a verified entry":     (401, 200, 200, 200, 200, 200, 200),
    "record for 市科技局":             (401, 201, 201, 403, 201, 403, 201),
    "update a pending entry":        (401, 200, 200, 404, 200, 403, 200),
    "update a verified entry":       (401, 403, 403, 403, 403, 403, 403),
    "update a rejected entry":       (401, 200, 200, 404, 200, 403, 200),
    "verify":                        (401, 403, 403, 404, 200, 403, 200),
    "verify a verified entry":       (401, 403, 403, 403, 400, 403, 400),
    "reject":                        (401, 403, 403, 404, 200, 403, 200),
    "reject a rejected entry":       (401, 403, 403, 404, 400, 403, 400),
    "download the evidence":         (401, 200, 200, 404, 200, 200, 200),
    "indicator progress":            (401, 200, 200, 200, 200, 200, 200),
    "page: list":                    (302, 200, 200, 200, 200, 200, 200),
    "page: a pending entry":         (302, 200, 200, 404, 200, 200, 200),
    "page: record":                  (302, 302, 302, 302, 302, 403, 302),
    "page: update":                  (302, 302, 302, 404, 302, 403, 302),
    "page: verify":                  (302, 403, 403, 404, 302, 403, 302),
    "page: the verification queue":  (302, 403, 403, 403, 200, 403, 200),
    "page: download the evidence":   (302, 200, 200, 404, 200, 200, 200),
}
# fmt: on

CASES = matrix_cases(MATRIX, USERS)


def test_the_matrix_covers_every_endpoint_and_user() -> None:
    assert set(MATRIX) == set(ENDPOINTS)
    assert all(len(codes) == len(USERS) for codes in MATRIX.values())


def entry_in(state: str, people: dict[str, User]) -> AchievementEntry:
    """市科技局's entry with an evidence file, brought to ``state`` by the office."""
    entry = svc.entry_create(
        actor=people["kjj_reporter"],
        plan=Plan.objects.get(code="hefei-ai-2020-2023"),
        kind="major_achievement",
        title="多模态大模型",
        date=date(2021, 6, 1),
        upload=SimpleUploadedFile("证书.pdf", PDF),
    )
    if state == "verified":
        entry = svc.entry_verify(actor=people["office"], entry=entry)
    if state == "rejected":
        entry = svc.entry_reject(actor=people["office"], entry=entry, comment="缺少佐证。")
    return entry


def world() -> list[tuple[Any, ...]]:
    """Everything a request could change."""
    return list(
        AchievementEntry.objects.order_by("pk").values_list(
            "pk", "title", "state", "unit", "file", "review_comment"
        )
    )


def request(spec: Endpoint, user: str, people: dict[str, User], path: str, body: dict) -> Any:
    account = people[ACCOUNTS[user]] if user != "anonymous" else None
    return send(account, spec.method, path, body, page=spec.page)


@pytest.mark.parametrize(("endpoint", "user", "expected"), CASES)
def test_each_user_gets_exactly_the_access_their_role_gives(
    people, settings, tmp_path, endpoint, user, expected
) -> None:
    settings.MEDIA_ROOT = tmp_path
    spec = ENDPOINTS[endpoint]
    names = {"kjj": Unit.objects.get(name="市科技局").pk}
    if spec.entry:
        names["e"] = entry_in(spec.entry, people).pk
    path, body = spec.path.format(**names), fill(spec.body, names)
    before = world()

    response = request(spec, user, people, path, body)

    assert response.status_code == expected, response.content[:300]
    if expected == 302 and user == "anonymous":
        assert response.url.startswith("/accounts/login/")
    changed = world() != before
    assert changed == (spec.writes and expected in (200, 201, 302) and user != "anonymous")
    if not spec.page and expected >= 400:
        data = response.json()
        assert set(data) == {"message", "extra"} and data["message"]


CALLS = {  # each action of allowed_actions as its API call
    "update": ("patch", "", {"title": "改"}),
    "verify": ("post", "verify/", None),
    "reject": ("post", "reject/", {"comment": "重复登记。"}),
}


@pytest.mark.parametrize("state", ["pending", "verified", "rejected"])
@pytest.mark.parametrize("user", [u for u in USERS if u != "anonymous"])
def test_allowed_actions_name_exactly_what_the_user_can_do(
    people, settings, tmp_path, state, user
) -> None:
    """Each action the API offers succeeds; each other one is refused and changes nothing. The
    earlier ``permissions`` object says the same."""
    settings.MEDIA_ROOT = tmp_path
    api = APIClient()
    api.force_authenticate(people[ACCOUNTS[user]])
    offered, done = None, set()
    for action, (method, suffix, body) in CALLS.items():
        AchievementEntry.objects.all().delete()
        e = entry_in(state, people)  # a fresh one for each try
        if offered is None:
            response = api.get(f"/api/achievements/{e.pk}/")
            data = response.json() if response.status_code == 200 else {}
            offered = set(data.get("allowed_actions", []))
            if data:
                old = {"update": "edit", "verify": "verify", "reject": "reject"}
                assert data["permissions"] == {old[a]: a in offered for a in old}
        before = world()
        response = getattr(api, method)(f"/api/achievements/{e.pk}/{suffix}", body, format="json")
        if response.status_code < 300:
            done.add(action)
        else:
            assert world() == before
    assert offered == done


def test_a_patent_without_its_number_is_not_offered_for_verification(people) -> None:
    """Only possible through the admin or old data: the office may correct it or reject it, not
    verify it, and the pages say why."""
    entry = entry_in("pending", people)
    AchievementEntry.objects.filter(pk=entry.pk).update(kind="invention_patent")
    api = APIClient()
    api.force_authenticate(people["office"])
    assert api.get(f"/api/achievements/{entry.pk}/").json()["allowed_actions"] == [
        "update",
        "reject",
    ]
    response = api.post(f"/api/achievements/{entry.pk}/verify/")
    assert response.status_code == 400 and "identifier" in response.json()["extra"]["fields"]
    client = Client()
    client.force_login(people["office"])
    page = client.get(f"/ledger/{entry.pk}/").content.decode()
    assert 'data-action="verify"' not in page and "补充后才能核实" in page
    queue = client.get("/ledger/verify/").content.decode()
    assert 'data-action="reject"' in queue and "缺少编号" in queue
