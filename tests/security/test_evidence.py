"""Evidence can be neither added nor removed once its period is closed: the API, the page and
allowed_actions agree."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from tasks.models import Evidence, PeriodState, ProgressReport, ReportingPeriod
from tasks.reporting import services as svc
from tests.plan.factories import assignment_of
from units.models import User

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
FULL = {"status": "on_track", "percent": 40, "narrative": "已完成模型框架设计。"}


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("纪要.pdf", PDF, content_type="application/pdf")


@pytest.fixture
def closed(people: dict[str, User], period: ReportingPeriod, settings: Any, tmp_path: Any) -> Any:
    """A draft with one file, in a period then closed."""
    settings.MEDIA_ROOT = tmp_path
    report = svc.report_start(
        actor=people["kjj_reporter"], assignment=assignment_of(1, "市科技局"), period=period, **FULL
    )
    evidence = svc.evidence_add(actor=people["kjj_reporter"], report=report, upload=pdf())
    ReportingPeriod.objects.filter(pk=period.pk).update(state=PeriodState.CLOSED)
    return ProgressReport.objects.get(pk=report.pk), evidence


def test_the_api_refuses_to_add_or_remove_evidence_after_the_period_closed(
    people: dict[str, User], closed: Any
) -> None:
    report, evidence = closed
    client = APIClient()
    client.force_authenticate(people["kjj_reporter"])
    detail = client.get(f"/api/progress-reports/{report.pk}/").json()
    assert not {"add_evidence", "remove_evidence"} & set(detail["allowed_actions"])
    added = client.post(f"/api/progress-reports/{report.pk}/evidence/", {"file": pdf()})
    removed = client.delete(f"/api/progress-reports/{report.pk}/evidence/{evidence.pk}/")
    for response in (added, removed):
        assert response.status_code in (400, 403), response.content[:300]
        assert "已关闭" in response.json()["message"] or "已关闭" in str(response.json())
    assert list(Evidence.objects.all()) == [evidence]


def test_the_page_refuses_to_add_or_remove_evidence_after_the_period_closed(
    people: dict[str, User], closed: Any
) -> None:
    report, evidence = closed
    client = Client()
    client.force_login(people["kjj_reporter"])
    form = {"version": report.version, **FULL}
    added = client.post(f"/reports/{report.pk}/edit/", {**form, "action": "upload", "file": pdf()})
    removed = client.post(
        f"/reports/{report.pk}/edit/", {**form, "action": f"remove:{evidence.pk}"}
    )
    for response in (added, removed):
        assert response.status_code == 400
        assert "已关闭" in response.content.decode()
    assert list(Evidence.objects.all()) == [evidence]
    assert ProgressReport.objects.get(pk=report.pk).version == report.version
