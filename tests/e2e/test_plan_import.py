"""The office imports a new plan from Excel in a real browser, on a desktop and on a phone:
upload, the preview with an unknown unit to map, the result."""

from pathlib import Path

import pytest

from tasks.models import Plan
from tests.e2e.browser import DESKTOP, PHONE, log_in
from tests.plan_import.helpers import as_bytes, small_workbook
from tests.units.factories import make_user
from units.models import Role


@pytest.mark.parametrize(("viewport", "tag"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_the_office_imports_a_plan_maps_a_new_unit_and_publishes(
    chromium, live_plan, shot, tmp_path: Path, viewport, tag
) -> None:
    make_user("office", Role.OFFICE, "市科技局")
    workbook = tmp_path / "附件1 主要任务分工.xlsx"
    workbook.write_bytes(as_bytes(small_workbook(extra=True)))
    page = chromium.new_page(viewport=viewport, locale="zh-CN")
    log_in(page, live_plan.url, "office")
    page.goto(f"{live_plan.url}/plans/import/")
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shot(page, f"plan-import-1-upload-{tag}")

    bad = tmp_path / "有问题.xlsx"
    bad.write_bytes(as_bytes(small_workbook([["（一）板块", "没有单位的任务。", None, None]])))
    page.set_input_files("#id_file", str(bad))
    page.click("#plan-upload button[type=submit]")
    page.wait_for_selector("#import-problems")
    assert "第3行 C列（责任单位）" in page.inner_text("#import-problems")
    shot(page, f"plan-import-1b-problems-{tag}")

    page.set_input_files("#id_file", str(workbook))
    page.click("#plan-upload button[type=submit]")
    page.wait_for_selector("#plan-publish")
    assert "5 项任务" in page.inner_text(".page-lead")
    assert page.locator("#unit-mapping select").count() == 1
    assert page.input_value("#id_start_year") == "2024"
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shot(page, f"plan-import-2-preview-{tag}")

    page.fill("#id_code", f"ai-2024-2026-{tag}")
    page.select_option("#unit-mapping select", "new:devzone")
    page.click("#plan-publish button[type=submit]")
    page.wait_for_selector("#plan-published")
    assert Plan.objects.filter(code=f"ai-2024-2026-{tag}").exists()
    shot(page, f"plan-import-3-done-{tag}")
    page.close()
