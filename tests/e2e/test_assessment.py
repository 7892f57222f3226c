"""督查考核 in a real browser: the office previews 2025's ranking, saves the year's rules (a new
version) after a refused attempt, publishes, and finds the frozen ranking; each step photographed
at 1366 and 390 pixels (test-artifacts/assessment-*.png), nothing sticking out sideways on a
phone (the table scrolls in its own box)."""

import time_machine

from tests.assessment.conftest import RULES_2025, TODAY, make_small_plan
from tests.e2e.browser import DESKTOP, PHONE, new_page_logged_in
from tests.units.factories import make_user
from units.models import Role


def photograph(page, shot, name: str) -> None:
    shot(page, f"assessment-{name}-desktop")
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the page is {width}px wide on a phone"
    shot(page, f"assessment-{name}-phone")
    page.set_viewport_size(DESKTOP)


def test_the_office_sets_the_rules_and_publishes_the_ranking(live_plan, chromium, shot):
    with time_machine.travel(TODAY, tick=True):
        make_small_plan()
        make_user("kh_office", Role.OFFICE, None)
        url = live_plan.url
        page = new_page_logged_in(chromium, url, "kh_office")

        page.goto(f"{url}/assessment/?year=2025")
        assert "预览（未发布）" in page.inner_text("h1")
        page.click("details.breakdown summary >> nth=0")
        photograph(page, shot, "preview")

        page.goto(f"{url}/assessment/rules/2025/")
        for name, value in RULES_2025.items():
            page.fill(f"#id_{name}", str(value))
        page.fill("#id_w_on_time", "40")  # 110 in all
        page.click("button:has-text('保存为新版本')")
        page.wait_for_selector("text=各项权重之和须为 100，现为 110。")
        photograph(page, shot, "rules-refused")
        page.fill("#id_w_on_time", "30")
        page.click("button:has-text('保存为新版本')")
        page.wait_for_selector("text=第1版")
        photograph(page, shot, "rules")

        page.goto(f"{url}/assessment/publish/2025/")
        page.click("button:has-text('确认发布')")
        page.wait_for_selector("[data-state=published]")
        rows = page.locator("table.assessment-table tbody tr")
        assert rows.nth(0).get_attribute("data-unit") == "乙局"
        assert "86.0" in rows.nth(0).inner_text()
        photograph(page, shot, "published")
