"""督办事项 beside the plan's tasks on 总览 and a unit's 总览 (reports.dashboards.directives): the
open items by light (tasks.lights' rule for items), overdue, not signed in time, closed this year
on time or late, by source, the red and yellow items listed; the unit's items with its role,
sign-in, next feedback and deadline; a write counts at once (outside the dashboard's cache)."""

from datetime import date

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils.html import strip_tags

from reports.dashboards.directives import directive_block, unit_directives
from tasks.directives.services import directive_create
from tasks.lights import light_of_directive
from tasks.models import Directive, DirectiveSource
from tests.dashboards.directive_items import at, item, unit

INSTRUCTION, MEETING, HIGHER = (
    DirectiveSource.INSTRUCTION,
    DirectiveSource.MEETING,
    DirectiveSource.HIGHER,
)
TODAY = "2023-12-20 10:00 +0800"


@pytest.fixture(autouse=True)
def cold_cache() -> None:
    cache.clear()


@pytest.fixture
def items(people, period):
    """As of 2023-12-20: two red (overdue 40 days; 滞后), two yellow (overdue 10 days after an
    extension from 12-01; 存在风险), one green, one grey and not signed in time; closed this
    year one on time and one late (销号); one closed last year; one draft."""
    office = people["office"]
    return {
        "red_overdue": item(
            office, "算力券兑付办法", source=INSTRUCTION, due=date(2023, 11, 10),
            state="in_progress", status="on_track", co=["市发改委"],
        ),
        "yellow_extended": item(
            office, "人才公寓分配方案", lead="市发改委", co=["市科技局"], due=date(2023, 12, 10),
            original_due_date=date(2023, 12, 1), state="in_progress", status="on_track",
        ),
        "yellow_at_risk": item(
            office, "省里交办的数据要素试点", source=HIGHER, state="in_progress", status="at_risk"
        ),
        "green": item(office, "场景清单发布", state="in_progress", status="on_track"),
        "grey_unsigned": item(office, "大模型备案指导", source=INSTRUCTION, signed=False),
        "red_delayed": item(
            office, "智算中心二期", source=HIGHER, lead="市司法局", state="in_progress",
            status="delayed",
        ),
        "closed_on_time": item(
            office, "首台套目录", due=date(2023, 11, 30), state="closed", status="completed",
            closed_at=at(2023, 11, 20),
        ),
        "closed_late": item(
            office, "算法备案培训", source=HIGHER, due=date(2023, 11, 30), state="archived",
            status="completed", closed_at=at(2023, 12, 5),
        ),
        "closed_last_year": item(
            office, "去年的事项", issued_on="2022-11-01 10:00 +0800", due=date(2022, 11, 30),
            state="closed", status="completed", closed_at=at(2022, 11, 25),
        ),
    }  # fmt: skip


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@time_machine.travel(TODAY, tick=False)
def test_the_block_counts_open_items_by_the_items_light_rule(items, people) -> None:
    directive_create(  # a draft (立项) counts nowhere
        actor=people["office"], title="草稿", source=MEETING, source_meeting="会", requirement="办",
        lead_unit=unit("市科技局"), due_date=date(2024, 3, 1),
    )  # fmt: skip
    block = directive_block()
    today = date(2023, 12, 20)
    open_items = Directive.objects.filter(state__in=["issued", "in_progress", "closing"])
    by_rule = [light_of_directive(d, today) for d in open_items]
    assert block["open"] == 6 == len(by_rule)
    assert block["lights"] == {
        light: by_rule.count(light) for light in ("green", "yellow", "red", "grey")
    }
    assert block["lights"] == {"green": 1, "yellow": 2, "red": 2, "grey": 1}
    assert block["overdue"] == 2
    assert block["unsigned"] == 1
    assert (block["closed"], block["closed_on_time"], block["closed_late"]) == (2, 1, 1)
    assert {s["source"]: (s["open"], s["closed"]) for s in block["by_source"]} == {
        INSTRUCTION: (2, 0),
        MEETING: (2, 1),
        HIGHER: (2, 1),
    }
    # the red and yellow items listed, worst first: as many as the lights count
    listed = [i["id"] for i in block["items"]]
    assert block["attention"] == len(listed) == block["lights"]["red"] + block["lights"]["yellow"]
    assert listed == [
        items["red_overdue"].pk,
        items["red_delayed"].pk,
        items["yellow_extended"].pk,
        items["yellow_at_risk"].pk,
    ]
    first, extended = block["items"][0], block["items"][2]
    assert first["number"] == items["red_overdue"].number
    assert (first["lead_unit"], first["overdue_days"], first["extended"]) == ("市科技局", 40, False)
    assert first["url"] == f"/directives/{items['red_overdue'].pk}/"
    assert extended["lead_unit"] == "市发改委"
    assert (extended["due_date"], extended["original_due_date"]) == ("2023-12-10", "2023-12-01")
    assert extended["extended"] and extended["overdue_days"] == 10


@time_machine.travel(TODAY, tick=False)
def test_the_page_and_the_api_show_the_block_to_the_office_and_the_leader(items, people) -> None:
    for who in ("office", "leader"):
        client = login(people[who])
        api = client.get("/api/dashboard/?period=2021Q3")
        assert api.status_code == 200
        assert api.json()["directives"] == directive_block()
        page = client.get("/dashboard/?period=2021Q3").content.decode()
        text = strip_tags(page)
        assert "督办事项" in text and "红灯、黄灯事项（4）" in text
        assert f'href="/directives/{items["red_overdue"].pk}/"' in page
        assert "原定 2023-12-01" in text and "逾期 40 天" in text
        assert 'data-directives="red">2<' in page and 'data-directives="unsigned"' in page


@time_machine.travel(TODAY, tick=False)
def test_an_item_written_counts_at_once_whatever_the_cache(items, people) -> None:
    client = login(people["office"])
    before = client.get("/api/dashboard/?period=2021Q3").json()["directives"]
    item(
        people["office"], "新交办的事项", source=INSTRUCTION, status="delayed", state="in_progress"
    )
    Directive.objects.filter(pk=items["green"].pk).update(
        state="closed", closed_at=at(2023, 12, 19)
    )
    after = client.get("/api/dashboard/?period=2021Q3").json()["directives"]
    assert after["lights"]["red"] == before["lights"]["red"] + 1
    assert after["lights"]["green"] == before["lights"]["green"] - 1
    assert after["closed_on_time"] == before["closed_on_time"] + 1


@time_machine.travel(TODAY, tick=False)
def test_a_unit_sees_its_items_as_lead_or_co_with_sign_in_feedback_and_deadline(
    items, people, period
) -> None:
    Directive.objects.filter(pk=items["green"].pk).update(next_feedback_date=date(2023, 12, 25))
    data = unit_directives(unit("市科技局"))
    by_id = {i["id"]: i for i in data["items"]}
    mine = {
        items[k].pk
        for k in (
            "red_overdue", "yellow_extended", "yellow_at_risk", "green", "grey_unsigned",
            "closed_on_time", "closed_late",
        )
    }  # fmt: skip
    assert set(by_id) == mine  # not 市司法局's, not last year's closed one
    assert by_id[items["yellow_extended"].pk]["role"] == "co"
    assert by_id[items["yellow_extended"].pk]["lead_unit"] == "市发改委"
    assert by_id[items["red_overdue"].pk]["light"] == "red"
    assert by_id[items["green"].pk]["next_feedback_date"] == "2023-12-25"
    grey = by_id[items["grey_unsigned"].pk]
    assert (grey["signed"], grey["sign_late"], grey["light"]) == (False, True, "grey")
    assert by_id[items["closed_late"].pk]["light"] == "green"
    counts = data["counts"]
    assert (counts["open"], counts["overdue"], counts["unsigned"], counts["closed"]) == (5, 2, 1, 2)
    assert counts["lights"] == {"green": 1, "yellow": 2, "red": 1, "grey": 1}

    for who in ("kjj_approver", "office", "leader"):
        page = login(people[who]).get(f"/dashboard/units/{unit('市科技局').pk}/?period=2021Q3")
        text = strip_tags(page.content.decode())
        assert "督办事项（在办 5）" in text
        assert items["red_overdue"].number in text and "逾期未签收" in text
        assert "原定 2023-12-01" in text and "2023-12-25" in text
    other = login(people["sfj_reporter"]).get(f"/dashboard/units/{unit('市科技局').pk}/")
    assert other.status_code == 403
