"""A bureau user opens the platform in a real browser, on a desktop and on a phone."""

import pytest

from tests.units.factories import make_user
from units.models import Role


@pytest.mark.parametrize(
    ("viewport", "tag"),
    [({"width": 1366, "height": 900}, "desktop"), ({"width": 390, "height": 844}, "phone")],
)
def test_a_user_logs_in_and_reads_the_plan_tasks_demos_and_units(
    chromium, live_plan, shot, viewport, tag
) -> None:
    make_user("jxj", Role.REPORTER, "市经信局")
    page = chromium.new_page(viewport=viewport)
    page.goto(f"{live_plan.url}/")
    assert "/accounts/login/" in page.url
    shot(page, f"01-login-{tag}")
    page.fill("#id_username", "jxj")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    assert "请输入一个正确的" in page.inner_text(".alert-danger")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/my/"), page.url  # a reporter lands on the unit's work list
    page.click("nav >> text=任务分工") if tag == "desktop" else page.goto(f"{live_plan.url}/plan/")
    page.wait_for_url("**/plan/")

    assert page.locator(".task-row").count() == 57
    # The CJK font is installed locally and used: no boxes for characters.
    assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"', '主要任务分工')")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"]  # nothing overflows sideways on a phone
    shot(page, f"02-plan-{tag}")

    page.fill("#id_search", "骆岗")
    page.press("#id_search", "Enter")
    page.wait_for_url("**/plan/?*")
    assert page.locator(".task-row").count() == 1
    page.click(".task-row .task-code a")
    page.wait_for_url("**/plan/tasks/*/")
    assert "合肥骆岗中央公园智慧园区" in page.inner_text("main")
    shot(page, f"03-task-{tag}")

    page.goto(f"{live_plan.url}/demos/")
    assert page.locator(".card-demo").count() == 12
    shot(page, f"04-demos-{tag}")

    page.goto(f"{live_plan.url}/units/")
    page.locator("main a.card", has_text="合肥市经济和信息化局").click()
    page.wait_for_url("**/units/*/")
    assert "合肥市经济和信息化局" in page.inner_text("main")
    shot(page, f"05-unit-{tag}")
    page.close()


def test_no_request_leaves_the_server(chromium, live_plan) -> None:
    make_user("office1", Role.OFFICE, "市科技局")
    page = chromium.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(live_plan.url) and not r.url.startswith("data:")
            else None
        ),
    )
    page.goto(f"{live_plan.url}/accounts/login/")
    page.fill("#id_username", "office1")
    page.fill("#id_password", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard/")  # the office lands on the dashboard (总览)
    for path in [
        "/plan/",
        "/my/",
        "/periods/",
        "/units/",
        "/demos/",
        "/plan/indicators/",
        "/api/docs/",
    ]:
        page.goto(f"{live_plan.url}{path}")
        page.wait_for_load_state("networkidle")
    assert outside == []
    page.close()
