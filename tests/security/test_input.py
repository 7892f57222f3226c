"""The holes issue 11 reported in input handling: Unicode digits, huge numbers and endless text
answer a 400 (or the default) in the one shape, never a 500; every API refuses unknown fields."""

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tasks.models import AchievementEntry, ProgressReport, ReportState, ReportTransition
from tasks.reporting import services as svc
from tests.plan.factories import assignment_of
from units.models import User

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/sections/",
    "/api/tasks/",
    "/api/units/",
    "/api/demos/",
    "/api/indicators/",
    "/api/periods/",
    "/api/progress-reports/",
    "/api/milestones/",
    "/api/achievements/",
    "/api/notifications/",
]
BAD_NUMBERS = ["²", "５", "-1", "0", "99999999999999999999", "abc", "1001", " ", "1.5"]
FULL = {"status": "on_track", "percent": 40, "narrative": "已完成模型框架设计。"}


def api_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def page_for(user: User) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def one_shape(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"message", "extra"}, body
    return body


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("size", BAD_NUMBERS)
def test_a_bad_page_size_is_a_400_naming_the_range_on_every_list(
    people: dict[str, User], path: str, size: str
) -> None:
    response = api_for(people["office"]).get(path, {"page_size": size})
    assert response.status_code == 400, (path, size, response.content[:200])
    body = one_shape(response)
    assert body["extra"]["fields"]["page_size"] == ["每页条数必须是 1 到 1000 之间的整数。"]


@pytest.mark.parametrize("path", LISTS)
def test_a_good_page_size_pages_every_list(people: dict[str, User], path: str) -> None:
    response = api_for(people["office"]).get(path, {"page_size": "2"})
    assert response.status_code == 200
    assert len(response.json()["results"]) <= 2


def test_the_schema_states_the_page_size_range(people: dict[str, User]) -> None:
    schema = api_for(people["office"]).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    params = schema["paths"]["/api/tasks/"]["get"]["parameters"]
    [size] = [p for p in params if p["name"] == "page_size"]
    assert (size["schema"]["minimum"], size["schema"]["maximum"]) == (1, 1000)


@pytest.mark.parametrize("year", ["²", "２０２３", "99999999999999999999", "-1", "x"])
def test_the_milestones_page_ignores_a_year_that_is_no_year(
    people: dict[str, User], year: str
) -> None:
    response = page_for(people["kjj_reporter"]).get("/milestones/", {"year": year})
    assert response.status_code == 200


@pytest.mark.parametrize("percent", ["²", "５０", "99999999999999999999", "1\x00"])
def test_the_report_form_refuses_a_percent_in_other_digits(
    people: dict[str, User], period: Any, percent: str
) -> None:
    report = svc.report_start(
        actor=people["kjj_reporter"], assignment=assignment_of(1, "市科技局"), period=period, **FULL
    )
    response = page_for(people["kjj_reporter"]).post(
        f"/reports/{report.pk}/edit/",
        {"version": report.version, "status": "on_track", "percent": percent, "narrative": "x"},
    )
    assert response.status_code == 400
    assert ProgressReport.objects.get(pk=report.pk).percent == 40


def test_the_api_refuses_a_percent_in_other_digits(people: dict[str, User], period: Any) -> None:
    report = svc.report_start(
        actor=people["kjj_reporter"], assignment=assignment_of(1, "市科技局"), period=period, **FULL
    )
    client = api_for(people["kjj_reporter"])
    for percent in ["²", "５０", "99999999999999999999"]:
        response = client.patch(
            f"/api/progress-reports/{report.pk}/",
            {"percent": percent},
            format="json",
            HTTP_IF_MATCH=f'"{report.version}"',
        )
        assert response.status_code == 400, (percent, response.content[:300])
        assert "percent" in one_shape(response)["extra"]["fields"]


@pytest.mark.parametrize("ids", [["²"], ["５"], ["99999999999999999999"], ["-1"]])
def test_the_review_queue_refuses_report_ids_that_are_no_ids(
    people: dict[str, User], ids: list[str]
) -> None:
    response = page_for(people["office"]).post(
        "/review/", {"action": "bulk_accept", "reports": ids}
    )
    assert response.status_code == 400
    assert "所选报告中有的已不存在" in response.content.decode()


@pytest.mark.parametrize("raw", ["²", "99999999999999999999"])
def test_the_review_and_approval_actions_answer_404_for_ids_that_are_no_ids(
    people: dict[str, User], raw: str
) -> None:
    office = page_for(people["office"])
    assert office.post("/review/", {"action": "accept", "report": raw}).status_code == 404
    approver = page_for(people["kjj_approver"])
    assert approver.post("/approvals/", {"action": "approve", "report": raw}).status_code == 404


@pytest.mark.parametrize("raw", ["²", "99999999999999999999"])
def test_the_ledger_verify_queue_answers_404_for_ids_that_are_no_ids(
    people: dict[str, User], raw: str
) -> None:
    response = page_for(people["office"]).post(
        "/ledger/verify/", {"entry": raw, "action": "verify"}
    )
    assert response.status_code == 404


def test_urging_units_that_are_no_ids_says_so(people: dict[str, User], period: Any) -> None:
    response = page_for(people["office"]).post(
        f"/supervision/urge/{period.code}/", {"units": ["²", "99999999999999999999"]}
    )
    assert response.status_code == 302
    follow = page_for(people["office"]).get(response["Location"])
    assert follow.status_code == 200


def test_the_order_form_ignores_ids_that_are_no_ids(people: dict[str, User]) -> None:
    response = page_for(people["office"]).get("/supervision/new/", {"task": "²", "unit": "9" * 20})
    assert response.status_code == 200


@pytest.mark.parametrize("pk", ["²", "99999999999999999999"])
def test_marking_a_notice_read_answers_404_for_ids_that_are_no_ids(
    people: dict[str, User], pk: str
) -> None:
    response = api_for(people["kjj_reporter"]).post(f"/api/notifications/{pk}/read/")
    assert response.status_code == 404
    one_shape(response)


# --- free text has a limit --------------------------------------------------------------------

LONG = "很长的意见" * 40_000  # 200,000 characters


def test_an_endless_comment_is_refused_on_approve_and_accept_by_the_service(
    people: dict[str, User], period: Any
) -> None:
    from hefei_ai_zone.errors import ApplicationError

    report = svc.report_start(
        actor=people["kjj_reporter"], assignment=assignment_of(1, "市科技局"), period=period, **FULL
    )
    report = svc.report_submit(actor=people["kjj_reporter"], report=report)
    with pytest.raises(ApplicationError) as refused:
        svc.report_approve(actor=people["kjj_approver"], report=report, comment=LONG)
    assert refused.value.message == "意见不能超过 2000 字，当前 200000 字。"
    report = svc.report_approve(actor=people["kjj_approver"], report=report, comment="同意。")
    for action in (svc.report_accept, svc.report_return):
        with pytest.raises(ApplicationError) as refused:
            action(actor=people["office"], report=report, comment=LONG)
        assert "意见不能超过 2000 字" in refused.value.message
    with pytest.raises(ApplicationError):
        svc.reports_accept(actor=people["office"], reports=[report], comment=LONG)
    assert ProgressReport.objects.get(pk=report.pk).state == ReportState.APPROVED
    assert not ReportTransition.objects.filter(comment__startswith="很长").exists()
    report = svc.report_accept(actor=people["office"], report=report, comment="好" * 2000)
    with pytest.raises(ApplicationError):
        svc.report_reopen(actor=people["office"], report=report, comment=LONG)


def test_an_endless_comment_is_a_400_in_the_api_and_on_the_page(
    people: dict[str, User], period: Any
) -> None:
    report = svc.report_start(
        actor=people["kjj_reporter"], assignment=assignment_of(1, "市科技局"), period=period, **FULL
    )
    report = svc.report_submit(actor=people["kjj_reporter"], report=report)
    response = api_for(people["kjj_approver"]).post(
        f"/api/progress-reports/{report.pk}/approve/", {"comment": LONG}, format="json"
    )
    assert response.status_code == 400
    assert set(one_shape(response)["extra"]["fields"]) == {"comment"}
    page = page_for(people["kjj_approver"]).post(
        "/approvals/", {"action": "approve", "report": report.pk, "comment": LONG}
    )
    assert page.status_code == 400
    assert ProgressReport.objects.get(pk=report.pk).state == ReportState.SUBMITTED


def test_the_ledger_api_refuses_unknown_fields_like_every_other(people: dict[str, User]) -> None:
    response = api_for(people["kjj_reporter"]).post(
        "/api/achievements/",
        {"kind": "patent", "title": "一种方法", "date": "2021-05-01", "state": "verified"},
        format="json",
    )
    assert response.status_code == 400
    assert one_shape(response)["extra"]["fields"]["state"] == [
        "此接口不接受该字段（只读或字段名有误）。"
    ]
    assert not AchievementEntry.objects.exists()


# --- NULs and endless text in searches ---------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/tasks/?search=%00",
        "/api/tasks/?search=" + "长" * 5000,
        "/api/achievements/?q=%00",
        "/api/achievements/?year=%C2%B2",
        "/api/progress-reports/?period=%00",
        "/api/milestones/?year=99999999999999999999",
    ],
)
def test_searches_with_nuls_or_odd_numbers_never_answer_5xx_in_the_api(
    people: dict[str, User], path: str
) -> None:
    response = api_for(people["office"]).get(path)
    assert response.status_code in (200, 400), (path, response.status_code)
    if response.status_code == 400:
        one_shape(response)


@pytest.mark.parametrize(
    "path",
    [
        "/plan/?search=%00",
        "/ledger/?q=%00",
        "/ledger/?year=%C2%B2",
        "/milestones/?year=%00",
        "/supervision/?all=%00",
    ],
)
def test_searches_with_nuls_or_odd_numbers_never_answer_5xx_on_pages(
    people: dict[str, User], path: str
) -> None:
    response = page_for(people["office"]).get(path)
    assert response.status_code < 500, (path, response.status_code)


@pytest.mark.parametrize("path", ["/periods/%00/", "/units/%00/", "/plan/?x=%00"])
def test_a_nul_in_the_address_is_a_chinese_400_page(people: dict[str, User], path: str) -> None:
    response = page_for(people["office"]).get(path)
    assert response.status_code == 400, path
    assert response["Content-Type"].startswith("text/html")
    assert "请求有误" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/api/periods/%00/", "/api/tasks/?search=a%00b", "/api/x%00/", "/api/tasks/?page_size=1%00"],
)
def test_a_nul_in_an_api_address_is_a_400_in_the_one_shape(
    people: dict[str, User], path: str
) -> None:
    response = page_for(people["office"]).get(path)
    assert response.status_code == 400
    assert one_shape(response)["message"] == "请求地址中含有空字符（NUL），无法处理。"


def test_an_evidence_path_with_a_format_suffix_is_no_500(people: dict[str, User]) -> None:
    """schemathesis found /api/progress-reports/0/evidence/0.5/ answering 500 (the router's
    format suffix reached the action as an unexpected argument)."""
    response = api_for(people["office"]).get("/api/progress-reports/0/evidence/0.5/")
    assert response.status_code == 404
    assert one_shape(response)["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["kjj\x00reporter", "\x00"])
def test_a_nul_in_the_name_asking_for_a_token_is_a_400_not_a_500(username: str) -> None:
    """Found by schemathesis: the lockout looked the name up before the form refused it, and
    PostgreSQL cannot compare a string with a NUL."""
    client = APIClient(raise_request_exception=False)
    response = client.post(
        "/api/auth/token/", {"username": username, "password": "x"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"message", "extra"}


@pytest.mark.django_db
def test_a_nul_in_the_name_on_the_login_page_is_refused_with_the_form() -> None:
    response = Client(raise_request_exception=False).post(
        "/accounts/login/", {"username": "kjj\x00reporter", "password": "x"}
    )
    assert response.status_code == 200 and "<form" in response.content.decode()
