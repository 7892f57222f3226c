"""A keyword search on the ledger (q): words in the title, the identifier, the note or the unit's
name, on the page and the API alike, within what the user may see."""

from datetime import date
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tasks.ledger.services import entry_create, entry_verify
from tasks.models import Plan
from units.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(people: dict[str, User]) -> None:
    plan = Plan.objects.get(code="hefei-ai-2020-2023")

    def add(who: str, verify: bool = True, **values: object) -> None:
        values.setdefault("kind", "major_achievement")
        values.setdefault("date", date(2021, 6, 1))
        entry = entry_create(actor=people[who], plan=plan, **values)  # type: ignore[arg-type]
        if verify:
            entry_verify(actor=people["office"], entry=entry)

    patent: dict[str, Any] = {"kind": "invention_patent", "identifier": "ZL202110123456.7"}
    add("kjj_reporter", title="远场语音识别方法", **patent)
    add("kjj_reporter", title="类脑芯片", note="与中国科学技术大学联合研制")
    add("fgw_reporter", title="城市大脑平台", kind="innovation_platform")
    add("fgw_reporter", title="语音交互标准草案", verify=False)  # pending: 市发改委's only


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    return sorted(e["title"] for e in response.json()["results"])


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("语音", ["语音交互标准草案", "远场语音识别方法"]),  # the title
        ("ＺＬ２０２１１０１２", ["远场语音识别方法"]),  # the identifier, full-width as typed
        ("zl2021", ["远场语音识别方法"]),  # any case
        ("科学技术大学", ["类脑芯片"]),  # the note
        ("市发改委", ["城市大脑平台", "语音交互标准草案"]),  # the unit's name
        ("语音 标准", ["语音交互标准草案"]),  # every word
        ("  ", ["城市大脑平台", "类脑芯片", "语音交互标准草案", "远场语音识别方法"]),
        ("量子", []),
    ],
)
def test_the_api_finds_entries_by_keyword(people, entries, q, expected) -> None:
    api = APIClient()
    api.force_authenticate(people["office"])
    assert titles(api.get("/api/achievements/", {"q": q})) == expected


def test_the_search_finds_only_what_the_user_may_see(people, entries) -> None:
    api = APIClient()
    api.force_authenticate(people["kjj_reporter"])  # not 市发改委's pending entry
    assert titles(api.get("/api/achievements/", {"q": "语音"})) == ["远场语音识别方法"]


def test_a_too_long_search_is_a_400_naming_q(people) -> None:
    api = APIClient()
    api.force_authenticate(people["office"])
    response = api.get("/api/achievements/", {"q": "语" * 101})
    assert response.status_code == 400
    assert set(response.json()["extra"]["fields"]) == {"q"}


def test_the_page_searches_with_the_same_filter_and_keeps_the_words(people, entries) -> None:
    client = Client()
    client.force_login(people["office"])
    html = client.get("/ledger/", {"q": "语音 标准", "state": "pending"}).content.decode()
    assert 'name="q"' in html and 'value="语音 标准"' in html
    assert "语音交互标准草案" in html and "远场语音识别方法" not in html
    assert "共 1 条（已筛选）" in html
