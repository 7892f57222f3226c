"""Issue #12's first "Done when", walked end to end in Chromium on 2023-09-20 (the clock's
SUPERVISION_TODAY; 2023's working days loaded): a leader on a 390 px phone opens a red task and
writes a 批示 on it; the office (1366 px) finds it under 督查督办 → 领导批示, turns it into a
督办事项 (prefilled from the 批示), sets a deadline and issues it; the lead unit's reporter signs,
feeds back and applies for an extension (phone); the office approves it (原定 shown); the lead
applies to close, the office returns it, the lead applies again, the office closes it; the item
is on the dashboard's 督办事项 block (open with its light, then closed this year) and in the
2023Q3 督查通报's 八、督办事项办理情况. Photographed at each step (test-artifacts/issue12-*.png)."""

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse

from tasks.models import Directive, DirectiveState, LeaderInstruction, Plan, ReportingPeriod
from tasks.reporting import services as svc
from tests.e2e.browser import DESKTOP, PHONE, log_in, new_page_logged_in
from tests.plan.factories import assignment_of
from tests.units.factories import make_user
from units.models import Role, Unit, User

TODAY = date(2023, 9, 20)  # a Wednesday of 2023Q3
INSTRUCTION = "红灯任务，请市科技局说明滞后原因，两周内拿出整改措施。"


def person(username: str, role: str, unit: str | None, family: str, given: str) -> User:
    user = make_user(username, role, unit)
    user.last_name, user.first_name = family, given
    user.save()
    return user


def photograph(page: Any, shot: Any, name: str) -> None:
    """The step on its device; nothing may stick out sideways on a phone."""
    width = page.evaluate("document.documentElement.scrollWidth")
    size = page.viewport_size["width"]
    assert width <= size, f"{name}: the page is {width}px wide at {size}px"
    shot(page, f"issue12-{name}-{size}")


def submitted(page: Any, selector: str) -> None:
    page.locator(selector).click()
    page.wait_for_load_state()


@pytest.fixture
def red_task(live_plan: Any, settings: Any) -> dict[str, Any]:
    """市科技局's submitted 滞后 report in the open 2023Q3: task 1's light is red."""
    settings.SUPERVISION_TODAY = TODAY
    people = {
        "reporter": person("kjj_tb", Role.REPORTER, "市科技局", "张", "晓明"),
        "office": person("dc_office", Role.OFFICE, None, "王", "督查"),
        "leader": person("ld_leader", Role.LEADER, None, "陈", "市长"),
    }
    svc.periods_ensure(plan=Plan.objects.get(code="hefei-ai-2020-2023"))
    q3 = svc.period_open(actor=people["office"], period=ReportingPeriod.objects.get(code="2023Q3"))
    assignment = assignment_of(1, "市科技局")
    report = svc.report_start(
        actor=people["reporter"],
        assignment=assignment,
        period=q3,
        status="delayed",
        percent=10,
        narrative="算力中心设备采购延迟，进度滞后。",
    )
    svc.report_submit(actor=people["reporter"], report=report)
    return {"task": assignment.task, "period": q3, **people}


def test_issue12_walk_from_a_leaders_instruction_to_the_bulletin(
    chromium: Any, live_plan: Any, red_task: dict[str, Any], shot: Any
) -> None:
    from playwright.sync_api import expect

    url = live_plan.url
    task = red_task["task"]
    kjj = Unit.objects.get(name="市科技局")

    # 1. A leader on a phone: the red light on the 灯色明细, then the task's page and its 批示.
    leader = chromium.new_page(viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True)
    log_in(leader, url, "ld_leader")
    leader.goto(f"{url}/dashboard/why/?period=2023Q3&unit={kjj.pk}&light=red")
    expect(leader.locator("main")).to_contain_text(task.code)
    photograph(leader, shot, "01-leader-red-light")
    leader.goto(url + reverse("plan:task-detail", args=[task.pk]))
    form = leader.locator("details.instruction-write").first
    form.locator("summary").tap()
    form.locator("textarea").fill(INSTRUCTION)
    photograph(leader, shot, "02-leader-writes")
    form.locator("button[type=submit]").tap()
    leader.wait_for_selector("text=批示已送领导小组办公室办理")
    photograph(leader, shot, "03-leader-sent")
    instruction = LeaderInstruction.objects.get()
    assert (instruction.target, instruction.task) == ("task", task)

    # 2. The office: 督查督办 → 领导批示, 转为督办事项 (prefilled), a deadline, save, issue.
    office = new_page_logged_in(chromium, url, "dc_office")
    office.locator("nav .dropdown-toggle", has_text="督查督办").click()
    office.locator("nav .dropdown-item", has_text="领导批示").click()
    office.wait_for_url("**/instructions/")
    row = office.locator(f"#instruction-{instruction.pk}")
    expect(row).to_contain_text("两周内拿出整改措施")
    photograph(office, shot, "04-office-inbox")
    row.locator("a", has_text="转为督办事项").click()
    office.wait_for_url(f"**/directives/new/?instruction={instruction.pk}")
    assert office.input_value("#id_source") == "instruction"
    assert office.input_value("#id_source_leader") == "陈市长"
    assert office.input_value("#id_source_text") == INSTRUCTION
    assert office.input_value("#id_lead_unit") == str(kjj.pk)
    assert office.input_value("#id_task") == str(task.pk)
    office.fill("#id_due_workdays", "10")
    photograph(office, shot, "05-office-prefilled")
    submitted(office, "[data-action=create]")
    office.wait_for_url(re.compile(r"/directives/\d+/$"))
    item = Directive.objects.get()
    instruction.refresh_from_db()
    assert instruction.state == "converted"
    submitted(office, "[data-action=issue]")
    expect(office.locator("#units")).to_contain_text("未签收")
    item.refresh_from_db()
    assert item.state == DirectiveState.ISSUED and item.due_date is not None
    original = item.due_date
    photograph(office, shot, "06-office-issued")

    # 3. The lead unit's reporter on a phone: signs, feeds back (滞后), applies for an extension.
    reporter = chromium.new_page(viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True)
    log_in(reporter, url, "kjj_tb")
    reporter.goto(f"{url}/directives/{item.pk}/")
    photograph(reporter, shot, "07-reporter-to-sign")
    submitted(reporter, "[data-action=sign]")
    expect(reporter.locator("#units")).to_contain_text("签收")
    reporter.fill("#feedback-form textarea[name=content]", "设备采购已重新招标，预计延后两周到货。")
    reporter.select_option("#feedback-form select[name=status]", value="delayed")
    submitted(reporter, "[data-action=feedback]")
    expect(reporter.locator("#feedback")).to_contain_text("设备采购已重新招标")
    later = original + timedelta(days=14)
    reporter.locator("#extend summary").click()
    reporter.fill("#id_to_date", later.isoformat())
    reporter.fill("#extend textarea[name=reason]", "设备到货延后，需顺延两周完成整改。")
    photograph(reporter, shot, "08-reporter-extend")
    submitted(reporter, "[data-action=extend]")
    expect(reporter.locator("#extensions")).to_contain_text("待")

    # 6a. Before closing, the dashboard lists the open item with its light (滞后: red).
    office.goto(f"{url}/dashboard/?period=2023Q3")
    block = office.locator("#directives")
    expect(block.locator('[data-directives="red"]')).to_have_text("1")
    expect(block.locator('[data-directives="source-instruction"]')).to_have_text("1 / 0")
    listed = block.locator(f'[data-directive="{item.pk}"]')
    expect(listed).to_contain_text("牵头 市科技局")
    expect(listed.locator(".light-red")).to_have_text("红灯")
    block.scroll_into_view_if_needed()
    photograph(office, shot, "09-office-dashboard-open")

    # 4. The office approves the extension: the new deadline, 原定 the original.
    office.goto(f"{url}/directives/{item.pk}/")
    submitted(office, "#extensions [data-action=extension-approve]")
    if item.extensions.get().state == "leader":
        desk = new_page_logged_in(chromium, url, "ld_leader")
        desk.goto(f"{url}/directives/{item.pk}/")
        submitted(desk, "#extensions [data-action=extension-approve]")
    item.refresh_from_db()
    assert (item.due_date, item.original_due_date) == (later, original)
    office.goto(f"{url}/directives/{item.pk}/")
    expect(office.locator("#due")).to_contain_text(later.isoformat())
    expect(office.locator("#due")).to_contain_text(f"原定 {original.isoformat()}")
    photograph(office, shot, "10-office-extended")

    # 5. 申请办结 → 退回重办 (with the reason) → 申请办结 again → 办结.
    reporter.goto(f"{url}/directives/{item.pk}/")
    reporter.locator("#apply-close summary").click()
    reporter.fill("#apply-close textarea[name=content]", "设备已到货安装，整改措施已落实。")
    submitted(reporter, "[data-action=apply-close]")
    office.goto(f"{url}/directives/{item.pk}/")
    photograph(office, shot, "11-office-closing")
    office.fill("#close-comment", "请补充设备验收单和试运行记录。")
    submitted(office, "[data-action=return]")
    expect(office.locator("#timeline")).to_contain_text("退回重办")
    assert Directive.objects.get(pk=item.pk).state == DirectiveState.IN_PROGRESS
    reporter.goto(f"{url}/directives/{item.pk}/")
    expect(reporter.locator("#timeline")).to_contain_text("请补充设备验收单")
    reporter.locator("#apply-close summary").click()
    reporter.fill("#apply-close textarea[name=content]", "已补充设备验收单和试运行记录。")
    photograph(reporter, shot, "12-reporter-apply-again")
    submitted(reporter, "[data-action=apply-close]")
    office.goto(f"{url}/directives/{item.pk}/")
    submitted(office, "[data-action=close]")
    expect(office.locator("main")).to_contain_text("已办结")
    assert Directive.objects.get(pk=item.pk).state == DirectiveState.CLOSED
    photograph(office, shot, "13-office-closed")

    # 6b. The dashboard: closed this year, on time; nothing open.
    office.goto(f"{url}/dashboard/?period=2023Q3")
    block = office.locator("#directives")
    expect(block.locator("#tile-dir-state")).to_contain_text("2023 年办结 1 项")
    expect(block.locator('[data-directives="closed_on_time"]')).to_have_text("1")
    expect(block.locator('[data-directives="red"]')).to_have_text("0")
    expect(block.locator('[data-directives="source-instruction"]')).to_have_text("0 / 1")
    photograph(office, shot, "14-office-dashboard-closed")

    # 6c. The quarter's 督查通报 (drafted from the list): 八、督办事项办理情况 counts the item.
    office.goto(f"{url}/bulletins/")
    office.select_option("#draft-period", value="2023Q3")
    office.click("#draft-form button[type=submit]")
    office.wait_for_url(f"{url}/bulletins/2023Q3/")
    heading = office.locator("h3", has_text="八、督办事项办理情况")
    expect(heading).to_be_visible()
    expect(heading.locator("xpath=following-sibling::p[1]")).to_have_text(
        "本季度交办督办事项1项，办结1项，其中按期办结1项；截至2023年9月20日，在办0项，"
        "其中逾期未办结0项；本季度批准延期1项。"
    )
    row = heading.locator("xpath=following::table[1]").locator("tr", has_text="领导批示")
    expect(row.locator("td")).to_have_text(["领导批示", "1", "1", "1", "0", "0", "1"])
    photograph(office, shot, "15-office-bulletin")
    office.set_viewport_size(PHONE)
    photograph(office, shot, "15-office-bulletin")
    office.set_viewport_size(DESKTOP)
