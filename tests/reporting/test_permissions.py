"""Who may do what through the reporting API: every user against every endpoint.

In the manner of taiga-back's resources_permissions tests: one row per endpoint, one expected
status code per user. The report is 市科技局's on task 1: 市科技局 leads the task, 市发改委 is
its co-unit, and 市科技局 has an approver, so a submitted report waits for the unit first.

A refused request changes nothing; an allowed write changes something; a report the user may
not see is a 404 that says nothing about it.
"""

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tasks.models import Evidence, ProgressReport, ReportingPeriod, ReportTransition
from tasks.reporting import services as svc
from tests.permission_matrix import client_as, fill, matrix_cases
from tests.plan.factories import assignment_of
from units.models import User

pytestmark = pytest.mark.django_db

FULL = {"status": "on_track", "percent": 40, "narrative": "已完成模型框架设计。"}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

USERS = (
    "anonymous",
    "other_unit_reporter",
    "own_unit_reporter",
    "own_unit_approver",
    "co_unit_reporter",
    "office",
    "leader",
    "admin",
)
ACCOUNTS = {  # the accounts of tests/conftest.py's `people`
    "other_unit_reporter": "other_reporter",  # 市统计局: nothing to do with task 1
    "own_unit_reporter": "kjj_reporter",
    "own_unit_approver": "kjj_approver",
    "co_unit_reporter": "fgw_reporter",  # 市发改委, co-unit of task 1
    "office": "office",
    "leader": "leader",
    "admin": "admin",
}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # {report}, {evidence}, {planned} and {open} are filled in
    report: str | None = None  # the state the report is brought to first; None: no report
    evidence: bool = False  # the report has one evidence file (added while a draft)
    body: dict[str, Any] = field(default_factory=dict)
    multipart: bool = False
    writes: bool = True
    alone: bool = False  # the open period ({open}) is closed first: one open period per plan


ENDPOINTS = {
    "list reports": Endpoint("get", "/api/progress-reports/", "draft", writes=False),
    "retrieve a draft": Endpoint("get", "/api/progress-reports/{report}/", "draft", writes=False),
    "retrieve a submitted report": Endpoint(
        "get", "/api/progress-reports/{report}/", "submitted", writes=False
    ),
    "start a report": Endpoint(
        "post", "/api/progress-reports/", body={"assignment": "{assignment}", "period": "2021Q3"}
    ),
    "update a draft": Endpoint(
        "patch", "/api/progress-reports/{report}/", "draft", body={"version": 1, "percent": 60}
    ),
    "update a submitted report": Endpoint(
        "patch", "/api/progress-reports/{report}/", "submitted", body={"version": 1, "percent": 60}
    ),
    "submit": Endpoint("post", "/api/progress-reports/{report}/submit/", "draft"),
    "approve": Endpoint("post", "/api/progress-reports/{report}/approve/", "submitted"),
    "return, awaiting the unit": Endpoint(
        "post", "/api/progress-reports/{report}/return/", "submitted", body={"comment": "请补充"}
    ),
    "return, awaiting the office": Endpoint(
        "post", "/api/progress-reports/{report}/return/", "approved", body={"comment": "请补充"}
    ),
    "accept": Endpoint("post", "/api/progress-reports/{report}/accept/", "approved"),
    "bulk accept": Endpoint(
        "post", "/api/progress-reports/accept/", "approved", body={"ids": ["{report}"]}
    ),
    "reopen": Endpoint(
        "post", "/api/progress-reports/{report}/reopen/", "accepted", body={"comment": "需更正"}
    ),
    "upload evidence": Endpoint(
        "post", "/api/progress-reports/{report}/evidence/", "draft", multipart=True
    ),
    "download evidence of a draft": Endpoint(
        "get",
        "/api/progress-reports/{report}/evidence/{evidence}/",
        "draft",
        evidence=True,
        writes=False,
    ),
    "download evidence of a submitted report": Endpoint(
        "get",
        "/api/progress-reports/{report}/evidence/{evidence}/",
        "submitted",
        evidence=True,
        writes=False,
    ),
    "delete evidence": Endpoint(
        "delete", "/api/progress-reports/{report}/evidence/{evidence}/", "draft", evidence=True
    ),
    "list periods": Endpoint("get", "/api/periods/", writes=False),
    "open a period": Endpoint("post", "/api/periods/{planned}/open/", alone=True),
    "open a second period": Endpoint("post", "/api/periods/{planned}/open/"),
    "close a period": Endpoint("post", "/api/periods/{open}/close/"),
}

# fmt: off
MATRIX = {
    #                                          anon other  own  appr   co  office leader admin
    "list reports":                            (401, 200, 200, 200, 200, 200, 200, 200),
    "retrieve a draft":                        (401, 404, 200, 200, 404, 200, 404, 200),
    "retrieve a submitted report":             (401, 404, 200, 200, 200, 200, 200, 200),
    "start a report":                          (401, 403, 201, 201, 403, 403, 403, 403),
    "update a draft":                          (401, 404, 200, 200, 404, 403, 404, 403),
    "update a submitted report":               (401, 404, 400, 400, 403, 403, 403, 403),
    "submit":                                  (401, 404, 200, 200, 404, 403, 404, 403),
    "approve":                                 (401, 404, 403, 200, 403, 403, 403, 403),
    "return, awaiting the unit":               (401, 404, 403, 200, 403, 403, 403, 403),
    "return, awaiting the office":             (401, 404, 403, 403, 403, 200, 403, 200),
    "accept":                                  (401, 404, 403, 403, 403, 200, 403, 200),
    "bulk accept":                             (401, 403, 403, 403, 403, 200, 403, 200),
    "reopen":                                  (401, 404, 403, 403, 403, 200, 403, 200),
    "upload evidence":                         (401, 404, 201, 201, 404, 403, 404, 403),
    "download evidence of a draft":            (401, 404, 200, 200, 404, 200, 404, 200),
    "download evidence of a submitted report": (401, 404, 200, 200, 200, 200, 200, 200),
    "delete evidence":                         (401, 404, 204, 204, 404, 403, 404, 403),
    "list periods":                            (401, 200, 200, 200, 200, 200, 200, 200),
    "open a period":                           (401, 403, 403, 403, 403, 200, 403, 200),
    "open a second period":                    (401, 403, 403, 403, 403, 400, 403, 400),
    "close a period":                          (401, 403, 403, 403, 403, 200, 403, 200),
}
# fmt: on

CASES = matrix_cases(MATRIX, USERS)


def test_the_matrix_covers_every_endpoint_and_user() -> None:
    assert set(MATRIX) == set(ENDPOINTS)
    assert all(len(codes) == len(USERS) for codes in MATRIX.values())


def bring_to(state: str, people: dict[str, User], period: ReportingPeriod) -> ProgressReport:
    report = svc.report_start(
        actor=people["kjj_reporter"], assignment=assignment_of(1, "市科技局"), period=period, **FULL
    )
    steps = {
        "submitted": lambda r: svc.report_submit(actor=people["kjj_reporter"], report=r),
        "approved": lambda r: svc.report_approve(actor=people["kjj_approver"], report=r),
        "accepted": lambda r: svc.report_accept(actor=people["office"], report=r),
    }
    for step, move in steps.items():
        if report.state == state:
            break
        report = move(report)
        assert report.state == step
    return report


def client_for(user: str, people: dict[str, User]) -> APIClient:
    return client_as(people[ACCOUNTS[user]] if user != "anonymous" else None)


def world() -> tuple[Any, ...]:
    """Everything a request could change."""
    return (
        list(ProgressReport.objects.order_by("pk").values_list("pk", "state", "version")),
        ReportTransition.objects.count(),
        list(Evidence.objects.order_by("pk").values_list("pk", flat=True)),
        list(ReportingPeriod.objects.order_by("pk").values_list("state", flat=True)),
    )


@pytest.mark.parametrize(("endpoint", "user", "expected"), CASES)
def test_each_user_gets_exactly_the_access_their_role_gives(
    people, period, settings, tmp_path, endpoint, user, expected
) -> None:
    settings.MEDIA_ROOT = tmp_path
    spec = ENDPOINTS[endpoint]
    names = {
        "assignment": assignment_of(1, "市科技局").pk,
        "planned": ReportingPeriod.objects.get(code="2022Q1").pk,
        "open": period.pk,
    }
    report = None
    if spec.report:
        report = bring_to("draft", people, period)
        if spec.evidence:
            upload = SimpleUploadedFile("纪要.pdf", PDF)
            names["evidence"] = svc.evidence_add(
                actor=people["kjj_reporter"], report=report, upload=upload
            ).pk
        report = bring_to(spec.report, people, period)
        names["report"] = report.pk
    if spec.alone:
        svc.period_close(actor=people["office"], period=period)
    path = spec.path.format(**names)
    body = fill(spec.body, names)
    if spec.multipart:
        body = {"file": SimpleUploadedFile("方案.pdf", PDF)}
    before = world()

    client = client_for(user, people)
    if spec.multipart:
        response = getattr(client, spec.method)(path, body, format="multipart")
    else:
        response = getattr(client, spec.method)(path, body or None, format="json")

    assert response.status_code == expected, getattr(response, "data", response)
    changed = world() != before
    assert changed == (spec.writes and expected < 300)
    if expected >= 400:
        body = response.json()
        assert set(body) == {"message", "extra"} and body["message"]
    if expected == 404 and report is not None:
        assert "市科技局" not in response.content.decode()  # nothing about the report
        assert FULL["narrative"] not in response.content.decode()


# --- what each user sees ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "units"),
    [
        ("other_unit_reporter", set()),
        ("own_unit_reporter", {"市科技局", "市发改委"}),  # own draft, co-unit's submitted report
        ("own_unit_approver", {"市科技局", "市发改委"}),
        ("co_unit_reporter", {"市发改委"}),  # never the lead unit's draft
        ("office", {"市科技局", "市发改委"}),
        ("leader", {"市发改委"}),  # submitted reports only
        ("admin", {"市科技局", "市发改委"}),
    ],
)
def test_the_list_shows_each_user_only_the_reports_they_may_see(
    people, period, user, units
) -> None:
    bring_to("draft", people, period)
    co = svc.report_start(
        actor=people["fgw_reporter"], assignment=assignment_of(1, "市发改委"), period=period, **FULL
    )
    svc.report_submit(actor=people["fgw_reporter"], report=co)
    response = client_for(user, people).get("/api/progress-reports/")
    assert response.status_code == 200
    assert {r["unit"]["name"] for r in response.json()["results"]} == units
    assert response.json()["count"] == len(units)


@pytest.mark.parametrize(
    "action",
    ["", "submit/", "approve/", "accept/", "return/", "reopen/", "evidence/", "evidence/1/"],
)
def test_guessing_the_id_of_an_invisible_report_reveals_nothing(people, period, action) -> None:
    report = bring_to("draft", people, period)
    client = client_for("co_unit_reporter", people)
    method = "get" if action in ("", "evidence/1/") else "post"
    invisible = getattr(client, method)(f"/api/progress-reports/{report.pk}/{action}")
    missing = getattr(client, method)(f"/api/progress-reports/{report.pk + 10_000}/{action}")
    assert invisible.status_code == missing.status_code == 404
    assert (
        invisible.json()
        == missing.json()
        == {"message": "未找到。", "extra": {"detail": "未找到。"}}
    )


def test_the_leader_reads_submitted_reports_but_writes_nothing(people, period) -> None:
    report = bring_to("submitted", people, period)
    leader = client_for("leader", people)
    assert leader.get(f"/api/progress-reports/{report.pk}/").status_code == 200
    before = world()
    path = f"/api/progress-reports/{report.pk}/"
    attempts = [
        leader.patch(path, {"version": 1, "percent": 99}, format="json"),
        leader.post(f"{path}approve/"),
        leader.post(f"{path}return/", {"comment": "退回"}, format="json"),
        leader.post(f"{path}accept/"),
        leader.post("/api/progress-reports/accept/", {"ids": [report.pk]}, format="json"),
        leader.post(f"{path}evidence/", {"file": SimpleUploadedFile("a.pdf", PDF)}),
        leader.post(
            "/api/progress-reports/",
            {"assignment": assignment_of(1, "市科技局").pk, "period": "2021Q3"},
            format="json",
        ),
        leader.post(f"/api/periods/{period.pk}/close/"),
    ]
    assert [r.status_code for r in attempts] == [403] * len(attempts)
    assert world() == before
