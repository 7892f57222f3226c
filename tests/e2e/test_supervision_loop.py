"""The supervision loop in a real browser: the office urges (催办) a late unit from the period
page and issues a 督办单; the unit's reporter sees the bell, 我的任务's count and the 督办单 in
the menu, and answers; the approver sees 待我审核's count; the office closes the order. Each
step is photographed at 1366 and 390 pixels (test-artifacts/supervision-*.png)."""

import re

import pytest

from tasks.models import Plan, ReportingPeriod, Task
from tasks.reporting import services as svc
from tasks.supervision.models import OrderState, SupervisionOrder
from tests.e2e.browser import DESKTOP, PHONE, new_page_logged_in
from tests.plan.factories import assignment_of
from tests.units.factories import make_user
from units.contacts.models import Contact
from units.models import Role, Unit, User


def person(username: str, role: str, unit: str | None, family: str, given: str) -> User:
    user = make_user(username, role, unit)
    user.last_name, user.first_name = family, given
    user.save()
    return user


@pytest.fixture
def loop_setup(live_plan):
    """2021Q3 open (past its due date), 市科技局's 联络员, a report waiting for its approver."""
    people = {
        "reporter": person("kjj_tb", Role.REPORTER, "市科技局", "张", "晓明"),
        "approver": person("kjj_sh", Role.APPROVER, "市科技局", "李", "建国"),
        "office": person("dc_office", Role.OFFICE, None, "王", "督查"),
    }
    svc.periods_ensure(plan=Plan.objects.get(code="hefei-ai-2020-2023"))
    q3 = svc.period_open(actor=people["office"], period=ReportingPeriod.objects.get(code="2021Q3"))
    kjj = Unit.objects.get(name="市科技局")
    Contact.objects.create(
        unit=kjj, name="周联络", mobile="13800000001", email="zhou@kjj.hefei.gov.cn"
    )
    report = svc.report_start(
        actor=people["reporter"],
        assignment=assignment_of(1, "市科技局"),
        period=q3,
        status="on_track",
        percent=30,
        narrative="完成通用人工智能理论研究的调研。",
    )
    svc.report_submit(actor=people["reporter"], report=report)
    return people


def photograph(page, shot, name: str) -> None:
    """A desktop and a phone picture; on the phone nothing may stick out sideways."""
    shot(page, f"supervision-{name}-desktop")
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the page is {width}px wide on a phone"
    shot(page, f"supervision-{name}-phone")
    page.set_viewport_size(DESKTOP)


def test_an_urge_and_a_supervision_order_go_round_in_the_browser(
    chromium, live_plan, loop_setup, shot
) -> None:
    from playwright.sync_api import expect

    url = live_plan.url
    kjj = Unit.objects.get(name="市科技局")

    # 1. The office urges 市科技局 from the period page (its 联络员 listed beside it).
    office = new_page_logged_in(chromium, url, "dc_office")
    office.goto(f"{url}/periods/2021Q3/?late=1")
    late = office.locator("#late")
    expect(late).to_contain_text("周联络")
    office.check(f"#urge-{kjj.pk}")
    office.locator("[data-action=urge]").click()
    office.wait_for_load_state()
    expect(office.locator("#late")).to_contain_text("本期已催办 1 次")
    photograph(office, shot, "01-office-urged")

    # 2. The office issues a 督办单 to 市科技局.
    office.goto(f"{url}/supervision/new/")
    office.select_option("#id_task", value=str(Task.objects.get(seq=1).pk))
    office.select_option("#id_unit", value=str(kjj.pk))
    office.fill("#id_facts", "该任务本季度进展报告逾期未报，请说明原因并提出整改措施。")
    office.locator("[data-action=issue]").click()
    office.wait_for_url(re.compile(r"/supervision/\d+/$"))
    order = SupervisionOrder.objects.get(unit=kjj)
    expect(office.locator("main")).to_contain_text("该任务本季度进展报告逾期未报")
    photograph(office, shot, "02-office-issued")

    # 3. The reporter: the bell, 我的任务's count, the 督办单 in the menu; answers the order.
    reporter = new_page_logged_in(chromium, url, "kjj_tb")
    expect(reporter.locator("#bell [data-unread]")).to_be_visible()
    expect(reporter.locator("nav [data-count=to-fill]")).to_be_visible()
    expect(reporter.locator("nav [data-count=orders]")).to_have_text(re.compile("^1"))
    photograph(reporter, shot, "03-reporter-menu")
    reporter.set_viewport_size(PHONE)
    expect(reporter.locator(".nav-toggler-count")).to_be_visible()  # the collapsed menu counts
    reporter.locator(".navbar-toggler").click()
    expect(reporter.locator("nav [data-count=orders]")).to_be_visible()
    shot(reporter, "supervision-03-reporter-menu-open-phone")
    reporter.set_viewport_size(DESKTOP)
    reporter.click("#bell")
    reporter.wait_for_url("**/notifications/**")
    expect(reporter.locator("main")).to_contain_text("督办")
    photograph(reporter, shot, "04-reporter-bell")
    reporter.click("nav [data-count=orders]")
    reporter.wait_for_url("**/supervision/")
    reporter.goto(f"{url}/supervision/{order.pk}/")
    reporter.locator("#answer textarea").fill("已完成报告补报，并明确专人负责按期报送。")
    photograph(reporter, shot, "05-reporter-answer")
    reporter.locator("[data-action=answer]").click()
    reporter.wait_for_load_state()
    expect(reporter.locator("main")).to_contain_text("已完成报告补报")
    expect(reporter.locator("nav [data-count=orders]")).to_have_count(0)
    assert SupervisionOrder.objects.get(pk=order.pk).state == OrderState.ANSWERED

    # 4. The approver: 待我审核 counts the report waiting.
    approver = new_page_logged_in(chromium, url, "kjj_sh")
    expect(approver.locator("nav .nav-count").first).to_have_text(re.compile("^1"))
    photograph(approver, shot, "06-approver-count")

    # 5. The office closes the order.
    office.goto(f"{url}/supervision/{order.pk}/")
    office.locator("[data-action=close]").click()
    office.wait_for_load_state()
    expect(office.locator("main")).to_contain_text("已办结")
    assert SupervisionOrder.objects.get(pk=order.pk).state == OrderState.CLOSED
    photograph(office, shot, "07-office-closed")
