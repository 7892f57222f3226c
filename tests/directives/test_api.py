"""/api/directives/: the same permission rules as the services (a unit that is not given the
item gets a 404, the auditor nothing), the one error shape with Chinese messages naming the
fields, and the list's queries bounded whatever the number of items."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tasks.directives.models import Directive, DirectiveState

from .conftest import unit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel("2023-09-25 10:00 +0800", tick=False):
        yield


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def url(directive: Directive, action: str = "") -> str:
    return f"/api/directives/{directive.pk}/" + (f"{action}/" if action else "")


def error(response, code: int) -> dict:
    assert response.status_code == code, response.content[:400]
    body = response.json()
    assert set(body) == {"message", "extra"} and body["message"]
    return body


def test_the_office_registers_and_issues_and_the_lead_signs_through_the_api(people) -> None:
    office = api_for(people["office"])
    created = office.post(
        "/api/directives/",
        {
            "title": "研究算力券兑付办法",
            "source": "instruction",
            "source_leader": "市长",
            "requirement": "拿出办法。",
            "lead_unit": unit("市科技局").pk,
            "co_units": [unit("市发改委").pk],
            "due_workdays": 5,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    item = Directive.objects.get(pk=created.json()["id"])
    assert created.json()["state"] == "draft" and created.json()["light"] is None
    # a draft is the office's: the units do not see it yet
    error(api_for(people["kjj_reporter"]).get(url(item)), 404)
    patched = office.patch(url(item), {"title": "新名称"}, format="json")
    assert patched.json()["title"] == "新名称"
    issued = office.post(url(item, "issue"), {}, format="json").json()
    assert issued["number"] == "合智督〔2023〕1号"
    assert issued["original_due_date"] == issued["due_date"] == "2023-10-08"
    reporter = api_for(people["kjj_reporter"])
    assert reporter.get(url(item)).json()["allowed_actions"] == ["extend", "sign"]
    signed = reporter.post(url(item, "sign"))
    assert signed.json()["state"] == DirectiveState.IN_PROGRESS
    assert [s["action"] for s in signed.json()["steps"]] == ["create", "issue", "sign"]
    error(api_for(people["other_reporter"]).post(url(item, "sign")), 404)
    error(api_for(people["leader"]).post(url(item, "sign")), 403)
    error(api_for(people["auditor"]).get("/api/directives/"), 403)
    assert api_for(people["other_reporter"]).get("/api/directives/").json()["count"] == 0


def test_bad_input_is_a_400_in_chinese_naming_the_field(people, item_in) -> None:
    item = item_in("in_progress")
    reporter = api_for(people["kjj_reporter"])
    body = error(reporter.post(url(item, "extend"), {"to_date": "明天", "reason": "x"}), 400)
    assert "to_date" in body["extra"]["fields"]
    body = error(reporter.post(url(item, "extend"), {"to_date": "2023-09-01", "reason": "x"}), 400)
    assert "晚于" in body["message"] and "to_date" in body["extra"]["fields"]
    body = error(reporter.post(url(item, "feedback"), {"content": "x", "status": "good"}), 400)
    assert "status" in body["extra"]["fields"]
    body = error(reporter.post(url(item, "sign"), {"state": "closed"}), 400)
    body = error(
        reporter.post(url(item, "feedback"), {"content": "x", "status": "on_track", "x": 1}), 400
    )
    assert "x" in body["extra"]["fields"]
    bad = SimpleUploadedFile("证明.pdf", b"MZ not a pdf")
    body = error(
        reporter.post(
            url(item, "apply-close"), {"content": "办完了", "files": [bad]}, format="multipart"
        ),
        400,
    )
    assert "files" in body["extra"]["fields"]
    item.refresh_from_db()
    assert item.state == DirectiveState.IN_PROGRESS  # nothing written
    assert not item.feedback.exists()
    error(api_for(people["office"]).post(url(item, "return"), {"comment": ""}), 400)
    error(api_for(people["office"]).get("/api/directives/abc/"), 404)
    error(api_for(people["office"]).get("/api/directives/?overdue=maybe"), 400)
    error(api_for(people["office"]).get("/api/directives/?unit=999999999999"), 400)


def test_extension_review_and_the_closing_through_the_api(people, item_in) -> None:
    item = item_in("in_progress")
    reporter, office = api_for(people["kjj_reporter"]), api_for(people["office"])
    reporter.post(url(item, "extend"), {"to_date": "2023-12-01", "reason": "等数据"})
    error(office.post(url(item, "extension-review"), {"approve": False}), 400)  # reason needed
    done = office.post(url(item, "extension-review"), {"approve": True}, format="json").json()
    assert done["due_date"] == "2023-12-01" and done["original_due_date"] != "2023-12-01"
    pdf = SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n%%EOF\n")
    closing = reporter.post(
        url(item, "apply-close"), {"content": "办完了", "files": [pdf]}, format="multipart"
    ).json()
    assert closing["state"] == "closing"
    assert closing["feedback"][-1]["attachments"][0]["file_name"] == "证明.pdf"
    returned = office.post(url(item, "return"), {"comment": "证据不足"}).json()
    assert returned["state"] == "in_progress"
    reporter.post(url(item, "apply-close"), {"content": "补充了"})
    assert office.post(url(item, "close")).json()["state"] == "closed"
    reopened = api_for(people["leader"]).post(
        url(item, "reopen"), {"instruction": "再抓", "due_date": "2024-01-31"}
    )
    assert reopened.json()["due_date"] == "2024-01-31"


def count_queries(client: APIClient, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["office", "kjj_reporter"])
def test_the_list_queries_do_not_grow_with_the_items(people, item_in, who) -> None:
    client = api_for(people[who])
    for _ in range(5):
        item_in("in_progress")
    small = count_queries(client, "/api/directives/?overdue=false")
    for _ in range(45):
        item_in("issued", co_units=[unit("市发改委"), unit("市司法局")])
    assert client.get("/api/directives/?page_size=100").json()["count"] == 50
    assert count_queries(client, "/api/directives/?overdue=false&page_size=100") == small


def test_a_leader_sees_every_item_and_a_unit_only_its_own(people, item_in) -> None:
    item_in("issued")
    item_in("issued", lead_unit=unit("市司法局"), co_units=[])
    assert api_for(people["leader"]).get("/api/directives/").json()["count"] == 2
    assert api_for(people["kjj_reporter"]).get("/api/directives/").json()["count"] == 1
    sfj = api_for(people["sfj_reporter"]).get(f"/api/directives/?unit={unit('市司法局').pk}")
    assert sfj.json()["count"] == 1
    assert date.fromisoformat(sfj.json()["results"][0]["due_date"]) > date(2023, 9, 25)


def test_with_the_setting_the_office_passes_the_extension_to_a_leader(
    people, item_in, settings
) -> None:
    settings.DIRECTIVE_EXTENSION_LEADER_APPROVAL = True
    item = item_in("in_progress")
    original = item.due_date.isoformat()
    api_for(people["kjj_reporter"]).post(
        url(item, "extend"), {"to_date": "2023-12-01", "reason": "x"}
    )
    passed = api_for(people["office"]).post(url(item, "extension-review"), {"approve": True})
    assert passed.json()["extensions"][0]["state"] == "leader"
    assert passed.json()["due_date"] == original
    error(
        api_for(people["kjj_reporter"]).post(url(item, "extension-review"), {"approve": True}), 403
    )
    error(api_for(people["office"]).post(url(item, "extension-review"), {"approve": True}), 403)
    decided = api_for(people["leader"]).post(url(item, "extension-review"), {"approve": True})
    assert decided.json()["due_date"] == "2023-12-01"
    assert decided.json()["original_due_date"] == original
