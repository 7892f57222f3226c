"""Who may open and do what on the bulletin pages: the office, a leader, a unit's reporter and
approver, and an anonymous visitor, on a draft and on a published bulletin. A refusal changes
nothing."""

from typing import Any

import pytest
from django.test import Client

from reports.bulletins.models import Bulletin
from reports.bulletins.services import (
    bulletin_commentary_save,
    bulletin_draft,
    bulletin_file_keep,
    bulletin_publish,
)
from tasks.models import ReportingPeriod
from tests.permission_matrix import matrix_cases
from units.models import User

pytestmark = pytest.mark.django_db

USERS = ("office", "leader", "kjj_reporter", "kjj_approver", "anonymous")
DRAFT, PUBLISHED = "2021Q3", "2021Q2"
# endpoint → status for each of USERS (anonymous: sent to the login page)
MATRIX = {
    "GET /bulletins/": (200, 200, 200, 200, 302),
    f"GET /bulletins/{DRAFT}/": (200, 404, 404, 404, 302),
    f"GET /bulletins/{DRAFT}/status/": (200, 404, 404, 404, 302),
    f"POST /bulletins/{DRAFT}/commentary/": (302, 404, 404, 404, 302),
    f"GET /bulletins/{DRAFT}/publish/": (200, 404, 404, 404, 302),
    f"POST /bulletins/{DRAFT}/publish/": (302, 404, 404, 404, 302),
    f"GET /bulletins/{DRAFT}/file/pdf/": (404, 404, 404, 404, 302),
    "POST /bulletins/draft/": (302, 403, 403, 403, 302),
    f"GET /bulletins/{PUBLISHED}/": (200, 200, 200, 200, 302),
    f"GET /bulletins/{PUBLISHED}/status/": (200, 200, 200, 200, 302),
    f"GET /bulletins/{PUBLISHED}/file/pdf/": (200, 200, 200, 200, 302),
    f"GET /bulletins/{PUBLISHED}/file/docx/": (200, 200, 200, 200, 302),
    f"POST /bulletins/{PUBLISHED}/commentary/": (400, 403, 403, 403, 302),
    f"GET /bulletins/{PUBLISHED}/publish/": (403, 403, 403, 403, 302),
    "POST /documents/request/": (302, 403, 403, 403, 302),
}
BODIES = {
    "POST /bulletins/draft/": {"period": "2021Q4"},
    f"POST /bulletins/{DRAFT}/commentary/": {"commentary": "新的工作要求"},
    f"POST /bulletins/{DRAFT}/publish/": {"confirm": "1"},
    f"POST /bulletins/{PUBLISHED}/commentary/": {"commentary": "改写"},
    "POST /documents/request/": {"kind": "bulletin", "format": "pdf", "period": DRAFT},
}


@pytest.fixture
def bulletins(period: ReportingPeriod, accounts: dict[str, User]) -> dict[str, Bulletin]:
    office = accounts["office"]
    draft = bulletin_draft(actor=office, period=period)
    bulletin_commentary_save(actor=office, bulletin=draft, commentary="草稿的工作要求")
    published = bulletin_draft(actor=office, period=ReportingPeriod.objects.get(code=PUBLISHED))
    published = bulletin_commentary_save(
        actor=office, bulletin=published, commentary="已发布的要求"
    )
    published = bulletin_publish(actor=office, bulletin=published)
    for fmt in ("pdf", "docx"):
        bulletin_file_keep(
            bulletin_id=published.pk,
            fmt=fmt,
            filename=f"issued.{fmt}",
            content=b"issued " + fmt.encode(),
        )
    return {"draft": draft, "published": published}


@pytest.mark.parametrize(("endpoint", "username", "expected"), matrix_cases(MATRIX, USERS))
def test_bulletin_pages_permission_matrix(
    endpoint: str,
    username: str,
    expected: int,
    bulletins: dict[str, Bulletin],
    accounts: dict[str, User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    before = {b.pk: (b.state, b.commentary, b.seq) for b in Bulletin.objects.all()}
    count = Bulletin.objects.count()
    client = Client()
    if username != "anonymous":
        client.force_login(accounts[username])
    method, path = endpoint.split(" ", 1)
    with django_capture_on_commit_callbacks(execute=False):
        if method == "GET":
            response = client.get(path)
        else:
            response = client.post(path, BODIES.get(endpoint, {}))
    assert response.status_code == expected, response.content.decode()[:400]
    if username == "anonymous":
        assert "/accounts/login/" in response["Location"]
    if expected >= 400 or username == "anonymous":
        after = {b.pk: (b.state, b.commentary, b.seq) for b in Bulletin.objects.all()}
        assert after == before and Bulletin.objects.count() == count
