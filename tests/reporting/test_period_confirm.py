"""Closing a period, and reopening a closed one, ask first on a page of their own (no JavaScript
needed) that says what will happen; one period per plan is open at a time."""

import re

import pytest
from django.test import Client

from tasks.models import PeriodState, ReportingPeriod
from tasks.reporting import services as svc
from tests.plan.factories import assignment_of

pytestmark = pytest.mark.django_db

FULL = {"status": "on_track", "percent": 40, "narrative": "完成模型框架设计。"}


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def state(code: str) -> str:
    return ReportingPeriod.objects.get(code=code).state


def test_closing_asks_first_naming_the_units_and_duties_not_submitted(people, period) -> None:
    report = svc.report_start(
        actor=people["kjj_reporter"], assignment=assignment_of(1, "市科技局"), period=period, **FULL
    )
    svc.report_submit(actor=people["kjj_reporter"], report=report)
    office = login(people["office"])
    html = office.get(f"/periods/{period.code}/close/").content.decode()
    duties = int(re.search(r"共 (\d+) 个责任单位、(\d+) 项报送任务", html).group(2))  # type: ignore[union-attr]
    units = int(re.search(r"共 (\d+) 个责任单位", html).group(1))  # type: ignore[union-attr]
    # every unit but none has submitted everything; one duty of 市科技局 is submitted
    assert f"还有 {units} 个单位的 {duties - 1} 项任务没有提交报告" in html
    assert f"（未填报 {duties - 1} 项、草稿 0 项、已退回待重报 0 项）" in html
    assert "已提交、尚在审核中的 1 份报告不受影响" in html
    assert re.search(r"<li><span class=\"fw-semibold\">市科技局</span> 未提交 \d+ 项", html)
    assert '<input type="hidden" name="confirm" value="1">' in html
    assert state(period.code) == PeriodState.OPEN  # looking closes nothing


def test_a_close_without_the_confirmation_goes_to_the_confirmation_page(people, period) -> None:
    office = login(people["office"])
    response = office.post(f"/periods/{period.code}/close/", {"next": "/periods/2021Q3/"})
    assert response.status_code == 302
    assert response["Location"] == "/periods/2021Q3/close/?next=%2Fperiods%2F2021Q3%2F"
    assert state(period.code) == PeriodState.OPEN
    response = office.post(
        f"/periods/{period.code}/close/", {"confirm": "1", "next": "/periods/2021Q3/"}
    )
    assert response["Location"] == "/periods/2021Q3/"
    assert state(period.code) == PeriodState.CLOSED


def test_reopening_asks_too_and_is_refused_while_another_period_is_open(people, period) -> None:
    office = login(people["office"])
    svc.period_close(actor=people["office"], period=period)
    svc.period_open(actor=people["office"], period=ReportingPeriod.objects.get(code="2021Q4"))
    html = office.get(f"/periods/{period.code}/open/").content.decode()
    assert "重新开放2021年第三季度（2021Q3）的报送？" in html
    assert "2021年第四季度（2021Q4）正在填报中" in html and 'name="confirm"' not in html
    response = office.post(f"/periods/{period.code}/open/", {"confirm": "1"}, follow=True)
    assert "同一实施方案同时只能开放一个报送周期" in response.content.decode()
    assert state(period.code) == PeriodState.CLOSED

    svc.period_close(actor=people["office"], period=ReportingPeriod.objects.get(code="2021Q4"))
    assert office.post(f"/periods/{period.code}/open/").status_code == 302  # to the page
    assert state(period.code) == PeriodState.CLOSED
    html = office.get(f"/periods/{period.code}/open/").content.decode()
    assert "重新开放后，各单位可以再次填报" in html and 'name="confirm" value="1"' in html
    office.post(f"/periods/{period.code}/open/", {"confirm": "1"})
    assert state(period.code) == PeriodState.OPEN


def test_on_a_phone_the_close_button_comes_after_the_units(people, period) -> None:
    html = login(people["office"]).get(f"/periods/{period.code}/").content.decode()
    head, rest = html.split('aria-label="各单位报送情况"', 1)
    close = f'href="/periods/{period.code}/close/?next=/periods/{period.code}/"'
    assert close in head and close in rest  # above from md up, below on phones
    assert '<div class="d-none d-md-block">' in head and '<div class="d-md-none' in rest
    assert f'action="/periods/{period.code}/close/"' not in html  # no one-click close any more


@pytest.mark.parametrize("who", ["kjj_approver", "leader"])
def test_only_the_office_sees_the_confirmation_pages(people, period, who) -> None:
    client = login(people[who])
    assert client.get(f"/periods/{period.code}/close/").status_code == 403
    assert client.get("/periods/2021Q2/open/").status_code == 403
    assert client.post(f"/periods/{period.code}/close/", {"confirm": "1"}).status_code == 403
    assert state(period.code) == PeriodState.OPEN
