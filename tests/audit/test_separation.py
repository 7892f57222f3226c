"""三员分立: the security auditor reads the audit log and nothing else writes for it; the system
administrator and the office cannot open the log; no account holds two of the three roles."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook  # type: ignore[import-untyped]
from rest_framework.test import APIClient

from hefei_ai_zone import clock
from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from tasks.models import ReportingPeriod
from tasks.reporting import services as svc
from tasks.supervision.services import order_issue, urge_send
from tests.plan.factories import assignment_of
from units.audit import services as audit
from units.audit.models import AuditEntry, AuditKind
from units.models import Role, Unit, User
from units.services import user_create

pytestmark = pytest.mark.django_db

FULL = {"status": "on_track", "percent": 40, "narrative": "已完成模型框架设计。"}


def page_client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def some_entries(people: dict[str, User]) -> None:
    """Entries by two people of two units, of three kinds."""
    audit.record(AuditKind.EXPORT, actor=people["kjj_reporter"], detail="导出 甲.xlsx")
    audit.record(AuditKind.DOWNLOAD, actor=people["fgw_reporter"], detail="下载 乙.pdf")
    audit.record(AuditKind.EXPORT, actor=people["fgw_reporter"], detail="导出 丙.xlsx")


# --- the auditor's page -------------------------------------------------------------------------


def test_the_auditor_reads_the_log_newest_first(people: dict[str, User]) -> None:
    some_entries(people)
    response = page_client(people["auditor"]).get("/audit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("导出 丙.xlsx") < html.index("下载 乙.pdf") < html.index("导出 甲.xlsx")
    assert "审计日志" in html


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("user=fgw_reporter", ["乙", "丙"], ["甲"]),
        ("unit={kjj}", ["甲"], ["乙", "丙"]),
        ("kind=export", ["甲", "丙"], ["乙"]),
        ("kind=export&user=fgw_reporter", ["丙"], ["甲", "乙"]),
    ],
)
def test_the_auditor_filters_by_user_unit_and_kind(
    people: dict[str, User], query: str, shown: list[str], hidden: list[str]
) -> None:
    some_entries(people)
    query = query.format(kjj=Unit.objects.get(name="市科技局").pk)
    html = page_client(people["auditor"]).get(f"/audit/?{query}").content.decode()
    for name in shown:
        assert f"{name}." in html
    for name in hidden:
        assert f"{name}." not in html


def test_the_auditor_filters_by_days_in_asia_shanghai(people: dict[str, User]) -> None:
    some_entries(people)
    today = clock.local_date(clock.real_now())
    client = page_client(people["auditor"])
    html = client.get(f"/audit/?since={today}&until={today}").content.decode()
    assert "甲.xlsx" in html
    yesterday = today - timedelta(days=1)
    html = client.get(f"/audit/?until={yesterday}").content.decode()
    assert "甲.xlsx" not in html and "没有符合条件的记录" in html
    bad = client.get(f"/audit/?since={today}&until={yesterday}")
    assert bad.status_code == 200 and "截止日期不能早于起始日期" in bad.content.decode()


def test_the_auditor_exports_the_filtered_rows_as_csv_and_excel(people: dict[str, User]) -> None:
    some_entries(people)
    client = page_client(people["auditor"])
    response = client.get("/audit/?user=fgw_reporter&format=csv")
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["编号", "时间", "事件"]
    assert [r[11] for r in rows[1:]] == ["导出 丙.xlsx", "下载 乙.pdf"]

    response = client.get("/audit/?user=fgw_reporter&format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [v[11] for v in values] == ["导出 丙.xlsx", "下载 乙.pdf"]
    assert "用户名：fgw_reporter" in sheet["A2"].value
    # the auditor's own exports are in the log too
    exports = AuditEntry.objects.filter(kind=AuditKind.EXPORT, actor=people["auditor"])
    assert [e.object_repr[-4:] for e in exports.order_by("id")] == [".csv", "xlsx"]


def test_the_auditors_page_takes_the_same_queries_at_any_size(people: dict[str, User]) -> None:
    client = page_client(people["auditor"])
    some_entries(people)
    client.get("/audit/")  # warm the session
    with CaptureQueriesContext(connection) as small:
        client.get("/audit/")
    for _ in range(30):
        some_entries(people)
    with CaptureQueriesContext(connection) as large:
        assert client.get("/audit/").status_code == 200
    assert len(large) == len(small) <= 8


@pytest.mark.parametrize("who", ["admin_su", "admin", "office", "leader", "kjj_reporter"])
def test_the_administrator_and_the_office_cannot_open_the_log(
    people: dict[str, User], who: str
) -> None:
    some_entries(people)
    client = page_client(people[who])
    for path in ("/audit/", "/audit/?format=csv", "/audit/?format=xlsx"):
        response = client.get(path)
        assert response.status_code == 403
        assert "安全审计员" in response.content.decode()
    assert client.get("/admin/units/auditentry/").status_code in (403, 404, 302)


def test_someone_not_logged_in_is_sent_to_the_login_page(db: None) -> None:
    response = Client().get("/audit/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_auditor_lands_on_the_log_and_has_no_admin(people: dict[str, User]) -> None:
    client = page_client(people["auditor"])
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/audit/"
    assert client.get("/admin/").status_code == 302  # not staff: the admin's login


# --- the auditor writes nothing -----------------------------------------------------------------


def test_the_auditors_service_calls_are_refused(
    people: dict[str, User], period: ReportingPeriod
) -> None:
    auditor = people["auditor"]
    report = svc.report_start(
        actor=people["kjj_reporter"], assignment=assignment_of(1, "市科技局"), period=period, **FULL
    )
    report = svc.report_submit(actor=people["kjj_reporter"], report=report)
    tries = [
        lambda: svc.report_start(
            actor=auditor, assignment=assignment_of(1, "市科技局"), period=period, **FULL
        ),
        lambda: svc.report_approve(actor=auditor, report=report),
        lambda: svc.report_accept(actor=auditor, report=report),
        lambda: svc.report_return(actor=auditor, report=report, comment="退回"),
        lambda: urge_send(
            actor=auditor, period=period, unit_ids=[report.unit_id], message="请报送"
        ),
        lambda: order_issue(
            actor=auditor,
            task=assignment_of(1, "市科技局").task,  # type: ignore[arg-type]
            unit=report.unit,
            facts="说明",
            reply_workdays=5,
        ),
    ]
    for attempt in tries:
        with pytest.raises((NotPermittedError, ApplicationError)):
            attempt()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/progress-reports/", {"period": "2021Q3", "percent": 10}),
        ("post", "/api/milestones/", {"title": "节点"}),
        ("post", "/api/achievements/", {"title": "成果"}),
        ("post", "/api/periods/2021Q3/close/", {}),
        ("post", "/api/progress-reports/accept/", {"ids": [1]}),
    ],
)
def test_the_auditors_api_writes_are_refused(
    people: dict[str, User], period: ReportingPeriod, method: str, path: str, body: dict
) -> None:
    client = APIClient()
    client.force_authenticate(people["auditor"])
    before = AuditEntry.objects.exclude(kind=AuditKind.LOGIN).count()
    response = getattr(client, method)(path, body, format="json")
    assert response.status_code in (400, 403, 404)
    assert set(response.json()) == {"message", "extra"}
    assert AuditEntry.objects.count() == before  # nothing was written


# --- no account holds two of the three ------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "is_staff", "is_superuser", "message"),
    [
        (Role.AUDITOR, True, False, "安全审计员不能同时是系统管理员或后台管理人员"),
        (Role.AUDITOR, True, True, "安全审计员不能同时是系统管理员或后台管理人员"),
        (Role.OFFICE, True, True, "督查员不能同时是系统管理员"),
        (Role.REPORTER, True, True, "超级用户的角色只能是系统管理员"),
    ],
)
def test_the_database_refuses_an_account_holding_two_of_the_three(
    db: None, role: str, is_staff: bool, is_superuser: bool, message: str
) -> None:
    user = User(username="both", role=role, is_staff=is_staff, is_superuser=is_superuser)
    with pytest.raises(ValidationError, match=message):
        user.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()


def test_the_services_make_an_auditor_who_is_neither_staff_nor_superuser(db: None) -> None:
    auditor = user_create(username="shenji", role="安全审计员", password="Kx7-mima-2024!").user
    assert (auditor.role, auditor.is_staff, auditor.is_superuser) == (Role.AUDITOR, False, False)
    root = User.objects.create_superuser("root2", password="pw-for-tests-1")
    assert root.role == Role.ADMIN


def test_the_user_admin_refuses_making_the_auditor_staff(people: dict[str, User]) -> None:
    auditor = people["auditor"]
    client = page_client(people["admin_su"])
    page = f"/admin/units/user/{auditor.pk}/change/"
    form = client.get(page).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "groups"}
    data.update(
        {
            "username": auditor.username,
            "role": Role.AUDITOR,
            "is_staff": "on",
            "is_active": "on",
            "date_joined_0": "2024-01-01",
            "date_joined_1": "08:00:00",
            "last_login_0": "",
            "last_login_1": "",
            "unit": "",
            "password": auditor.password,
        }
    )
    response = client.post(page, data)
    assert response.status_code == 200
    assert "安全审计员不能同时是系统管理员或后台管理人员" in response.content.decode()
    auditor.refresh_from_db()
    assert not auditor.is_staff
