"""The 督办事项 loop in a real browser: the office registers an item (the source's fields shown
by the small static script) and issues it at 1366 px; the lead unit's reporter signs, feeds back
and applies for an extension on a phone (390 px); the office approves it; the lead applies to
close, the office returns it with a reason, the lead applies again and the office closes it.
Each step is photographed at 1366 and 390 pixels (test-artifacts/directives-*.png)."""

import re
from datetime import timedelta

from tasks.models import Directive, DirectiveState
from tests.e2e.browser import DESKTOP, PHONE, new_page_logged_in
from tests.units.factories import make_user
from units.models import Role, Unit, User


def person(username: str, role: str, unit: str | None, family: str, given: str) -> User:
    user = make_user(username, role, unit)
    user.last_name, user.first_name = family, given
    user.save()
    return user


def photograph(page, shot, name: str) -> None:
    """A desktop and a phone picture; on the phone nothing may stick out sideways."""
    size = page.viewport_size
    page.set_viewport_size(DESKTOP)
    shot(page, f"directives-{name}-desktop")
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the page is {width}px wide on a phone"
    shot(page, f"directives-{name}-phone")
    page.set_viewport_size(size)


def submitted(page, selector: str) -> None:
    page.locator(selector).click()
    page.wait_for_load_state()


def test_a_supervised_item_goes_round_in_the_browser(chromium, live_plan, shot) -> None:
    from playwright.sync_api import expect

    url = live_plan.url
    person("kjj_tb", Role.REPORTER, "市科技局", "张", "晓明")
    person("dc_office", Role.OFFICE, None, "王", "督查")
    person("ld_leader", Role.LEADER, None, "陈", "市长")
    kjj, fgw = Unit.objects.get(name="市科技局"), Unit.objects.get(name="市发改委")

    # 1. The office registers a meeting's decision (only the meeting's fields shown) and issues it.
    office = new_page_logged_in(chromium, url, "dc_office")
    office.goto(f"{url}/directives/new/")
    office.select_option("#id_source", value="meeting")
    expect(office.locator("#id_source_meeting")).to_be_visible()
    expect(office.locator("#id_source_leader")).to_be_hidden()
    office.fill("#id_title", "研究出台算力券兑付实施细则")
    office.fill("#id_source_meeting", "试验区建设领导小组第三次会议")
    office.fill(
        "#id_source_text", "会议议定：由市科技局牵头，市发改委配合，研究出台算力券兑付实施细则。"
    )
    office.fill("#id_requirement", "细则应明确兑付对象、标准和流程，按周反馈进展。")
    office.select_option("#id_lead_unit", value=str(kjj.pk))
    office.select_option("#id_co_units", value=[str(fgw.pk)])
    office.fill("#id_due_workdays", "15")
    office.select_option("#id_rhythm", value="weekly")
    photograph(office, shot, "01-office-register")
    submitted(office, "[data-action=create]")
    office.wait_for_url(re.compile(r"/directives/\d+/$"))
    item = Directive.objects.get()
    submitted(office, "[data-action=issue]")
    expect(office.locator("main")).to_contain_text("合智督〔")
    expect(office.locator("#units")).to_contain_text("未签收")
    photograph(office, shot, "02-office-issued")

    # 2. The lead unit's reporter, on a phone: the menu's count, signs, feeds back, asks for time.
    reporter = chromium.new_page(viewport=PHONE, locale="zh-CN")
    from tests.e2e.browser import log_in

    log_in(reporter, url, "kjj_tb")
    expect(reporter.locator(".nav-toggler-count")).to_be_visible()
    reporter.locator(".navbar-toggler").click()
    expect(reporter.locator("nav [data-count=directives]")).to_have_text(re.compile("^1"))
    shot(reporter, "directives-03-reporter-menu-phone")
    reporter.locator("nav [data-count=directives]").click()
    reporter.wait_for_url("**/directives/")
    shot(reporter, "directives-04-reporter-list-phone")
    reporter.goto(f"{url}/directives/{item.pk}/")
    photograph(reporter, shot, "05-reporter-to-sign")
    submitted(reporter, "[data-action=sign]")
    expect(reporter.locator("#units")).to_contain_text("签收")
    reporter.fill("#feedback-form textarea[name=content]", "已起草细则初稿，正在征求市发改委意见。")
    reporter.select_option("#feedback-form select[name=status]", value="on_track")
    submitted(reporter, "[data-action=feedback]")
    expect(reporter.locator("#feedback")).to_contain_text("已起草细则初稿")
    item.refresh_from_db()
    assert item.due_date is not None
    later = item.due_date + timedelta(days=14)
    reporter.locator("#extend summary").click()
    reporter.fill("#id_to_date", later.isoformat())
    reporter.fill("#extend textarea[name=reason]", "需提交市政府常务会议审议，会期在原定时限之后。")
    photograph(reporter, shot, "06-reporter-extend")
    submitted(reporter, "[data-action=extend]")
    expect(reporter.locator("#extensions")).to_contain_text("待")

    # 3. The office approves the extension (and a leader, when the setting asks for one).
    office.goto(f"{url}/directives/{item.pk}/")
    photograph(office, shot, "07-office-extension")
    submitted(office, "#extensions [data-action=extension-approve]")
    if item.extensions.get().state == "leader":
        leader = new_page_logged_in(chromium, url, "ld_leader")
        leader.goto(f"{url}/directives/{item.pk}/")
        submitted(leader, "#extensions [data-action=extension-approve]")
    item.refresh_from_db()
    assert item.due_date == later and item.original_due_date != later
    office.goto(f"{url}/directives/{item.pk}/")
    expect(office.locator("#due")).to_contain_text("原定")

    # 4. 申请办结, 退回重办 with the reason, again, 办结.
    reporter.goto(f"{url}/directives/{item.pk}/")
    reporter.locator("#apply-close summary").click()
    reporter.fill(
        "#apply-close textarea[name=content]", "细则已印发（合科〔2023〕9号），附件为印发稿。"
    )
    submitted(reporter, "[data-action=apply-close]")
    office.goto(f"{url}/directives/{item.pk}/")
    photograph(office, shot, "08-office-closing")
    office.fill("#close-comment", "请补充兑付流程图和首批兑付情况。")
    submitted(office, "[data-action=return]")
    expect(office.locator("#timeline")).to_contain_text("退回重办")
    assert Directive.objects.get(pk=item.pk).state == DirectiveState.IN_PROGRESS
    reporter.goto(f"{url}/directives/{item.pk}/")
    expect(reporter.locator("#timeline")).to_contain_text("请补充兑付流程图")
    reporter.locator("#apply-close summary").click()
    reporter.fill("#apply-close textarea[name=content]", "已补充兑付流程图；首批 12 家企业已兑付。")
    photograph(reporter, shot, "09-reporter-apply-again")
    submitted(reporter, "[data-action=apply-close]")
    office.goto(f"{url}/directives/{item.pk}/")
    submitted(office, "[data-action=close]")
    expect(office.locator("main")).to_contain_text("已办结")
    assert Directive.objects.get(pk=item.pk).state == DirectiveState.CLOSED
    photograph(office, shot, "10-office-closed")
    office.goto(f"{url}/directives/?state=closed")
    expect(office.locator("main")).to_contain_text("研究出台算力券兑付实施细则")
    photograph(office, shot, "11-office-list")
