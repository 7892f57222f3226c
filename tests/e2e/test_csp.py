"""The Content Security Policy in a real browser (docs/security.md): the main pages, as the
office and as a unit's reporter, load in Chromium on the demo data without a single violation
(no inline script, no on* handler, no <style> element), the dashboard still draws from its JSON
data island, and the report form's htmx still works."""

from typing import Any

import pytest

from tasks.models import Plan, ProgressReport, ReportState
from tasks.reporting import services as svc
from tasks.seed.demo import demo_data_seed
from tests.e2e.browser import WATCH, log_in, visit
from tests.units.factories import make_user
from units.models import Role, Unit

OFFICE_PAGES = [
    "/dashboard/",
    "/dashboard/why/",
    "/review/",
    "/periods/",
    "/plan/",
    "/plan/tasks/1/",
    "/plan/indicators/",
    "/demos/",
    "/units/",
    "/milestones/",
    "/ledger/",
    "/ledger/verify/",
    "/supervision/",
    "/supervision/new/",
    "/directives/",
    "/directives/new/",
    "/notifications/",
    "/calendar/",
    "/accounts/password/change/",
    "/api/docs/",
    "/no-such-page/",
]
REPORTER_PAGES = [
    "/my/",
    "/milestones/",
    "/ledger/",
    "/directives/",
    "/notifications/",
    "/calendar/",
    "/plan/",
]


@pytest.fixture
def demo(live_plan: Any) -> dict[str, Any]:
    office = make_user("dc_office", Role.OFFICE, None)
    admin = make_user("root", Role.ADMIN, None)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    make_user("kjj_e2e", Role.REPORTER, "市科技局")
    demo_data_seed(plan=Plan.objects.get(code="hefei-ai-2020-2023"))
    kjj = Unit.objects.get(name="市科技局")
    reports = ProgressReport.objects.filter(unit=kjj, period__state="open")
    editable = reports.filter(state__in=[ReportState.DRAFT, ReportState.RETURNED]).first()
    if editable is None:  # send one back, so that the reporter has a form to open
        waiting = reports.filter(state=ReportState.SUBMITTED).first() or reports.first()
        assert waiting is not None
        waiting.state = ReportState.SUBMITTED
        waiting.save(update_fields=["state"])
        editable = svc.report_return(actor=office, report=waiting, comment="请补充佐证材料。")
    return {"report": editable, "kjj": kjj}


def test_no_page_breaks_the_content_security_policy(
    chromium: Any, live_plan: Any, demo: Any, shot: Any
) -> None:
    url = live_plan.url
    office = chromium.new_page(viewport={"width": 1366, "height": 900})
    office.add_init_script(WATCH)
    log_in(office, url, "dc_office")
    header = office.goto(f"{url}/dashboard/").headers["content-security-policy"]
    assert "script-src 'self'" in header and "frame-ancestors 'none'" in header
    office.wait_for_selector("#dashboard[data-drawn=true]")  # drawn from the JSON island
    report = demo["report"]
    pages = [*OFFICE_PAGES, f"/reports/{report.pk}/", f"/dashboard/units/{demo['kjj'].pk}/"]
    assert visit(office, url, pages) == {}
    office.goto(f"{url}/api/docs/")
    office.wait_for_selector(".swagger-ui .info")  # the API page starts from its own script
    shot(office, "csp-office-api-docs")

    admin = chromium.new_page(viewport={"width": 1366, "height": 900})
    admin.add_init_script(WATCH)
    log_in(admin, url, "root")
    assert (
        visit(
            admin,
            url,
            ["/admin/", "/admin/units/user/", f"/admin/units/user/{report.unit_id}/change/"],
        )
        == {}
    )

    reporter = chromium.new_page(viewport={"width": 390, "height": 844})
    reporter.add_init_script(WATCH)
    log_in(reporter, url, "kjj_e2e")
    assert visit(reporter, url, [*REPORTER_PAGES, f"/reports/{report.pk}/edit/"]) == {}
    # htmx still saves the draft (its script and its requests pass the policy)
    reporter.fill("#id_narrative", "补充：已上传会议纪要。")
    reporter.click("button[data-action=update]")
    reporter.wait_for_selector("text=草稿已保存")
    assert reporter.evaluate("window.__csp") == []
    shot(reporter, "csp-reporter-report-form")
