"""Saved times are shown with their year ("2021-10-03 10:05", never "10-03 10:05"): the plan
runs over four years, and a list of reports spans all of them."""

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tasks.reporting import services as svc
from tests.plan.factories import assignment_of

DATE_FORMAT = re.compile(r"""\|date:["']([^"']*)["']""")
NO_YEAR = re.compile(r"(?<![\d-])\d{2}-\d{2} \d{2}:\d{2}")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_every_template_shows_dates_and_times_with_the_year() -> None:
    templates = Path(settings.BASE_DIR, "templates").rglob("*.html")
    formats = {
        (path.relative_to(settings.BASE_DIR).as_posix(), f)
        for path in templates
        for f in DATE_FORMAT.findall(path.read_text(encoding="utf-8"))
    }
    assert formats  # the templates do format dates
    assert [(path, f) for path, f in formats if "Y" not in f] == []


@pytest.mark.django_db
def test_the_report_pages_show_saved_times_with_their_year(
    people, period, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(datetime(2021, 10, 3, 10, 5, tzinfo=ZoneInfo("Asia/Shanghai"))):
        report = svc.report_start(
            actor=people["kjj_reporter"],
            assignment=assignment_of(1, "市科技局"),
            period=period,
            status="on_track",
            narrative="已完成。",
        )
        svc.evidence_add(
            actor=people["kjj_reporter"], report=report, upload=SimpleUploadedFile("a.pdf", PDF)
        )
    reporter, office = Client(), Client()
    reporter.force_login(people["kjj_reporter"])
    office.force_login(people["office"])
    form = reporter.get(f"/reports/{report.pk}/edit/").content.decode()
    assert "于 2021-10-03 10:05 保存" in form
    with time_machine.travel(datetime(2021, 10, 4, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))):
        svc.report_submit(actor=people["kjj_reporter"], report=report)
    svc.report_approve(actor=people["kjj_approver"], report=report)
    pages = [
        form,
        reporter.get(f"/reports/{report.pk}/").content.decode(),
        office.get("/review/").content.decode(),
    ]
    assert "2021-10-03 10:05" in pages[1]  # the evidence's upload time
    assert "提交于 2021-10-04 09:30" in pages[2]
    assert [NO_YEAR.findall(html) for html in pages] == [[], [], []]
