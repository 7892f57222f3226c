"""The rules of a report's content and of periods, in the services (so that the pages, the API
and the Excel import obey them alike): 已完成 means 100%; a percent below the last submitted
report's needs a reason; one open period per plan, in the service and in the database."""

import pytest
from django.db import IntegrityError, transaction

from hefei_ai_zone.errors import ApplicationError
from tasks.models import PeriodState, ProgressReport, ReportingPeriod, ReportState
from tasks.reporting import services as svc
from tests.plan.factories import assignment_of
from tests.reporting.helpers import only_open

pytestmark = pytest.mark.django_db

FULL = {"status": "on_track", "percent": 40, "narrative": "完成模型框架设计。"}


def draft(people, period, who="kjj_reporter", unit="市科技局", seq=1, **content):
    return svc.report_start(
        actor=people[who], assignment=assignment_of(seq, unit), period=period, **(FULL | content)
    )


def last_quarter(people, percent: int, *, submit: bool = True) -> ProgressReport:
    """市科技局's report on task 1 for 2021Q2 (submitted, unless told otherwise)."""
    with only_open("2021Q2") as q2:
        status = "completed" if percent == 100 else "on_track"
        report = draft(people, q2, percent=percent, status=status)
        if submit:
            svc.report_submit(actor=people["kjj_reporter"], report=report)
    return report


# --- 已完成 means 100% ------------------------------------------------------------------------


def test_completed_below_100_percent_is_refused_on_the_percent_field(people, period) -> None:
    with pytest.raises(ApplicationError) as refused:
        draft(people, period, status="completed", percent=30)
    assert "“已完成”时，完成进度应为 100%，当前填的是 30%" in refused.value.message
    assert list(refused.value.extra["fields"]) == ["percent"]
    assert not ProgressReport.objects.exists()

    report = draft(people, period, percent=30)
    with pytest.raises(ApplicationError) as refused:  # the status alone, the percent as saved
        svc.report_update(
            actor=people["kjj_reporter"], report=report, version=1, status="completed"
        )
    assert list(refused.value.extra["fields"]) == ["percent"]
    report.refresh_from_db()
    assert (report.status, report.version) == ("on_track", 1)

    svc.report_update(
        actor=people["kjj_reporter"], report=report, version=1, status="completed", percent=100
    )
    report = svc.report_submit(actor=people["kjj_reporter"], report=report)
    assert report.state == ReportState.SUBMITTED


def test_an_older_report_completed_below_100_cannot_be_submitted(people, period) -> None:
    report = draft(people, period)
    ProgressReport.objects.filter(pk=report.pk).update(status="completed", percent=30)
    with pytest.raises(ApplicationError) as refused:
        svc.report_submit(actor=people["kjj_reporter"], report=report)
    assert refused.value.extra["fields"] == {
        "percent": [
            "进展状态为“已完成”时，完成进度应为 100%，当前填的是 30%；"
            "尚未全部完成的，请选择“按计划推进”等其他状态。"
        ]
    }
    assert ProgressReport.objects.get(pk=report.pk).state == ReportState.DRAFT


# --- a drop needs a reason --------------------------------------------------------------------


def test_a_percent_below_the_last_submitted_one_needs_a_reason(people, period) -> None:
    last_quarter(people, 100)
    report = draft(people, period, percent=65)  # a draft may be saved without the reason
    with pytest.raises(ApplicationError) as refused:
        svc.report_submit(actor=people["kjj_reporter"], report=report)
    assert refused.value.extra["fields"] == {
        "percent_drop_reason": [
            "完成进度 65% 低于上期（2021年第二季度）报送的 100%，请说明进度下降的原因。"
        ]
    }
    assert refused.value.message.startswith("报告不能提交：完成进度 65% 低于上期")
    report = svc.report_update(
        actor=people["kjj_reporter"],
        report=report,
        version=1,
        percent_drop_reason="上期误将年度目标填为完成，本期按统计口径更正。",
    )
    svc.report_submit(actor=people["kjj_reporter"], report=report)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert report.percent_drop_reason == "上期误将年度目标填为完成，本期按统计口径更正。"
    last = report.versions.last()
    assert last is not None and last.percent_drop_reason == report.percent_drop_reason


def test_an_incomplete_report_names_the_missing_reason_too(people, period) -> None:
    last_quarter(people, 50)
    report = draft(people, period, percent=20, narrative="")
    with pytest.raises(ApplicationError) as refused:
        svc.report_submit(actor=people["kjj_reporter"], report=report)
    assert set(refused.value.extra["fields"]) == {"narrative", "percent_drop_reason"}


def test_only_a_submitted_report_sets_the_percent_to_keep(people, period) -> None:
    last_quarter(people, 100, submit=False)  # last quarter's draft never counted
    report = draft(people, period, percent=10)
    report = svc.report_submit(actor=people["kjj_reporter"], report=report)
    assert report.state == ReportState.SUBMITTED


def test_the_reason_is_dropped_once_the_percent_is_back_up(people, period) -> None:
    last_quarter(people, 60)
    report = draft(people, period, percent=50, percent_drop_reason="项目调减。")
    assert report.percent_drop_reason == "项目调减。"
    report = svc.report_update(actor=people["kjj_reporter"], report=report, version=1, percent=70)
    assert report.percent_drop_reason == ""
    # given where nothing dropped, it is not kept either
    report = svc.report_update(
        actor=people["kjj_reporter"], report=report, version=2, percent_drop_reason="无关的话"
    )
    assert report.percent_drop_reason == "" and report.version == 2


def test_the_reason_is_at_most_500_characters(people, period) -> None:
    last_quarter(people, 60)
    with pytest.raises(ApplicationError) as refused:
        draft(people, period, percent=50, percent_drop_reason="原" * 501)
    assert refused.value.extra["fields"] == {
        "percent_drop_reason": ["进度下降原因不能超过 500 字，当前 501 字。"]
    }


# --- one open period per plan -----------------------------------------------------------------


def test_opening_a_second_period_is_refused_naming_the_open_one(people, period) -> None:
    planned = ReportingPeriod.objects.get(code="2022Q1")
    with pytest.raises(ApplicationError) as refused:
        svc.period_open(actor=people["office"], period=planned)
    assert refused.value.message == (
        "2021年第三季度（2021Q3）正在填报中，同一实施方案同时只能开放一个报送周期："
        "请先关闭2021年第三季度，再开放2022年第一季度。"
    )
    assert "period" in refused.value.extra["fields"]
    planned.refresh_from_db()
    assert planned.state == PeriodState.PLANNED
    assert svc.period_open(actor=people["office"], period=period).state == "open"  # no-op
    svc.period_close(actor=people["office"], period=period)
    assert svc.period_open(actor=people["office"], period=planned).state == PeriodState.OPEN


def test_the_database_refuses_a_second_open_period_too(period) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportingPeriod.objects.filter(code="2022Q1").update(state=PeriodState.OPEN)
    assert list(ReportingPeriod.objects.filter(state="open").values_list("code", flat=True)) == [
        "2021Q3"
    ]


# --- the same rules through the API and the pages ---------------------------------------------


def api_client(user):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_names_the_field_of_each_rule(people, period) -> None:
    last_quarter(people, 100)
    api = api_client(people["kjj_reporter"])
    report = draft(people, period, percent=65)
    url = f"/api/progress-reports/{report.pk}/"
    response = api.patch(url, {"version": 1, "status": "completed"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["percent"]
    response = api.post(f"{url}submit/")
    assert response.status_code == 400
    assert list(response.json()["extra"]["fields"]) == ["percent_drop_reason"]
    response = api.patch(url, {"version": 1, "percent_drop_reason": "项目调减。"}, format="json")
    assert response.status_code == 200 and response.json()["percent_drop_reason"] == "项目调减。"
    assert api.post(f"{url}submit/").status_code == 200


def test_the_form_asks_for_the_reason_only_when_the_percent_drops(people, period) -> None:
    from django.test import Client

    last_quarter(people, 100)
    report = draft(people, period, status="completed", percent=100)
    client = Client()
    client.force_login(people["kjj_reporter"])
    html = client.get(f"/reports/{report.pk}/edit/").content.decode()
    # present for reporting.js to show as soon as a lower percent is typed, hidden until then
    assert 'id="drop-reason" data-previous="100" hidden' in html
    assert "完成进度低于上期（2021年第二季度）报送的 100% 时必填" in html
    data = {
        "version": 1,
        "status": "on_track",
        "percent": "65",
        "narrative": report.narrative,
        "problems": "",
        "next_steps": "",
        "percent_drop_reason": "",
        "action": "submit",
    }
    response = client.post(f"/reports/{report.pk}/edit/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="drop-reason" data-previous="100">' in html  # shown, with the message
    assert 'id="percent_drop_reason-error">完成进度 65% 低于上期' in html
    response = client.post(f"/reports/{report.pk}/edit/", data | {"status": "completed"})
    assert 'id="percent-error">进展状态为“已完成”时，完成进度应为 100%' in response.content.decode()
    data |= {"percent_drop_reason": "统计口径调整，部分项目调出。"}
    assert client.post(f"/reports/{report.pk}/edit/", data).status_code == 302
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert "完成进度由上期（2021年第二季度）的 100% 降至 65%。" in page
    assert "进度下降原因：</span>统计口径调整，部分项目调出。" in page
