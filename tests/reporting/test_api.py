"""The reporting API: shapes, filters, writes and their errors, evidence, tokens, query counts.

Who may do what on which endpoint is in test_permissions.py; the rules themselves are
tested through the services in test_reporting.py. Here: what a caller of the API relies on.
"""

from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tasks import files
from tasks.models import (
    Assignment,
    Evidence,
    ProgressReport,
    ReportingPeriod,
    ReportState,
    ReportVersion,
)
from tasks.reporting import services as svc
from tests.plan.factories import assignment_of
from tests.reporting.helpers import only_open
from tests.units.factories import make_user
from units.models import Unit, User

pytestmark = pytest.mark.django_db

FULL = {"status": "on_track", "percent": 40, "narrative": "已完成模型框架设计。"}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
REPORTS = "/api/progress-reports/"


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def draft(
    people: dict[str, User],
    period: ReportingPeriod,
    who: str = "kjj_reporter",
    unit: str = "市科技局",
    seq: int = 1,
    **content: Any,
) -> ProgressReport:
    return svc.report_start(
        actor=people[who], assignment=assignment_of(seq, unit), period=period, **(content or FULL)
    )


def submitted(people: dict[str, User], period: ReportingPeriod, **kwargs: Any) -> ProgressReport:
    report = draft(people, period, **kwargs)
    return svc.report_submit(actor=people[kwargs.get("who", "kjj_reporter")], report=report)


def url(report: ProgressReport, action: str = "") -> str:
    return f"{REPORTS}{report.pk}/{action + '/' if action else ''}"


def fields_of(response: Any) -> set[str]:
    return set(response.json()["extra"]["fields"])


def unchanged(report: ProgressReport) -> bool:
    """The report as the database holds it equals the one in hand: nothing half-saved."""
    fresh = ProgressReport.objects.get(pk=report.pk)
    return (fresh.state, fresh.version, fresh.percent, fresh.narrative, fresh.status) == (
        report.state,
        report.version,
        report.percent,
        report.narrative,
        report.status,
    )


# --- shapes -----------------------------------------------------------------------------------


LIST_FIELDS = {
    "id",
    "period",
    "task",
    "demo",
    "assignment",
    "unit",
    "role",
    "state",
    "state_label",
    "status",
    "status_label",
    "percent",
    "percent_drop_reason",
    "narrative",
    "problems",
    "next_steps",
    "version",
    "light",
    "light_label",
    "submitted_at",
    "accepted_at",
    "created_at",
    "updated_at",
    "updated_by",
}


def test_a_report_in_the_list_has_the_documented_shape(people, period) -> None:
    report = draft(people, period)
    data = client_for(people["kjj_reporter"]).get(REPORTS).json()
    assert data["count"] == 1
    item = data["results"][0]
    assert set(item) == LIST_FIELDS
    task = report.assignment.task
    assert task is not None
    assert item["id"] == report.pk and item["period"] == "2021Q3"
    assert item["task"] == {"id": task.pk, "seq": 1, "code": "3.1.1"} and item["demo"] is None
    assert item["assignment"] == report.assignment_id
    assert item["unit"] == {"id": report.unit_id, "name": "市科技局"}
    assert (item["role"], item["state"], item["state_label"]) == ("lead", "draft", "草稿")
    assert (item["status"], item["status_label"], item["percent"]) == ("on_track", "按计划推进", 40)
    assert (item["light"], item["light_label"]) == ("grey", "未报送")  # a draft is not reported
    assert item["narrative"] == "已完成模型框架设计。" and item["problems"] == ""
    assert item["version"] == 1 and item["submitted_at"] is None
    assert item["updated_by"] == "kjj_reporter"


def test_a_demo_projects_report_names_the_demo_and_no_task(people, period) -> None:
    assignment = Assignment.objects.get(demo__seq=12, unit__name="市科技局")
    report = svc.report_start(
        actor=people["kjj_reporter"], assignment=assignment, period=period, **FULL
    )
    item = client_for(people["kjj_reporter"]).get(url(report)).json()
    assert item["task"] is None and assignment.demo is not None
    assert item["demo"] == {"id": assignment.demo_id, "seq": 12, "name": assignment.demo.name}


def test_the_detail_adds_the_timeline_the_evidence_and_what_the_reader_may_do(
    people, period, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    report = draft(people, period)
    reporter = client_for(people["kjj_reporter"])
    upload = reporter.post(url(report, "evidence"), {"file": pdf_file("会议纪要.pdf")})
    assert upload.status_code == 201
    assert reporter.get(url(report)).json()["allowed_actions"] == [
        "update",
        "submit",
        "add_evidence",
        "remove_evidence",
    ]
    reporter.post(url(report, "submit"))
    data = client_for(people["kjj_approver"]).get(url(report)).json()
    assert set(data) == LIST_FIELDS | {"transitions", "evidence", "allowed_actions"}
    assert data["light"] == "green" and data["submitted_at"]
    [step] = data["transitions"]
    assert set(step) == {"action", "from_state", "to_state", "actor", "comment", "created_at"}
    assert (step["action"], step["from_state"], step["to_state"], step["actor"]) == (
        "submit",
        "draft",
        "submitted",
        "kjj_reporter",
    )
    [evidence] = data["evidence"]
    assert set(evidence) == {
        "id",
        "name",
        "content_type",
        "size",
        "uploaded_at",
        "uploaded_by",
        "url",
    }
    assert (evidence["name"], evidence["content_type"], evidence["size"]) == (
        "会议纪要.pdf",
        "application/pdf",
        len(PDF),
    )
    assert evidence["url"] == f"http://testserver{url(report)}evidence/{evidence['id']}/"
    assert data["allowed_actions"] == ["approve", "return"]
    assert client_for(people["leader"]).get(url(report)).json()["allowed_actions"] == []


def test_periods_have_the_documented_shape(people, period) -> None:
    data = client_for(people["leader"]).get("/api/periods/", {"page_size": 100}).json()
    assert data["count"] == 16  # 2020Q1 … 2023Q4
    q3 = next(p for p in data["results"] if p["code"] == "2021Q3")
    assert q3 == {
        "id": period.pk,
        "code": "2021Q3",
        "label": "2021年第三季度",
        "year": 2021,
        "quarter": 3,
        "start_date": "2021-07-01",
        "end_date": "2021-09-30",
        "due_date": "2021-10-13",  # the 5th working day after 09-30
        "state": "open",
        "state_label": "填报中",
        "opened_at": None,
        "closed_at": None,
    }


def test_the_office_opens_and_closes_a_period(people, period) -> None:
    office = client_for(people["office"])
    planned = ReportingPeriod.objects.get(code="2022Q1")
    refused = office.post(f"/api/periods/{planned.pk}/open/")
    assert refused.status_code == 400, "2021Q3 is open: one open period per plan"
    assert "2021年第三季度（2021Q3）正在填报中" in refused.json()["message"]
    assert "period" in refused.json()["extra"]["fields"]
    assert office.post(f"/api/periods/{period.pk}/close/").status_code == 200
    opened = office.post(f"/api/periods/{planned.pk}/open/")
    assert opened.status_code == 200
    assert opened.json()["state"] == "open" and opened.json()["opened_at"]
    closed = office.post(f"/api/periods/{planned.pk}/close/")
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    refused = client_for(people["kjj_approver"]).post(f"/api/periods/{planned.pk}/open/")
    assert refused.status_code == 403 and "办公室" in refused.json()["message"]
    assert ReportingPeriod.objects.get(pk=planned.pk).state == "closed"


# --- filters ----------------------------------------------------------------------------------


def test_filter_by_period_unit_task_and_state(people, period) -> None:
    with only_open("2021Q2") as earlier:
        old = draft(people, earlier)
    lead = submitted(people, period)
    co = draft(people, period, who="fgw_reporter", unit="市发改委")
    other_task = draft(people, period, seq=2)
    office = client_for(people["office"])

    def ids(**params: Any) -> set[int]:
        response = office.get(REPORTS, params)
        assert response.status_code == 200, response.json()
        return {r["id"] for r in response.json()["results"]}

    assert ids() == {old.pk, lead.pk, co.pk, other_task.pk}
    assert ids(period="2021Q2") == {old.pk}
    assert ids(period="2021Q3") == {lead.pk, co.pk, other_task.pk}
    assert ids(period="2021Q3", unit=Unit.objects.get(name="市发改委").pk) == {co.pk}
    assert ids(task=lead.assignment.task_id, period="2021Q3") == {lead.pk, co.pk}
    assert ids(state="submitted") == {lead.pk}
    assert ids(state="draft", task=other_task.assignment.task_id) == {other_task.pk}
    assert lead.assignment.task is not None
    section = lead.assignment.task.section_id
    assert ids(section=section, period="2021Q3") == {lead.pk, co.pk, other_task.pk}


def test_filter_overdue_finds_late_and_missing_reports(people, period) -> None:
    with time_machine.travel("2021-09-30 10:00 +0800", tick=False):
        on_time = submitted(people, period)
    with time_machine.travel("2021-10-15 10:00 +0800", tick=False):  # due 2021-10-13
        late = submitted(people, period, who="sfj_reporter", unit="市司法局", seq=6)
        still_draft = draft(people, period, who="fgw_reporter", unit="市发改委")
        office = client_for(people["office"])
        overdue = office.get(REPORTS, {"overdue": "true"}).json()["results"]
        in_time = office.get(REPORTS, {"overdue": "false"}).json()["results"]
    assert {r["id"] for r in overdue} == {late.pk, still_draft.pk}
    assert {r["id"] for r in in_time} == {on_time.pk}


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("period", "2099Q9"),
        ("unit", "abc"),
        ("unit", "999999"),
        ("task", "999999"),
        ("section", "x"),
        ("state", "finished"),
        ("overdue", "maybe"),
        ("page_size", "0"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(people, period, param, value) -> None:
    response = client_for(people["office"]).get(REPORTS, {param: value})
    assert response.status_code == 400
    body = response.json()
    assert param in body["extra"]["fields"] and param in body["message"]


# --- create -----------------------------------------------------------------------------------


def test_starting_a_report_creates_it_once_then_returns_the_same_one(people, period) -> None:
    reporter = client_for(people["kjj_reporter"])
    assignment = assignment_of(1, "市科技局")
    payload = {"assignment": assignment.pk, "period": "2021Q3", **FULL}
    created = reporter.post(REPORTS, payload, format="json")
    assert created.status_code == 201
    assert created.json()["narrative"] == FULL["narrative"] and created.json()["version"] == 1
    again = reporter.post(REPORTS, {**payload, "narrative": "另一份内容"}, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == created.json()["id"]
    assert again.json()["narrative"] == FULL["narrative"]  # returned as it is, not overwritten
    assert ProgressReport.objects.count() == 1


def test_a_member_of_a_group_starts_its_own_part_of_the_groups_assignment(period) -> None:
    baohe = make_user("baohe", "reporter", "包河区政府")
    group_assignment = assignment_of(10, "各县（市）区政府")
    response = client_for(baohe).post(
        REPORTS, {"assignment": group_assignment.pk, "period": "2021Q3"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["unit"]["name"] == "包河区政府"
    assert response.json()["assignment"] == group_assignment.pk


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"assignment": 999_999}, 400, "assignment"),
        ({"assignment": "abc"}, 400, "assignment"),
        ({"assignment": None}, 400, "assignment"),
        ({"period": "2099Q1"}, 400, "period"),
        ({"period": "2021Q2"}, 400, "period"),  # not open
        ({"percent": 101}, 400, "percent"),
        ({"percent": "abc"}, 400, "percent"),
        ({"status": "great"}, 400, "status"),
        ({"state": "accepted"}, 400, "state"),  # not writable
        ({"other_unit": True}, 403, "assignment"),
    ],
)
def test_a_bad_start_names_the_field_and_creates_nothing(
    people, period, change, status, field
) -> None:
    payload: dict[str, Any] = {
        "assignment": assignment_of(1, "市科技局").pk,
        "period": "2021Q3",
        **FULL,
    }
    if change.get("other_unit"):
        payload["assignment"] = assignment_of(6, "市司法局").pk  # 市司法局's, not 市科技局's
    else:
        payload.update(change)
    response = client_for(people["kjj_reporter"]).post(REPORTS, payload, format="json")
    assert response.status_code == status
    assert field in fields_of(response)
    assert not ProgressReport.objects.exists()


def test_a_closed_period_takes_no_new_report(people, period) -> None:
    svc.period_close(actor=people["office"], period=period)
    response = client_for(people["kjj_reporter"]).post(
        REPORTS, {"assignment": assignment_of(1, "市科技局").pk, "period": "2021Q3"}, format="json"
    )
    assert response.status_code == 400
    assert "已关闭" in response.json()["message"] and fields_of(response) == {"period"}
    assert not ProgressReport.objects.exists()


# --- update, versions, conflicts --------------------------------------------------------------


def test_saving_with_the_current_version_makes_a_new_version(people, period) -> None:
    report = draft(people, period)
    response = client_for(people["kjj_reporter"]).patch(
        url(report), {"version": 1, "percent": 60, "problems": "经费未到位。"}, format="json"
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["version"], data["percent"], data["problems"]) == (2, 60, "经费未到位。")
    assert data["narrative"] == FULL["narrative"]  # fields not given stay as they were
    assert list(report.versions.values_list("version", "percent")) == [(1, 40), (2, 60)]


def test_put_changes_only_the_given_fields_like_patch(people, period) -> None:
    report = draft(people, period)
    response = client_for(people["kjj_reporter"]).put(
        url(report), {"version": 1, "next_steps": "完成验收。"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["next_steps"] == "完成验收。" and response.json()["percent"] == 40


def test_a_stale_version_is_a_409_that_shows_the_other_persons_change(people, period) -> None:
    report = draft(people, period)
    approver = client_for(people["kjj_approver"])
    first = approver.patch(url(report), {"version": 1, "narrative": "审核人补充。"}, format="json")
    assert first.status_code == 200
    stale = client_for(people["kjj_reporter"]).patch(
        url(report), {"version": 1, "narrative": "填报员的修改。"}, format="json"
    )
    assert stale.status_code == 409
    body = stale.json()
    assert "kjj_approver" in body["message"] and "没有保存" in body["message"]
    assert body["extra"]["version"] == 2 and body["extra"]["updated_by"] == "kjj_approver"
    assert body["extra"]["current"]["narrative"] == "审核人补充。"
    assert ProgressReport.objects.get(pk=report.pk).narrative == "审核人补充。"


def test_if_match_carries_the_version_and_a_stale_one_is_a_412(people, period) -> None:
    report = draft(people, period)
    reporter = client_for(people["kjj_reporter"])
    saved = reporter.patch(url(report), {"percent": 50}, format="json", HTTP_IF_MATCH='"1"')
    assert saved.status_code == 200 and saved.json()["version"] == 2
    stale = reporter.patch(url(report), {"percent": 70}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert stale.json()["extra"]["current"]["percent"] == 50
    unquoted = reporter.patch(url(report), {"percent": 70}, format="json", HTTP_IF_MATCH="2")
    assert unquoted.status_code == 200 and unquoted.json()["version"] == 3


@pytest.mark.parametrize(
    ("body", "headers", "field"),
    [
        ({"percent": 50}, {}, "version"),
        ({"percent": 50, "version": "abc"}, {}, "version"),
        ({"percent": 50, "version": 1}, {"HTTP_IF_MATCH": '"2"'}, "version"),
        ({"percent": 50}, {"HTTP_IF_MATCH": "*"}, "If-Match"),
        ({"percent": 50}, {"HTTP_IF_MATCH": 'W/"1"'}, "If-Match"),
        ({"version": 1, "percent": 101}, {}, "percent"),
        ({"version": 1, "percent": "abc"}, {}, "percent"),
        ({"version": 1, "percent": 50.5}, {}, "percent"),
        ({"version": 1, "narrative": "字" * 10_001}, {}, "narrative"),
        ({"version": 1, "state": "accepted"}, {}, "state"),
        ({"version": 1, "percent": 50, "narative": "拼错"}, {}, "narative"),
    ],
)
def test_bad_updates_name_the_field_and_save_nothing(people, period, body, headers, field) -> None:
    report = draft(people, period)
    response = client_for(people["kjj_reporter"]).patch(url(report), body, format="json", **headers)
    assert response.status_code == 400
    assert field in fields_of(response)
    assert unchanged(report) and ReportVersion.objects.filter(report=report).count() == 1


def test_script_in_a_narrative_comes_back_verbatim_as_json_and_escaped_in_html(
    people, period
) -> None:
    script = "<script>alert('督查')</script>"
    report = draft(people, period)
    reporter = client_for(people["kjj_reporter"])
    saved = reporter.patch(url(report), {"version": 1, "narrative": script}, format="json")
    assert saved.status_code == 200
    assert saved["Content-Type"] == "application/json"
    assert saved.json()["narrative"] == script
    listed = reporter.get(REPORTS)
    assert listed.json()["results"][0]["narrative"] == script
    page = reporter.get(url(report), HTTP_ACCEPT="text/html")  # the browsable API
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    html = page.content.decode()
    assert "<script>alert(" not in html and "&lt;script&gt;alert(" in html


# --- workflow ---------------------------------------------------------------------------------


def test_the_whole_loop_through_the_api(people, period) -> None:
    report = draft(people, period)
    reporter, approver = client_for(people["kjj_reporter"]), client_for(people["kjj_approver"])
    office = client_for(people["office"])
    assert reporter.post(url(report, "submit")).json()["state"] == "submitted"
    assert approver.post(url(report, "approve"), {"comment": "同意"}).json()["state"] == "approved"
    returned = office.post(url(report, "return"), {"comment": "请补充量化成果。"}, format="json")
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    fixed = reporter.patch(url(report), {"version": 1, "percent": 55}, format="json")
    assert fixed.status_code == 200
    reporter.post(url(report, "submit"))
    approver.post(url(report, "approve"))
    accepted = office.post(url(report, "accept"), {}, format="json")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"
    reopened = office.post(url(report, "reopen"), {"comment": "数据需更正"}, format="json")
    assert reopened.status_code == 200 and reopened.json()["state"] == "returned"
    steps = [(t["action"], t["actor"], t["comment"]) for t in reopened.json()["transitions"]]
    assert steps == [
        ("submit", "kjj_reporter", ""),
        ("approve", "kjj_approver", "同意"),
        ("return", "office", "请补充量化成果。"),
        ("submit", "kjj_reporter", ""),
        ("approve", "kjj_approver", ""),
        ("accept", "office", ""),
        ("reopen", "office", "数据需更正"),
    ]


def test_submitting_an_incomplete_report_names_the_missing_fields(people, period) -> None:
    report = draft(people, period, percent=10)
    response = client_for(people["kjj_reporter"]).post(url(report, "submit"))
    assert response.status_code == 400
    assert fields_of(response) == {"status", "narrative"}
    assert "进展情况" in response.json()["message"]
    assert unchanged(report) and not report.transitions.exists()


@pytest.mark.parametrize(("action", "body"), [("return", {}), ("return", {"comment": "  "})])
def test_returning_needs_a_comment(people, period, action, body) -> None:
    report = submitted(people, period)
    response = client_for(people["kjj_approver"]).post(url(report, action), body, format="json")
    assert response.status_code == 400 and fields_of(response) == {"comment"}
    assert unchanged(report)


def test_reopening_needs_a_comment(people, period) -> None:
    report = submitted(people, period, who="sfj_reporter", unit="市司法局", seq=6)
    svc.report_accept(actor=people["office"], report=report)
    report.refresh_from_db()
    response = client_for(people["office"]).post(url(report, "reopen"), {}, format="json")
    assert response.status_code == 400 and fields_of(response) == {"comment"}
    assert unchanged(report)


def test_bulk_accept_is_all_or_nothing(people, period) -> None:
    a = submitted(people, period, who="sfj_reporter", unit="市司法局", seq=6)
    b = submitted(people, period)  # waits for 市科技局's approver
    office = client_for(people["office"])
    refused = office.post(f"{REPORTS}accept/", {"ids": [a.pk, b.pk]}, format="json")
    assert refused.status_code == 400
    assert (
        refused.json()["extra"]["refused"] == [b.pk] and "未作任何处理" in refused.json()["message"]
    )
    assert set(ProgressReport.objects.values_list("state", flat=True)) == {"submitted"}
    svc.report_approve(actor=people["kjj_approver"], report=b)
    done = office.post(f"{REPORTS}accept/", {"ids": [b.pk, a.pk], "comment": "通过"}, format="json")
    assert done.status_code == 200
    assert done.json()["count"] == 2
    assert {r["state"] for r in done.json()["results"]} == {"accepted"}
    assert set(ProgressReport.objects.values_list("state", flat=True)) == {"accepted"}


@pytest.mark.parametrize(
    ("body", "status"),
    [({"ids": []}, 400), ({"ids": "1"}, 400), ({}, 400), ({"ids": ["x"]}, 400)],
)
def test_bulk_accept_needs_a_list_of_ids(people, period, body, status) -> None:
    response = client_for(people["office"]).post(f"{REPORTS}accept/", body, format="json")
    assert response.status_code == status and "ids" in fields_of(response)


def test_bulk_accept_of_an_unknown_id_accepts_nothing(people, period) -> None:
    a = submitted(people, period, who="sfj_reporter", unit="市司法局", seq=6)
    response = client_for(people["office"]).post(
        f"{REPORTS}accept/", {"ids": [a.pk, 999_999]}, format="json"
    )
    assert response.status_code == 400 and fields_of(response) == {"ids"}
    assert response.json()["extra"]["refused"] == [999_999]
    assert ProgressReport.objects.get(pk=a.pk).state == ReportState.SUBMITTED


# --- evidence ---------------------------------------------------------------------------------


def pdf_file(name: str = "会议纪要.pdf", data: bytes = PDF) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_evidence_is_uploaded_downloaded_and_removed(
    people, period, settings, tmp_path, django_capture_on_commit_callbacks
) -> None:
    settings.MEDIA_ROOT = tmp_path
    report = draft(people, period)
    reporter = client_for(people["kjj_reporter"])
    created = reporter.post(url(report, "evidence"), {"file": pdf_file()})
    assert created.status_code == 201
    item = created.json()
    assert created["Location"] == item["url"]
    assert (item["name"], item["size"], item["uploaded_by"]) == (
        "会议纪要.pdf",
        len(PDF),
        "kjj_reporter",
    )
    path = f"{url(report)}evidence/{item['id']}/"
    download = reporter.get(path, HTTP_ACCEPT="application/pdf")
    assert download.status_code == 200
    assert download.getvalue() == PDF
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    [stored] = [p for p in tmp_path.rglob("*") if p.is_file()]
    with django_capture_on_commit_callbacks(execute=True):
        removed = reporter.delete(path)
    assert removed.status_code == 204
    assert not Evidence.objects.exists() and not stored.exists()
    assert reporter.get(path).status_code == 404


def test_evidence_is_found_only_under_its_own_report(people, period, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    mine = draft(people, period)
    other = draft(people, period, seq=2)
    evidence = svc.evidence_add(actor=people["kjj_reporter"], report=mine, upload=pdf_file())
    response = client_for(people["kjj_reporter"]).get(f"{url(other)}evidence/{evidence.pk}/")
    assert response.status_code == 404 and "content" not in response.json()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("病毒.pdf", b"MZ\x90\x00" * 64, "内容不是其中任何一种"),  # an .exe renamed to .pdf
        ("图.png", PDF, "扩展名与文件内容不符"),
        ("空.pdf", b"", "空文件"),
    ],
)
def test_a_bad_file_is_refused_with_the_field_named_and_nothing_stored(
    people, period, settings, tmp_path, name, data, message
) -> None:
    settings.MEDIA_ROOT = tmp_path
    report = draft(people, period)
    response = client_for(people["kjj_reporter"]).post(
        url(report, "evidence"), {"file": pdf_file(name, data)}
    )
    assert response.status_code == 400
    assert fields_of(response) == {"file"} and message in response.json()["message"]
    assert not Evidence.objects.exists() and not any(tmp_path.rglob("*"))


def test_an_upload_without_a_file_names_the_field(people, period) -> None:
    report = draft(people, period)
    response = client_for(people["kjj_reporter"]).post(url(report, "evidence"), {"name": "x"})
    assert response.status_code == 400 and "file" in fields_of(response)


def test_an_upload_over_20_mb_is_a_413_before_the_body_is_read(
    people, period, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    report = draft(people, period)
    big = pdf_file("大文件.pdf", PDF + b"0" * (22 * 1024 * 1024))
    response = client_for(people["kjj_reporter"]).post(url(report, "evidence"), {"file": big})
    assert response.status_code == 413
    assert response.json()["message"] == files.too_large_message()
    assert fields_of(response) == {"file"}
    assert not Evidence.objects.exists() and not any(tmp_path.rglob("*"))


def test_an_oversized_upload_is_refused_before_the_session_check_reads_the_body(
    people, period, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    report = draft(people, period)
    client = APIClient(enforce_csrf_checks=True)  # the CSRF check would parse the whole body
    client.force_login(people["kjj_reporter"])
    big = pdf_file("大文件.pdf", PDF + b"0" * (22 * 1024 * 1024))
    response = client.post(url(report, "evidence"), {"file": big})
    assert response.status_code == 413 and fields_of(response) == {"file"}
    assert not any(tmp_path.rglob("*"))


def test_a_file_just_over_20_mb_is_refused_by_its_size(people, period, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    report = draft(people, period)
    big = pdf_file("大文件.pdf", PDF + b"0" * (20 * 1024 * 1024))
    response = client_for(people["kjj_reporter"]).post(url(report, "evidence"), {"file": big})
    assert response.status_code == 400
    assert fields_of(response) == {"file"} and "20 MB" in response.json()["message"]
    assert not Evidence.objects.exists() and not any(tmp_path.rglob("*"))


# --- authentication ---------------------------------------------------------------------------


def test_a_token_from_username_and_password_opens_the_api(people, period) -> None:
    draft(people, period)
    obtained = APIClient().post(
        "/api/auth/token/",
        {"username": "kjj_reporter", "password": "pw-for-tests-1"},
        format="json",
    )
    assert obtained.status_code == 200
    token = obtained.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listed = client.get(REPORTS)
    assert listed.status_code == 200 and listed.json()["count"] == 1
    again = APIClient().post(
        "/api/auth/token/", {"username": "kjj_reporter", "password": "pw-for-tests-1"}
    )
    assert again.json()["token"] == token


def test_a_wrong_password_gets_no_token(people) -> None:
    response = APIClient().post(
        "/api/auth/token/", {"username": "kjj_reporter", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert "token" not in response.json() and response.json()["message"]


def test_a_one_time_password_gets_no_token(people) -> None:
    User.objects.filter(username="kjj_reporter").update(must_change_password=True)
    response = APIClient().post(
        "/api/auth/token/", {"username": "kjj_reporter", "password": "pw-for-tests-1"}
    )
    assert response.status_code == 403 and "修改初始密码" in response.json()["message"]
    assert not Token.objects.exists()


def test_a_stale_session_cookie_does_not_block_getting_a_token(people) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(people["leader"])
    response = client.post(
        "/api/auth/token/", {"username": "kjj_reporter", "password": "pw-for-tests-1"}
    )
    assert response.status_code == 200 and response.json()["token"]


def test_without_credentials_the_api_answers_401_in_chinese(people, period) -> None:
    response = APIClient().get(REPORTS)
    assert response.status_code == 401
    assert response.json()["message"] == "请先登录。"
    assert response["WWW-Authenticate"] == "Token"


def test_a_session_write_needs_the_csrf_token(people, period) -> None:
    report = draft(people, period)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(people["kjj_reporter"])
    response = client.post(url(report, "submit"))
    assert response.status_code == 403
    assert ProgressReport.objects.get(pk=report.pk).state == ReportState.DRAFT


# --- schema -----------------------------------------------------------------------------------


def test_the_schema_documents_if_match_and_the_token_endpoint(people) -> None:
    response = client_for(people["leader"]).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    patch = schema["paths"]["/api/progress-reports/{id}/"]["patch"]
    assert "If-Match" in [p["name"] for p in patch["parameters"]]
    assert {"409", "412"} <= set(patch["responses"])
    assert "post" in schema["paths"]["/api/auth/token/"]
    assert "413" in schema["paths"]["/api/progress-reports/{id}/evidence/"]["post"]["responses"]


# --- query counts -----------------------------------------------------------------------------


def add_reports(people: dict[str, User], period: ReportingPeriod, count: int) -> None:
    """More reports of several units, task and demo, draft and submitted."""
    units = ["市科技局", "市发改委", "市经信局"]
    made = ProgressReport.objects.count()
    for assignment in Assignment.objects.filter(unit__name__in=units).order_by("pk"):
        if ProgressReport.objects.filter(assignment=assignment).exists():
            continue
        user = User.objects.filter(unit=assignment.unit, role="reporter").first() or make_user(
            f"reporter{assignment.unit_id}", "reporter", assignment.unit.name
        )
        report = svc.report_start(actor=user, assignment=assignment, period=period, **FULL)
        if report.pk % 2:
            svc.report_submit(actor=user, report=report)
        made += 1
        if made >= count:
            return


@pytest.mark.parametrize("who", ["office", "kjj_reporter", "leader"])
def test_the_list_takes_the_same_number_of_queries_at_two_sizes(people, period, who) -> None:
    client = client_for(people[who])

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(REPORTS, {"period": "2021Q3", "page_size": "1000"})
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    add_reports(people, period, 3)
    small, shown_small = count()
    add_reports(people, period, 40)
    large, shown_large = count()
    assert shown_large > shown_small + 5
    assert small == large


def test_the_detail_takes_the_same_number_of_queries_however_long_its_history(
    people, period, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    report = draft(people, period)
    office = client_for(people["office"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert office.get(url(report)).status_code == 200
        return len(queries)

    svc.evidence_add(actor=people["kjj_reporter"], report=report, upload=pdf_file())
    svc.report_submit(actor=people["kjj_reporter"], report=report)
    short = count()
    svc.report_return(actor=people["kjj_approver"], report=report, comment="补充")
    for n in range(3):
        svc.evidence_add(actor=people["kjj_reporter"], report=report, upload=pdf_file(f"{n}.pdf"))
    svc.report_submit(actor=people["kjj_reporter"], report=report)
    assert count() == short
