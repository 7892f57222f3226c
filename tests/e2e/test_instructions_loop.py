"""领导批示 and 会议议定事项 in a real browser: a leader, on a 390 px phone, opens a red light's
灯色明细 and writes a 批示 under the red task; the office sees the menu's count and the 批示 in its
inbox and files one; the office pastes a meeting's decisions, reviews them and issues them
together. Photographed at 1366 and 390 px (test-artifacts/instructions-*.png)."""

import pytest

from tasks.models import Directive, LeaderInstruction, Plan, ReportingPeriod
from tasks.reporting import services as svc
from tests.e2e.browser import DESKTOP, PHONE, log_in, new_page_logged_in
from tests.plan.factories import assignment_of
from tests.units.factories import make_user
from units.models import Role, Unit


@pytest.fixture
def red_light(live_plan):
    people = {
        "reporter": make_user("kjj_tb", Role.REPORTER, "市科技局"),
        "office": make_user("dc_office", Role.OFFICE, None),
        "leader": make_user("ld_leader", Role.LEADER, None),
    }
    svc.periods_ensure(plan=Plan.objects.get(code="hefei-ai-2020-2023"))
    q3 = svc.period_open(actor=people["office"], period=ReportingPeriod.objects.get(code="2021Q3"))
    report = svc.report_start(
        actor=people["reporter"],
        assignment=assignment_of(1, "市科技局"),
        period=q3,
        status="delayed",
        percent=10,
        narrative="算力中心设备采购延迟，进度滞后。",
    )
    svc.report_submit(actor=people["reporter"], report=report)
    return people, q3


def both_sizes(page, shot, name: str) -> None:
    shot(page, f"instructions-{name}-desktop")
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the page is {width}px wide on a phone"
    shot(page, f"instructions-{name}-phone")
    page.set_viewport_size(DESKTOP)


def test_a_leader_writes_on_a_red_task_from_a_phone_and_the_office_handles_it(
    chromium, red_light, live_plan, shot
) -> None:
    url = live_plan.url
    _people, q3 = red_light
    kjj = Unit.objects.get(name="市科技局")
    phone = chromium.new_page(viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True)
    log_in(phone, url, "ld_leader")
    phone.goto(f"{url}/dashboard/why/?period={q3.code}&unit={kjj.pk}&light=red")
    form = phone.locator("details.instruction-write").first
    button = form.locator("summary")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 300  # a thumb's target
    button.tap()
    form.locator("textarea").fill("红灯任务，请市科技局说明滞后原因，两周内拿出整改措施。")
    shot(phone, "instructions-write-phone")
    form.locator("button[type=submit]").tap()
    phone.wait_for_selector("text=批示已送领导小组办公室办理")
    instruction = LeaderInstruction.objects.get()
    assert (instruction.target, instruction.light, instruction.unit) == ("light", "red", kjj)

    office = new_page_logged_in(chromium, url, "dc_office")
    office.goto(f"{url}/instructions/")
    assert office.locator('[data-count="instructions"]').first.inner_text().startswith("1")
    row = office.locator(f"#instruction-{instruction.pk}")
    assert "两周内拿出整改措施" in row.inner_text()
    assert row.locator("a", has_text="转为督办事项").get_attribute("href") == (
        f"/directives/new/?instruction={instruction.pk}"
    )
    both_sizes(office, shot, "inbox")
    row.locator("a", has_text="归档").click()
    office.fill("#id_note", "已在领导小组会议上专题研究。")
    office.locator("button[type=submit]", has_text="归档").click()
    office.wait_for_selector("text=批示已归档")
    instruction.refresh_from_db()
    assert instruction.state == "filed"

    office.goto(f"{url}/directives/batch/")
    office.fill("#id_meeting", "领导小组第三次全体会议")
    office.fill(
        "#id_decisions",
        "1. 市科技局牵头，会同市发改委研究出台算力券兑付办法。\n\n"
        "二、市数据资源局负责推进公共数据开放。",
    )
    office.click("#batch-read")
    office.wait_for_selector("text=核对议定事项")
    both_sizes(office, shot, "batch-review")
    office.click("#batch-issue")
    office.wait_for_selector("text=已交办 2 项会议议定事项")
    assert Directive.objects.filter(source="meeting", state="issued").count() == 2
