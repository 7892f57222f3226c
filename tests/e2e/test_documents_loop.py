"""The documents' round in Chromium, with a real Celery worker building what the pages request:
the office drafts the 2023Q3 督查通报, writes its 工作要求, asks for the PDF and watches the build's
progress to its download, publishes it (the issued PDF and Word built by the worker); a unit's
reporter finds it published and opens the issued PDF; the reporter downloads the Excel template
of the open period, fills a row offline and imports it. Every page passes the Content Security
Policy; photographed at 1366 and 390 px (test-artifacts/)."""

import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from hefei_ai_zone.celery import app as celery_app
from reports.bulletins.models import Bulletin
from tasks.imports.template import COLUMNS, FIRST_ROW, SHEET
from tasks.models import Plan, ProgressReport, ReportState
from tasks.seed.demo import demo_data_seed
from tests.e2e.browser import PHONE, WATCH, log_in, visit
from tests.notifications.processes import start_worker, stop
from tests.units.factories import make_user
from units.models import Role, User
from units.notifications.models import Notice

BUILD_SECONDS = 240_000  # ms: a bulletin's PDF takes seconds, more on a loaded machine


def pdf_text(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "file.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["/usr/bin/pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout


def column(key: str) -> int:
    return next(i for i, c in enumerate(COLUMNS, start=1) if c.key == key)


@pytest.fixture
def world(live_plan: Any, settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    make_user("doc_office", Role.OFFICE, None)
    make_user("doc_leader", Role.LEADER, None)
    make_user("kjj_doc", Role.REPORTER, "市科技局")
    demo_data_seed(plan=Plan.objects.get(code="hefei-ai-2020-2023"))
    celery_app.control.purge()  # jobs enqueued by earlier tests whose rows are gone
    return {"data": tmp_path / "data"}


def test_bulletin_built_published_read_and_progress_imported(
    chromium: Any, live_plan: Any, world: dict[str, Any], shot: Any, tmp_path: Path
) -> None:
    url = live_plan.url
    worker = start_worker(0, DATA_DIR=str(world["data"]))
    try:
        office = chromium.new_page(viewport={"width": 1366, "height": 900}, accept_downloads=True)
        office.add_init_script(WATCH)
        log_in(office, url, "doc_office")

        # 起草: the office drafts the quarter's bulletin from the list
        office.goto(f"{url}/bulletins/")
        office.select_option("#draft-period", value="2023Q3")
        office.click("#draft-form button[type=submit]")
        office.wait_for_url(f"{url}/bulletins/2023Q3/")
        assert office.locator("h1").inner_text().startswith("2023年第三季度督查通报")

        # 工作要求, then the PDF through the build page and its progress bar
        office.fill("textarea[name=commentary]", "各责任单位要对照滞后任务逐项整改，按时报送进展。")
        office.click("form.bulletin-tools button[type=submit]")
        office.wait_for_selector("text=各责任单位要对照滞后任务逐项整改")
        office.click("[data-document-kind=bulletin] button.btn-outline-danger")
        office.wait_for_url(lambda address: "/documents/" in address)
        shot(office, "documents-build-running-1366")
        office.wait_for_selector("#build-status a[data-download]", timeout=BUILD_SECONDS)
        shot(office, "documents-build-done-1366")
        assert office.evaluate("window.__csp") == []  # the polling page passes the policy
        with office.expect_download() as download:
            office.click("#build-status a[data-download]")
        draft_pdf = Path(download.value.path()).read_bytes()
        text = pdf_text(draft_pdf, tmp_path)
        assert "2023年第三季度督查通报" in text and "各责任单位要对照滞后任务逐项整改" in text
        assert "市科技局" in text

        # 发布: confirm; the worker builds the issued PDF and Word, the page polls to 已发布
        office.goto(f"{url}/bulletins/2023Q3/publish/")
        office.click("button:has-text('确认发布')")
        office.wait_for_url(f"{url}/bulletins/2023Q3/")
        office.wait_for_selector("#bulletin-status a[data-file=docx]", timeout=BUILD_SECONDS)
        bulletin = Bulletin.objects.get(period__code="2023Q3")
        assert bulletin.number and bulletin.pdf_file and bulletin.docx_file
        shot(office, "bulletin-published-1366")
        assert (
            visit(office, url, ["/bulletins/", "/bulletins/2023Q3/", "/documents/", "/annual/"])
            == {}
        )

        # A unit's reporter: told, finds it in the list, opens the issued PDF
        reporter_user = User.objects.get(username="kjj_doc")
        assert Notice.objects.filter(
            recipient=reporter_user, key=f"bulletin:{bulletin.pk}:published"
        ).exists()
        reporter = chromium.new_page(viewport=PHONE, accept_downloads=True)
        reporter.add_init_script(WATCH)
        log_in(reporter, url, "kjj_doc")
        reporter.goto(f"{url}/bulletins/")
        assert bulletin.number in reporter.content()
        shot(reporter, "bulletin-list-reporter-390")
        issued = reporter.request.get(f"{url}/bulletins/2023Q3/file/pdf/")
        assert issued.status == 200
        assert bulletin.number in pdf_text(issued.body(), tmp_path)

        # The Excel import: the template of the open period, one row filled, imported
        reporter.goto(f"{url}/imports/")
        with reporter.expect_download() as download:
            reporter.click("button:has-text('填报模板')")
        workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
        sheet = workbook[SHEET]
        editable = {
            r.assignment_id
            for r in ProgressReport.objects.filter(
                unit__name="市科技局",
                period__state="open",
                state__in=[ReportState.DRAFT, ReportState.RETURNED],
            )
        }
        filled = None
        for n in range(FIRST_ROW, sheet.max_row + 1):
            assignment = sheet.cell(row=n, column=column("assignment")).value
            if assignment in editable:
                sheet.cell(row=n, column=column("status"), value="按计划推进")
                sheet.cell(row=n, column=column("percent"), value=60)
                sheet.cell(row=n, column=column("narrative"), value="线下填报：完成样机联调。")
                filled = assignment
                break
        assert filled is not None, "the reporter has a draft or returned report to fill"
        upload = tmp_path / "filled.xlsx"
        workbook.save(upload)
        reporter.set_input_files("input[type=file]", str(upload))
        reporter.click("button[name=action][value=import]")
        reporter.wait_for_selector(".outcome-saved")
        shot(reporter, "import-result-390")
        report = ProgressReport.objects.get(
            unit__name="市科技局", assignment_id=filled, period__state="open"
        )
        assert report.narrative == "线下填报：完成样机联调。" and report.percent == 60
        assert visit(reporter, url, ["/bulletins/", "/bulletins/2023Q3/", "/imports/"]) == {}
        assert office.evaluate("window.__csp") == [] and reporter.evaluate("window.__csp") == []
    finally:
        output = stop(worker)
    assert "Traceback" not in output, output
