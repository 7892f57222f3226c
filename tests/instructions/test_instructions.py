"""领导批示: a leader writes one on a task, a report, a unit or a red light from its page; the
office reads them in its inbox, turns one into a 督办事项 (the prefill) or files it; a leader's
setting sends them straight to the units; bad input is named in Chinese, unknown targets 404."""

from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hefei_ai_zone.context_processors import MenuCounts
from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from tasks.directives.services import directive_create
from tasks.instructions.selectors import instruction_prefill
from tasks.instructions.services import (
    instruction_convert,
    instruction_file,
    instruction_write,
    preference_set,
)
from tasks.models import (
    DirectiveState,
    InstructionState,
    LeaderInstruction,
    Task,
)
from tasks.reporting import services as reporting
from tests.plan.factories import assignment_of
from units.models import Unit, User
from units.notifications.models import Notice

pytestmark = pytest.mark.django_db
FULL = {"status": "delayed", "percent": 10, "narrative": "进度滞后，算力中心尚未开工。"}


def login(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def task1() -> Task:
    return Task.objects.get(plan__code="hefei-ai-2020-2023", seq=1)


def kjj() -> Unit:
    return Unit.objects.get(name="市科技局")


@pytest.fixture
def report(people, period):
    started = reporting.report_start(
        actor=people["kjj_reporter"], assignment=assignment_of(1, "市科技局"), period=period, **FULL
    )
    return reporting.report_submit(actor=people["kjj_reporter"], report=started)


def write(client: Client, **data: Any) -> Any:
    return client.post("/instructions/write/", data)


def test_a_leader_writes_on_a_task_from_its_page_and_the_office_is_told(people) -> None:
    task = task1()
    page = login(people["leader"]).get(f"/plan/tasks/{task.pk}/")
    assert 'action="/instructions/write/"' in page.content.decode()
    assert 'name="target" value="task"' in page.content.decode()
    response = write(
        login(people["leader"]),
        target="task",
        task=task.pk,
        text="  请市科技局加快进度，月底前报送。 ",
        next=f"/plan/tasks/{task.pk}/",
    )
    assert response.status_code == 302 and response["Location"] == f"/plan/tasks/{task.pk}/"
    instruction = LeaderInstruction.objects.get()
    assert (instruction.target, instruction.task, instruction.state) == ("task", task, "new")
    assert instruction.text == "请市科技局加快进度，月底前报送。"
    assert Notice.objects.filter(
        recipient=people["office"], key=f"instruction:{instruction.pk}:write"
    ).exists()


@pytest.mark.parametrize("who", ["office", "kjj_reporter", "kjj_approver", "admin"])
def test_only_leaders_see_the_button_and_may_write(people, who) -> None:
    task = task1()
    page = login(people[who]).get(f"/plan/tasks/{task.pk}/")
    assert "/instructions/write/" not in page.content.decode()
    response = write(login(people[who]), target="task", task=task.pk, text="加快进度。")
    assert response.status_code == 403
    assert "只有领导可以写批示" in response.content.decode()
    assert not LeaderInstruction.objects.exists()


def test_a_leader_writes_on_a_report_a_unit_and_a_red_light(people, report) -> None:
    leader = login(people["leader"])
    page = leader.get(f"/reports/{report.pk}/")
    assert f'name="report" value="{report.pk}"' in page.content.decode()
    assert (
        write(leader, target="report", report=report.pk, text="滞后原因要说清。").status_code == 302
    )
    page = leader.get(f"/units/{kjj().pk}/")
    assert f'name="unit" value="{kjj().pk}"' in page.content.decode()
    assert (
        write(leader, target="unit", unit=kjj().pk, text="请主要负责同志过问。").status_code == 302
    )
    period = report.period
    response = write(
        leader,
        target="light",
        task=task1().pk,
        unit=kjj().pk,
        period=period.pk,
        light="red",
        text="红灯任务，请专题研究。",
    )
    assert response.status_code == 302
    kinds = dict(LeaderInstruction.objects.values_list("target", "text"))
    assert set(kinds) == {"report", "unit", "light"}
    light = LeaderInstruction.objects.get(target="light")
    assert (light.period, light.light, light.task, light.unit) == (period, "red", task1(), kjj())


def test_the_why_page_has_a_button_per_task_for_leaders_only(people, report) -> None:
    url = f"/dashboard/why/?period={report.period.code}&unit={kjj().pk}&light=red"
    body = login(people["leader"]).get(url).content.decode()
    assert 'name="target" value="light"' in body and 'name="light" value="red"' in body
    assert 'name="target" value="light"' not in login(people["office"]).get(url).content.decode()


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"target": "task", "task": "TASK", "text": ""}, 400, "请填写批示内容"),
        ({"target": "task", "task": "TASK", "text": "长" * 2001}, 400, "不能超过 2000 个字"),
        ({"target": "task", "task": "999999", "text": "加快。"}, 404, ""),
        ({"target": "report", "report": "999999", "text": "加快。"}, 404, ""),
        ({"target": "unit", "unit": "999999", "text": "加快。"}, 404, ""),
        (
            {
                "target": "light",
                "period": "999999",
                "task": "TASK",
                "light": "red",
                "text": "加快。",
            },
            404,
            "",
        ),
        ({"target": "planet", "text": "加快。"}, 400, "批示对象只能是"),
        ({"target": "task", "text": "加快。"}, 400, "批示对象不完整"),
        ({"target": "task", "task": "abc", "text": "加快。"}, 400, "任务编号有误"),
        (
            {"target": "light", "period": "PERIOD", "light": "red", "text": "加快。"},
            400,
            "任务或单位",
        ),
        ({"target": "unit", "unit": "GROUP", "text": "加快。"}, 400, "单位集合"),
        (
            {"target": "light", "period": "PERIOD", "unit": "GROUP", "light": "red", "text": "快"},
            400,
            "单位集合",
        ),
    ],
)
def test_bad_input_is_named_in_chinese_and_unknown_targets_are_404(
    people, period, data, status, message
) -> None:
    fill = {
        "TASK": str(task1().pk),
        "PERIOD": str(period.pk),
        "GROUP": str(Unit.objects.get(name="各县（市）区政府").pk),
    }
    data = {k: fill.get(v, v) for k, v in data.items()}
    response = write(login(people["leader"]), **data)
    assert response.status_code == status
    assert message in response.content.decode()
    assert not LeaderInstruction.objects.exists()


def test_a_report_the_leader_may_not_see_is_404(people, period) -> None:
    draft = reporting.report_start(
        actor=people["kjj_reporter"], assignment=assignment_of(1, "市科技局"), period=period, **FULL
    )
    response = write(login(people["leader"]), target="report", report=draft.pk, text="加快。")
    assert response.status_code == 404


def test_the_office_inbox_lists_new_ones_first_with_their_targets(people, report) -> None:
    leader = people["leader"]
    first = instruction_write(actor=leader, task=task1(), text="第一条批示。")
    instruction_file(actor=people["office"], instruction=first, note="已在会上研究。")
    second = instruction_write(actor=leader, report=report, text="第二条批示。")
    body = login(people["office"]).get("/instructions/").content.decode()
    assert body.index("第二条批示") < body.index("第一条批示")
    assert f"/directives/new/?instruction={second.pk}" in body
    assert f"/directives/new/?instruction={first.pk}" not in body  # filed: nothing to do
    assert "已在会上研究" in body and "市科技局" in body
    assert f"/reports/{report.pk}/" in body
    new_only = login(people["office"]).get("/instructions/?state=new").content.decode()
    assert "第一条批示" not in new_only
    bad = login(people["office"]).get("/instructions/?state=gone")
    assert bad.status_code == 400 and "状态只能是" in bad.content.decode()


def _inbox_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/instructions/").status_code == 200
    return len(ctx.captured_queries)


def test_the_inbox_query_count_does_not_grow_with_the_instructions(people, report) -> None:
    client = login(people["office"])
    instruction_write(actor=people["leader"], task=task1(), text="一。")
    small = _inbox_queries(client)
    for n in range(6):
        instruction_write(actor=people["leader"], report=report, text=f"报告批示{n}。")
        instruction_write(actor=people["leader"], unit=kjj(), text=f"单位批示{n}。")
        instruction_write(
            actor=people["leader"],
            task=task1(),
            period=report.period,
            light="red",
            text=f"红灯批示{n}。",
        )
    assert _inbox_queries(client) == small


def test_the_menu_counts_new_ones_for_the_office_and_shows_mine_to_leaders(people) -> None:
    instruction_write(actor=people["leader"], task=task1(), text="加快。")
    body = login(people["office"]).get("/instructions/").content.decode()
    assert 'data-count="instructions">1<' in body
    counts = MenuCounts(people["office"])
    assert counts.instructions == 1 and counts.total == counts.review + 1  # the phone's button
    assert MenuCounts(people["leader"]).instructions == 0
    leader_page = login(people["leader"]).get("/plan/tasks/").content.decode()
    assert 'href="/instructions/mine/"' in leader_page


@time_machine.travel("2023-03-01 10:00 +0800", tick=False)
def test_the_prefill_gives_the_directive_form_its_source_and_units(people, report) -> None:
    leader = people["leader"]
    leader.last_name, leader.first_name = "王", "市长"
    leader.save()
    on_task = instruction_write(actor=leader, task=task1(), text="请加快建设。\n月底前报送进展。")
    prefill = instruction_prefill(people["office"], on_task.pk)
    assert prefill["title"] == "请加快建设。"
    assert prefill["source"] == "instruction" and prefill["source_leader"] == "王市长"
    assert prefill["source_text"] == "请加快建设。\n月底前报送进展。"
    assert str(prefill["source_date"]) == "2023-03-01"
    assert prefill["task"] == task1() and prefill["lead_unit"] == kjj()
    assert "市发改委" in [u.name for u in prefill["co_units"]]
    on_report = instruction_write(actor=leader, report=report, text="说明滞后原因。")
    assert instruction_prefill(people["office"], on_report.pk)["lead_unit"] == kjj()
    on_unit = instruction_write(actor=leader, unit=Unit.objects.get(name="市发改委"), text="过问。")
    unit_prefill = instruction_prefill(people["office"], on_unit.pk)
    assert unit_prefill["lead_unit"].name == "市发改委" and unit_prefill["task"] is None
    with pytest.raises(NotPermittedError):
        instruction_prefill(people["leader"], on_task.pk)
    with pytest.raises(LeaderInstruction.DoesNotExist):
        instruction_prefill(people["office"], 999999)


@time_machine.travel("2023-03-01 10:00 +0800", tick=False)
def test_the_office_converts_once_and_files_with_a_note(people) -> None:
    office, leader = people["office"], people["leader"]
    instruction = instruction_write(actor=leader, task=task1(), text="请加快建设。")
    prefill = instruction_prefill(office, instruction.pk)
    prefill.pop("instruction")
    directive = directive_create(actor=office, due_workdays=10, **prefill)
    converted = instruction_convert(
        actor=office, instruction_id=instruction.pk, directive=directive
    )
    assert converted.state == InstructionState.CONVERTED and converted.directive == directive
    with pytest.raises(ApplicationError, match="不能再转为督办事项"):
        instruction_convert(actor=office, instruction_id=instruction.pk, directive=directive)
    with pytest.raises(ApplicationError, match="不能再归档"):
        instruction_file(actor=office, instruction=converted, note="不需要。")
    other = instruction_write(actor=leader, unit=kjj(), text="过问。")
    with pytest.raises(NotPermittedError):
        instruction_convert(actor=leader, instruction_id=other.pk, directive=directive)
    client = login(office)
    empty = client.post(f"/instructions/{other.pk}/file/", {"note": "  "})
    assert empty.status_code == 400 and "请填写归档说明" in empty.content.decode()
    done = client.post(f"/instructions/{other.pk}/file/", {"note": "已当面汇报。"})
    assert done.status_code == 302
    other.refresh_from_db()
    assert (other.state, other.note) == ("filed", "已当面汇报。")
    assert Notice.objects.filter(recipient=leader, key=f"instruction:{other.pk}:file").exists()
    assert login(office).get("/instructions/999999/file/").status_code == 404


@time_machine.travel("2023-09-27 10:00 +0800", tick=False)
def test_the_direct_setting_sends_the_item_straight_to_the_units(people) -> None:
    leader = login(people["leader"])
    page = leader.get("/instructions/settings/")
    assert page.status_code == 200 and "直接交办" in page.content.decode()
    bad = leader.post("/instructions/settings/", {"direct_to_units": "on", "due_workdays": "0"})
    assert bad.status_code == 400 and "1 到 250 个工作日" in bad.content.decode()
    saved = leader.post("/instructions/settings/", {"direct_to_units": "on", "due_workdays": "5"})
    assert saved.status_code == 302
    response = write(leader, target="task", task=task1().pk, text="请立即整改。")
    assert response.status_code == 302
    instruction = LeaderInstruction.objects.get()
    assert instruction.state == InstructionState.CONVERTED and instruction.direct
    directive = instruction.directive
    assert directive is not None and directive.state == DirectiveState.ISSUED
    assert directive.source == "instruction" and directive.created_by == people["leader"]
    assert str(directive.due_date) == "2023-10-10"  # 5 working days over the National Day
    assert directive.units.get(role="lead").unit == kjj()
    assert Notice.objects.filter(recipient=people["kjj_reporter"], key__startswith="directive:")
    assert Notice.objects.filter(recipient=people["office"], title__contains="已直接交办")
    preference_set(actor=people["leader"], direct_to_units=False, due_workdays=5)
    assert instruction_write(actor=people["leader"], unit=kjj(), text="再过问。").state == "new"


PAGES = ["/instructions/", "/instructions/mine/", "/instructions/settings/"]
EXPECT = {
    "kjj_reporter": [403, 403, 403],
    "kjj_approver": [403, 403, 403],
    "office": [200, 403, 403],
    "admin": [200, 403, 403],
    "leader": [403, 200, 200],
}


@pytest.mark.parametrize("who", list(EXPECT))
def test_who_sees_which_page(people, who) -> None:
    client = login(people[who])
    assert [client.get(p).status_code for p in PAGES] == EXPECT[who]
    assert login(None).get(PAGES[0]).status_code == 302


def test_a_unit_sees_an_instruction_only_once_it_became_its_item(people) -> None:
    from tasks.instructions.selectors import inbox

    instruction = instruction_write(actor=people["leader"], task=task1(), text="请加快。")
    assert inbox(people["kjj_reporter"]) == []
    preference_set(actor=people["leader"], direct_to_units=True, due_workdays=5)
    direct = instruction_write(actor=people["leader"], task=task1(), text="立即整改。")
    assert inbox(people["kjj_reporter"]) == [direct]
    assert inbox(people["other_reporter"]) == []
    assert set(inbox(people["leader"])) == {instruction, direct}
