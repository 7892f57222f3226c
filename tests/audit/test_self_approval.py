"""No approving one's own report (issue 11): whoever wrote a report (edited a version of it or
submitted it) cannot approve it; with no other approver in the unit the reason says so and the
office is told once; the office may allow it for a unit."""

import pytest
from django.test import Client

from hefei_ai_zone.errors import NotPermittedError
from tasks.models import ProgressReport, ReportingPeriod
from tasks.reporting import services as svc
from tasks.reporting.permissions import allowed_actions
from tests.plan.factories import assignment_of
from tests.units.factories import make_user
from units.models import Notice, Role, Unit, User

pytestmark = pytest.mark.django_db

FULL = {"status": "on_track", "percent": 40, "narrative": "已完成模型框架设计。"}


def written_by_approver(people: dict[str, User], period: ReportingPeriod) -> ProgressReport:
    """市科技局's report written and submitted by its approver (the reporter is away)."""
    report = svc.report_start(
        actor=people["kjj_approver"], assignment=assignment_of(1, "市科技局"), period=period, **FULL
    )
    return svc.report_submit(actor=people["kjj_approver"], report=report)


def test_the_writer_sees_no_approve_button_and_the_service_refuses(
    people: dict[str, User], period: ReportingPeriod
) -> None:
    report = written_by_approver(people, period)
    assert allowed_actions(people["kjj_approver"], report) == {"return"}
    with pytest.raises(NotPermittedError, match="不能审核自己的报告"):
        svc.report_approve(actor=people["kjj_approver"], report=report)
    assert ProgressReport.objects.get(pk=report.pk).state == "submitted"
    page = Client()
    page.force_login(people["kjj_approver"])
    html = page.get(f"/reports/{report.pk}/").content.decode()
    assert 'value="approve"' not in html


def test_an_approver_who_only_edited_a_version_cannot_approve_either(
    people: dict[str, User], period: ReportingPeriod
) -> None:
    report = svc.report_start(
        actor=people["kjj_reporter"], assignment=assignment_of(1, "市科技局"), period=period, **FULL
    )
    report = svc.report_update(actor=people["kjj_approver"], report=report, version=1, percent=50)
    report = svc.report_submit(actor=people["kjj_reporter"], report=report)
    assert "approve" not in allowed_actions(people["kjj_approver"], report)


def test_another_approver_of_the_unit_approves_and_the_office_is_not_told(
    people: dict[str, User], period: ReportingPeriod
) -> None:
    second = make_user("kjj_approver2", Role.APPROVER, "市科技局")
    report = written_by_approver(people, period)
    with pytest.raises(NotPermittedError, match="请本单位其他审核人审核"):
        svc.report_approve(actor=people["kjj_approver"], report=report)
    assert not Notice.objects.filter(rule="self_approval").exists()
    assert "approve" in allowed_actions(second, report)
    assert svc.report_approve(actor=second, report=report).state == "approved"


def test_a_unit_with_a_single_approver_gets_a_clear_message_and_the_office_is_told_once(
    people: dict[str, User], period: ReportingPeriod
) -> None:
    report = written_by_approver(people, period)
    for _ in range(2):
        with pytest.raises(NotPermittedError, match=r"本单位没有其他审核人.*已通知领导小组办公室"):
            svc.report_approve(actor=people["kjj_approver"], report=report)
    [notice] = Notice.objects.filter(rule="self_approval")
    assert notice.recipient == people["office"]
    assert "市科技局" in notice.title and notice.link == f"/reports/{report.pk}/"


def test_the_office_allows_it_for_the_unit_on_the_unit_page(
    people: dict[str, User], period: ReportingPeriod
) -> None:
    unit = Unit.objects.get(name="市科技局")
    report = written_by_approver(people, period)
    reporter = Client()
    reporter.force_login(people["kjj_reporter"])
    refused = reporter.post(f"/units/{unit.pk}/self-approval/", {"allowed": "1"})
    assert refused.status_code == 403
    office = Client()
    office.force_login(people["office"])
    assert "本人审核本人报告" in office.get(f"/units/{unit.pk}/").content.decode()
    response = office.post(f"/units/{unit.pk}/self-approval/", {"allowed": "1"})
    assert response.status_code == 302
    assert Unit.objects.get(pk=unit.pk).self_approval_allowed
    report.refresh_from_db()
    report.unit.refresh_from_db()
    assert "approve" in allowed_actions(people["kjj_approver"], report)
    assert svc.report_approve(actor=people["kjj_approver"], report=report).state == "approved"


def test_returning_ones_own_report_stays_possible(
    people: dict[str, User], period: ReportingPeriod
) -> None:
    report = written_by_approver(people, period)
    returned = svc.report_return(actor=people["kjj_approver"], report=report, comment="需补充")
    assert returned.state == "returned"


def test_the_approval_queue_shows_no_approve_button_on_ones_own_report(
    people: dict[str, User], period: ReportingPeriod
) -> None:
    own = written_by_approver(people, period)
    other = svc.report_start(
        actor=people["kjj_reporter"], assignment=assignment_of(2, "市科技局"), period=period, **FULL
    )
    other = svc.report_submit(actor=people["kjj_reporter"], report=other)
    page = Client()
    page.force_login(people["kjj_approver"])
    html = page.get("/approvals/").content.decode()
    assert html.count("本人撰写，不能审核") == 1
    assert html.count('value="approve"') == 1
    assert own.pk != other.pk
