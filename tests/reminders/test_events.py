"""Notices at once when something happens, each exactly once."""

from datetime import date

import pytest

from tasks.ledger.services import entry_create, entry_reject
from tasks.models import Plan, ReportingPeriod
from tasks.reporting import services as svc
from tests.plan.factories import assignment_of
from units.notifications.models import Notice

pytestmark = pytest.mark.django_db


def told(rule: str) -> list[tuple[str, str]]:
    return sorted(
        Notice.objects.filter(rule=rule).values_list("recipient__username", "key").order_by()
    )


def test_submit_approve_return_each_tell_the_next_person_once(people, period) -> None:
    report = svc.report_start(
        actor=people["kjj_reporter"],
        assignment=assignment_of(1, "市科技局"),
        period=period,
        status="on_track",
        percent=40,
        narrative="已完成模型框架设计。",
    )
    svc.report_submit(actor=people["kjj_reporter"], report=report)
    assert [u for u, _ in told("report_submitted")] == ["kjj_approver"]
    svc.report_approve(actor=people["kjj_approver"], report=report)
    assert [u for u, _ in told("report_approved")] == ["office"]
    svc.report_return(actor=people["office"], report=report, comment="请补充量化成果。")
    assert [u for u, _ in told("report_returned")] == ["kjj_reporter"]
    notice = Notice.objects.get(rule="report_returned")
    assert notice.link == f"/reports/{report.pk}/" and "退回" in notice.title
    # the second round is a second event: told again, once
    svc.report_submit(actor=people["kjj_reporter"], report=report)
    svc.report_return(actor=people["kjj_approver"], report=report, comment="数据有误。")
    assert len(told("report_submitted")) == 2 and len(told("report_returned")) == 2


def test_a_unit_without_an_approver_submits_straight_to_the_office(people, period) -> None:
    report = svc.report_start(
        actor=people["sfj_reporter"],
        assignment=assignment_of(6, "市司法局"),
        period=period,
        status="on_track",
        percent=40,
        narrative="已完成。",
    )
    svc.report_submit(actor=people["sfj_reporter"], report=report)
    assert [u for u, _ in told("report_submitted")] == ["office"]


def test_opening_a_period_tells_every_unit_once(people, period) -> None:
    svc.period_close(actor=people["office"], period=period)
    svc.period_open(actor=people["office"], period=period)
    svc.period_close(actor=people["office"], period=period)
    svc.period_open(actor=people["office"], period=period)  # reopened: not a new period
    names = [u for u, _ in told("period_opened")]
    assert names == sorted(
        [
            "kjj_reporter",
            "kjj_approver",
            "fgw_reporter",
            "fgw_approver",
            "sfj_reporter",
            "other_reporter",
        ]
    )
    assert ReportingPeriod.objects.get(pk=period.pk).state == "open"


def test_a_rejected_ledger_entry_tells_its_unit_once(people) -> None:
    entry = entry_create(
        actor=people["kjj_reporter"],
        plan=Plan.objects.get(code="hefei-ai-2020-2023"),
        kind="innovation_platform",
        title="合肥人工智能公共算力平台",
        date=date(2021, 6, 1),
    )
    entry_reject(actor=people["office"], entry=entry, comment="缺少佐证材料。")
    [notice] = Notice.objects.filter(rule="entry_rejected")
    assert notice.recipient == people["kjj_reporter"] and notice.body == "缺少佐证材料。"
