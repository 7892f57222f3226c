"""Publishing: the office numbers and dates the bulletin, its content is frozen, every unit's
staff and the leaders are told once, the issued PDF and Word are built and kept; the history
lists it for units and leaders."""

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from hefei_ai_zone import clock
from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from reports.bulletins.models import Bulletin
from reports.bulletins.selectors import bulletin_content, content_of
from reports.bulletins.services import (
    bulletin_commentary_save,
    bulletin_draft,
    bulletin_publish,
)
from reports.documents.models import DocumentBuild
from reports.documents.services import build_run
from tasks.models import ProgressReport, ReportingPeriod
from tests.bulletins.tools import run
from units.models import Role, User
from units.notifications.models import Notice

pytestmark = pytest.mark.django_db

COMMENTARY = (
    "各责任单位要对照本通报，逐项分析滞后原因。\n红灯任务的牵头单位须在10个工作日内报送整改方案。"
)


def publish(period: ReportingPeriod, office: User, capture: Any) -> Bulletin:
    bulletin = bulletin_draft(actor=office, period=period)
    bulletin = bulletin_commentary_save(actor=office, bulletin=bulletin, commentary=COMMENTARY)
    with capture(execute=True):
        return bulletin_publish(actor=office, bulletin=bulletin)


def test_publishing_numbers_dates_and_tells_every_unit_once(
    period: ReportingPeriod, accounts: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    bulletin = publish(period, accounts["office"], django_capture_on_commit_callbacks)
    today = clock.today()
    assert bulletin.number == f"合智试办〔{today.year}〕1号"
    assert bulletin.published_date == today
    assert bulletin.published_by == accounts["office"]
    readers = set(
        User.objects.filter(is_active=True)
        .filter(role__in=(Role.REPORTER, Role.APPROVER, Role.LEADER))
        .exclude(role__in=(Role.REPORTER, Role.APPROVER), unit__isnull=True)
        .values_list("pk", flat=True)
    )
    notices = Notice.objects.filter(key=f"bulletin:{bulletin.pk}:published")
    assert sorted(notices.values_list("recipient_id", flat=True)) == sorted(readers)
    assert accounts["office"].pk not in readers
    units = set(User.objects.filter(pk__in=readers).values_list("unit_id", flat=True))
    assert len(units - {None}) >= 2
    assert all(n.link == f"/bulletins/{period.code}/" for n in notices)

    other = bulletin_draft(
        actor=accounts["office"], period=period.__class__.objects.get(code="2021Q4")
    )
    other = bulletin_commentary_save(actor=accounts["office"], bulletin=other, commentary="要求")
    assert bulletin_publish(actor=accounts["office"], bulletin=other).seq == 2  # the year's next

    with pytest.raises(ApplicationError, match="已于"):
        bulletin_publish(actor=accounts["office"], bulletin=bulletin)
    assert notices.count() == len(readers)  # nobody told twice


def test_the_issued_files_are_built_kept_and_frozen(
    period: ReportingPeriod,
    accounts: dict[str, User],
    django_capture_on_commit_callbacks: Any,
    tmp_path: Any,
) -> None:
    bulletin = publish(period, accounts["office"], django_capture_on_commit_callbacks)
    assert bulletin.state_label == "发布中"
    builds = DocumentBuild.objects.filter(kind="bulletin", params__issued="1")
    assert sorted(b.fmt for b in builds) == ["docx", "pdf"]
    for build in builds:
        build_run(build_id=build.pk)
    bulletin.refresh_from_db()
    assert bulletin.files_ready and bulletin.state_label == "已发布"
    pdf = tmp_path / "issued.pdf"
    pdf.write_bytes(bulletin.pdf_file.read())
    text = run("pdftotext", str(pdf), "-")
    assert bulletin.number in text and "红灯任务的牵头单位须在10个工作日内" in text

    # the data changes after publishing: the live content does, the issued one does not
    issued = content_of(bulletin)
    report = ProgressReport.objects.filter(
        period=period, status="on_track", state="accepted"
    ).first()
    assert report is not None
    ProgressReport.objects.filter(pk=report.pk).update(status="delayed")
    cache.clear()
    assert bulletin_content(period)["overall"]["lights"] != issued["overall"]["lights"]
    bulletin.refresh_from_db()
    assert content_of(bulletin) == issued
    with pytest.raises(ApplicationError, match="已发布"):
        bulletin_commentary_save(actor=accounts["office"], bulletin=bulletin, commentary="改")

    # the history: a unit's reporter and a leader see it and download what was issued
    for username in ("kjj_reporter", "leader"):
        client = Client()
        client.force_login(accounts[username])
        listing = client.get("/bulletins/").content.decode()
        assert bulletin.title in listing and bulletin.number in listing
        response = client.get(f"/bulletins/{period.code}/file/pdf/")
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == bulletin.pdf_file.open("rb").read()  # type: ignore[attr-defined]
        page = client.get(f"/bulletins/{period.code}/").content.decode()
        assert "已发布" in page and COMMENTARY.split("\n")[0] in page


def test_only_the_office_publishes_and_a_bulletin_needs_its_commentary(
    period: ReportingPeriod, accounts: dict[str, User]
) -> None:
    bulletin = bulletin_draft(actor=accounts["office"], period=period)
    with pytest.raises(ApplicationError, match="工作要求"):
        bulletin_publish(actor=accounts["office"], bulletin=bulletin)
    for username in ("leader", "kjj_reporter", "kjj_approver"):
        with pytest.raises(NotPermittedError):
            bulletin_publish(actor=accounts[username], bulletin=bulletin)
    bulletin.refresh_from_db()
    assert not bulletin.is_published and bulletin.seq is None
    assert not Notice.objects.filter(rule="bulletin").exists()


def test_the_commentary_has_a_length_limit(
    period: ReportingPeriod, accounts: dict[str, User]
) -> None:
    bulletin = bulletin_draft(actor=accounts["office"], period=period)
    client = Client()
    client.force_login(accounts["office"])
    response = client.post(f"/bulletins/{period.code}/commentary/", {"commentary": "字" * 5001})
    assert response.status_code == 400
    assert "最多 5000 字" in response.content.decode()
    bulletin.refresh_from_db()
    assert bulletin.commentary == ""
